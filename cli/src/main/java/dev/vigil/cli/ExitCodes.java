package dev.vigil.cli;

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

    private ExitCodes() {
    }

    /** Findings win over incomplete work: an operator must see a finding even when the run could not finish. */
    static int of(boolean findings, boolean incomplete) {
        return findings ? FINDINGS : incomplete ? FAILURE : OK;
    }
}
