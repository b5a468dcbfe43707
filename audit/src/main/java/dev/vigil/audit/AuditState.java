package dev.vigil.audit;

import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.repository.RepositoryJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * What an audit proved, kept in the auditor's work directory so that the next audit resumes from it: the log's size
 * and right edge as read then (its tree as a {@code CompactRange}), the latest entry of every key, the root each
 * checkpoint was checked against, and, per object, the listing (size, time, the store's version) under which its
 * bytes were hashed and found equal to its entry. An object listed the same way since, with the same latest entry, is
 * not read again: the store sets an object's time and version when it is written (S3: LastModified, ETag), so a
 * rewrite shows in the listing. The next audit reads only the entries appended since and the objects that changed.
 *
 * @param repository  which repository (its description) and log (origin) it is about: another one's state is ignored
 * @param size        the entries read
 * @param edge        the tree's right edge after them (base64 hashes, {@code CompactRange})
 * @param checkpoints the root (base64) of every checkpoint checked, by size
 * @param latest      the latest entry of every key the log names
 * @param verified    objects found equal to their latest entry, and how they were listed then
 * @param fullAt      when every object was last read (a full audit)
 */
public record AuditState(
        String repository,
        long size,
        List<String> edge,
        Map<Long, String> checkpoints,
        Map<String, LogEntry> latest,
        Map<String, Verified> verified,
        Instant fullAt) {

    public AuditState {
        edge = List.copyOf(edge);
        checkpoints = Map.copyOf(checkpoints);
        latest = Map.copyOf(latest);
        verified = Map.copyOf(verified);
    }

    /** How an object was listed when its bytes hashed to entry {@code seq}. */
    public record Verified(long seq, long size, Instant lastModified, String version) {}

    /** The state saved in {@code file}, if there is one (gzip'd JSON). */
    public static Optional<AuditState> load(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return Optional.of(RepositoryJson.MAPPER.readValue(in, AuditState.class));
        } catch (NoSuchFileException none) {
            return Optional.empty();
        } catch (IOException | RuntimeException damaged) {
            throw new IOException(
                    "the audit state " + file + " cannot be read (" + damaged.getMessage() + "): delete"
                            + " it, and the next audit reads everything again",
                    damaged);
        }
    }

    /** Saves it to {@code file} durably (temporary file, fsync, rename). */
    public void save(Path file) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            RepositoryJson.MAPPER.writeValue(out, this);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        DurableFiles.publish(file, bytes.toByteArray());
    }
}
