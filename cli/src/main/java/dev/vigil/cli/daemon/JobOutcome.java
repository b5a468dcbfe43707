package dev.vigil.cli.daemon;

/** What one run of a job found: how many findings, whether it could not finish, and a one-line summary. */
public record JobOutcome(int findings, boolean incomplete, String summary) {}
