package dev.vigil.cli;

import org.jspecify.annotations.Nullable;

/** The exit codes of every {@code vigil} command (documented in {@code docs/operations.md}). */
public final class ExitCodes {

    /** Everything checked was fine. */
    public static final int OK = 0;
    /** The command ran and found something an operator must look at (corruption, divergence, gaps). */
    public static final int FINDINGS = 1;
    /** The command line or the configuration is wrong; nothing was done. */
    public static final int USAGE = 2;
    /** The command could not do its job (I/O failure, unreachable store). */
    public static final int FAILURE = 3;

    /** Stopped by SIGINT (Ctrl-C) before finishing, after cleaning up: 128 + 2, as shells report it. */
    public static final int INTERRUPTED = 130;
    /** Stopped by SIGTERM before finishing, after cleaning up: 128 + 15. */
    public static final int TERMINATED = 143;

    private ExitCodes() {}

    /** The exit code of a command that stopped early on {@code signal} ("SIGINT", "SIGTERM"). */
    static int stoppedBy(@Nullable String signal) {
        return "SIGTERM".equals(signal) ? TERMINATED : INTERRUPTED;
    }

    /** Findings win over incomplete work: an operator must see a finding even when the run could not finish. */
    static int of(boolean findings, boolean incomplete) {
        return findings ? FINDINGS : incomplete ? FAILURE : OK;
    }
}
