package dev.vigil.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.core.repository.RepositoryJson;
import java.io.IOException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One entry of the repository's log: an object Vigil stored (its key, the SHA-256 and size of the bytes the store
 * holds) or deleted, when and by whom. Its stored bytes, as written, are the leaf of the Merkle tree. Immutable.
 *
 * @param seq    its position in the log, from 0
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
}
