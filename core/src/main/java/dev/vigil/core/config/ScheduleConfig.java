package dev.vigil.core.config;

/** Quartz cron expressions for the daemon's jobs (seconds field first: {@code 0/10 * * * * ?}). */
public record ScheduleConfig(String archive) {

    /** Every second: an idle pass only lists local WAL directories (see {@code archive.continuity-check-interval}). */
    public static final String DEFAULT_ARCHIVE = "* * * * * ?";
}
