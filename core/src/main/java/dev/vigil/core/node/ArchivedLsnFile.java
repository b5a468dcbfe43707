package dev.vigil.core.node;

import dev.vigil.core.io.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * {@code archived.lsn} in a WAL directory: the decimal LSN up to which the partition's WAL is archived with
 * no gap, and a newline. Replaced atomically and durably; the node may delete sealed segments whose last
 * LSN is at or below it.
 */
public final class ArchivedLsnFile {

    private ArchivedLsnFile() {}

    public static Path in(Path walDir) {
        return walDir.resolve(StorageNodeContract.ARCHIVED_LSN_FILE);
    }

    /** The LSN recorded in the WAL directory, or empty if Vigil has not written one yet. */
    public static OptionalLong read(Path walDir) throws IOException {
        Path file = in(walDir);
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return OptionalLong.of(Long.parseLong(text));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (NumberFormatException e) {
            throw new IOException(file + " does not hold an LSN; delete it and Vigil rewrites it on its next pass", e);
        }
    }

    public static void write(Path walDir, long lsn) throws IOException {
        DurableFiles.replace(in(walDir), (lsn + "\n").getBytes(StandardCharsets.US_ASCII));
    }
}
