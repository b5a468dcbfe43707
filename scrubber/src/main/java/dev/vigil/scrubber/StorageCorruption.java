package dev.vigil.scrubber;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * Reads what RocksDB says about damage to a replica's files: whether an error is a checksum or format failure (as
 * opposed to a missing file or an I/O error), which file it names, and which kind of block failed. RocksDB says the
 * block kind for block checksum mismatches ({@code block_type = Index}); a damaged footer it describes in words (bad
 * magic number, footer checksum, format version), a damaged properties block as "properties unsorted". Stateless.
 */
final class StorageCorruption {

    private static final Pattern SST = Pattern.compile("([0-9]+\\.sst)");
    private static final Pattern BLOCK_TYPE = Pattern.compile("block_type = ([A-Za-z]+)");
    private static final Pattern MISSING_FILE = Pattern.compile("No such file or directory");

    private StorageCorruption() {}

    /** The error's message, or its status when it has none. */
    static String message(RocksDBException e) {
        if (e.getMessage() != null) {
            return e.getMessage();
        }
        return e.getStatus() == null
                ? e.getClass().getSimpleName()
                : e.getStatus().getCodeString();
    }

    /** Whether RocksDB reports damaged bytes (a failed checksum or an unparseable structure), not a missing file. */
    static boolean isDamage(RocksDBException e) {
        Status status = e.getStatus();
        boolean corruption = status != null && status.getCode() == Status.Code.Corruption;
        return corruption && !MISSING_FILE.matcher(message(e)).find();
    }

    /** The SST file (bare name) an error names, if any. */
    static Optional<String> sstFile(RocksDBException e) {
        Matcher file = SST.matcher(message(e));
        return file.find() ? Optional.of(file.group(1)) : Optional.empty();
    }

    /** Whether RocksDB failed because a file the database lists is not there. */
    static boolean isMissingFile(RocksDBException e) {
        return MISSING_FILE.matcher(message(e)).find();
    }

    /**
     * The kind of block that failed, in RocksDB's words where it gives them ({@code Data}, {@code Index},
     * {@code Filter}, {@code Properties}, {@code MetaIndex}, ...), {@code footer} for footer damage, or
     * {@code unknown}.
     */
    static String blockKind(RocksDBException e) {
        String message = message(e);
        Matcher type = BLOCK_TYPE.matcher(message);
        if (type.find()) {
            return type.group(1);
        }
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("footer")
                || lower.contains("magic number")
                || lower.contains("format_version")
                || lower.contains("checksum type")) {
            return "footer";
        }
        if (lower.contains("properties")) {
            return "Properties";
        }
        return "unknown";
    }

    /** The node's own copy of a file a checkpoint hard-linked (same name, same inode). */
    static Path nodeFile(Path origin, String fileName) {
        return origin.resolve(fileName);
    }
}
