package dev.vigil.audit;

import dev.vigil.core.repository.RepositoryLayout;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Where the log lives in the repository: {@code log/entries/<20-digit sequence>} and
 * {@code log/checkpoints/<20-digit size>}; zero-padded, so that listing order is log order. Nothing under {@code log/}
 * is logged itself: the entries are committed to by the tree, the checkpoints by their signatures. Stateless.
 */
public final class LogLayout {

    public static final String PREFIX = RepositoryLayout.LOG;
    public static final String ENTRIES = PREFIX + "entries/";
    public static final String CHECKPOINTS = PREFIX + "checkpoints/";

    private LogLayout() {}

    public static String entryKey(long seq) {
        return ENTRIES + String.format(Locale.ROOT, "%020d", seq);
    }

    public static String checkpointKey(long size) {
        return CHECKPOINTS + String.format(Locale.ROOT, "%020d", size);
    }

    /** The number a log key ends with, if it is one of {@code prefix}'s. */
    static OptionalLong number(String key, String prefix) {
        if (!key.startsWith(prefix)) {
            return OptionalLong.empty();
        }
        String digits = key.substring(prefix.length());
        return digits.matches("[0-9]{20}") ? OptionalLong.of(Long.parseLong(digits)) : OptionalLong.empty();
    }

    /** Whether {@code key} is the log's own (never logged). */
    public static boolean isLog(String key) {
        return key.startsWith(PREFIX);
    }
}
