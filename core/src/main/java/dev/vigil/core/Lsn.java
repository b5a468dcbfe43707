package dev.vigil.core;

/**
 * Log sequence numbers. An LSN is a positive {@code long}; within a partition each WAL record's LSN is
 * the previous one plus one. LSNs are kept as primitives on hot paths; this class holds the rules and
 * the fixed-width text form used in file names and object keys, whose lexicographic order is LSN order.
 */
public final class Lsn {

    /** Smallest valid LSN. */
    public static final long MIN = 1;

    /** Width of the zero-padded decimal form: enough for any positive {@code long}. */
    public static final int PADDED_WIDTH = 20;

    private Lsn() {}

    /** Returns {@code lsn} if valid, otherwise throws naming {@code what}. */
    public static long requireValid(long lsn, String what) {
        if (lsn < MIN) {
            throw new IllegalArgumentException(what + " must be a positive LSN, was " + lsn);
        }
        return lsn;
    }

    /** The 20-digit zero-padded decimal form, e.g. {@code 00000000000000000042}. */
    public static String padded(long lsn) {
        requireValid(lsn, "LSN");
        String digits = Long.toString(lsn);
        return "0".repeat(PADDED_WIDTH - digits.length()) + digits;
    }

    /**
     * Parses the padded form strictly (exactly 20 ASCII digits, value at least {@link #MIN}).
     *
     * @throws IllegalArgumentException naming the text when it is not a padded LSN
     */
    public static long parsePadded(String text) {
        if (text.length() != PADDED_WIDTH) {
            throw new IllegalArgumentException("not a 20-digit LSN: '" + text + "'");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not a 20-digit LSN: '" + text + "'");
            }
        }
        try {
            return requireValid(Long.parseLong(text), "LSN '" + text + "'");
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("LSN out of range: '" + text + "'", e);
        }
    }
}
