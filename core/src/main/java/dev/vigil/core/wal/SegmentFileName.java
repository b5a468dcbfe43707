package dev.vigil.core.wal;

import dev.vigil.core.Lsn;
import dev.vigil.core.LsnRange;
import java.util.Optional;

/**
 * The name of a segment file: {@code <firstLsn>.open} while written, {@code <firstLsn>-<lastLsn>.seg} once
 * sealed, LSNs as 20 zero-padded digits.
 */
public record SegmentFileName(long firstLsn, Optional<Long> lastLsn) {

    public static final String OPEN_SUFFIX = ".open";
    public static final String SEALED_SUFFIX = ".seg";

    private static final int SEALED_LENGTH = 2 * Lsn.PADDED_WIDTH + 1 + SEALED_SUFFIX.length();
    private static final int OPEN_LENGTH = Lsn.PADDED_WIDTH + OPEN_SUFFIX.length();

    public SegmentFileName {
        Lsn.requireValid(firstLsn, "first LSN");
        lastLsn.ifPresent(last -> new LsnRange(firstLsn, last));
    }

    public static String open(long firstLsn) {
        return Lsn.padded(firstLsn) + OPEN_SUFFIX;
    }

    public static String sealed(long firstLsn, long lastLsn) {
        new LsnRange(firstLsn, lastLsn);
        return Lsn.padded(firstLsn) + "-" + Lsn.padded(lastLsn) + SEALED_SUFFIX;
    }

    public boolean isSealed() {
        return lastLsn.isPresent();
    }

    /**
     * Parses a file name (without directory). Names that are not segment names yield empty, so a WAL
     * directory may hold other files (such as {@code archived.lsn}).
     */
    public static Optional<SegmentFileName> parse(String name) {
        try {
            if (name.length() == SEALED_LENGTH
                    && name.endsWith(SEALED_SUFFIX)
                    && name.charAt(Lsn.PADDED_WIDTH) == '-') {
                long first = Lsn.parsePadded(name.substring(0, Lsn.PADDED_WIDTH));
                long last = Lsn.parsePadded(name.substring(Lsn.PADDED_WIDTH + 1, 2 * Lsn.PADDED_WIDTH + 1));
                return last >= first ? Optional.of(new SegmentFileName(first, Optional.of(last))) : Optional.empty();
            }
            if (name.length() == OPEN_LENGTH && name.endsWith(OPEN_SUFFIX)) {
                return Optional.of(
                        new SegmentFileName(Lsn.parsePadded(name.substring(0, Lsn.PADDED_WIDTH)), Optional.empty()));
            }
        } catch (IllegalArgumentException notASegmentName) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return lastLsn.map(last -> sealed(firstLsn, last)).orElseGet(() -> open(firstLsn));
    }
}
