package dev.vigil.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.repository.RepositoryJson;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One entry of the repository's log: an object Vigil stored (its key, the SHA-256 and size of the bytes the store
 * holds) or deleted, when and by whom. A log object holds one entry, or a bundle of entries written together (group
 * commit), all carrying its number; its stored bytes, as written, are the leaf of the Merkle tree. Immutable.
 *
 * @param seq    the number of the log object it is in (its leaf's position in the tree), from 0
 * @param op     what was done
 * @param key    the object's key in the repository
 * @param sha256 the SHA-256 of the stored bytes (hex); empty for a delete
 * @param size   the stored bytes' length; 0 for a delete
 * @param time   when it was logged (the writer's clock)
 * @param writer the process that did it (host and pid)
 */
public record LogEntry(long seq, Op op, String key, String sha256, long size, Instant time, String writer) {

    /** What an entry records. */
    public enum Op {
        PUT,
        DELETE
    }

    public LogEntry {
        if (seq < 0 || size < 0) {
            throw new IllegalArgumentException("an entry's sequence and size are not negative");
        }
        if (op == Op.PUT && !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a put entry carries the SHA-256 of the stored bytes in hex");
        }
    }

    static LogEntry put(long seq, String key, byte[] sha256, long size, Instant time, String writer) {
        return new LogEntry(seq, Op.PUT, key, HexFormat.of().formatHex(sha256), size, time, writer);
    }

    static LogEntry delete(long seq, String key, Instant time, String writer) {
        return new LogEntry(seq, Op.DELETE, key, "", 0, time, writer);
    }

    /** The entry as stored: compact JSON, the leaf's data. */
    byte[] encode() {
        try {
            return RepositoryJson.MAPPER.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an entry always serialises", e);
        }
    }

    /** Reads an entry as stored. */
    static LogEntry decode(byte[] bytes) throws IOException {
        return RepositoryJson.MAPPER.readValue(bytes, LogEntry.class);
    }

    /**
     * The log object's bytes for {@code entries}, all of one number: a lone entry as itself ({@link #encode}), several
     * as a JSON array of them (a bundle, written by group commit).
     */
    static byte[] encodeAll(List<LogEntry> entries) {
        if (entries.size() == 1) {
            return entries.getFirst().encode();
        }
        try {
            return RepositoryJson.MAPPER.writeValueAsBytes(entries);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("entries always serialise", e);
        }
    }

    /** The entries of a log object as stored: one, or a bundle's, in the order they were written. */
    static List<LogEntry> decodeAll(byte[] bytes) throws IOException {
        JsonNode tree = RepositoryJson.MAPPER.readTree(bytes);
        if (tree == null || !(tree.isArray() || tree.isObject())) {
            throw new IOException("neither an entry nor a bundle of entries");
        }
        if (tree.isObject()) {
            return List.of(RepositoryJson.MAPPER.treeToValue(tree, LogEntry.class));
        }
        if (tree.isEmpty()) {
            throw new IOException("an empty bundle");
        }
        List<LogEntry> entries = new ArrayList<>(tree.size());
        for (JsonNode entry : tree) {
            entries.add(RepositoryJson.MAPPER.treeToValue(entry, LogEntry.class));
        }
        return entries;
    }
}
