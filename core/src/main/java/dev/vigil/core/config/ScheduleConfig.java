package dev.vigil.core.config;

/** Quartz cron expressions for the daemon's jobs (seconds field first: {@code 0/10 * * * * ?}). */
public record ScheduleConfig(String archive, String verifyArchive, String scrub, String judge) {

    /** Every 15 minutes: bring references forward and judge the scrub reports published since. */
    public static final String DEFAULT_JUDGE = "0 0/15 * * * ?";

    /** Daily at 01:30 (further confined by {@code scrub.window} when set). */
    public static final String DEFAULT_SCRUB = "0 30 1 * * ?";

    /** Hourly: each run re-reads the archived objects that are due (see {@code verify.period}). */
    public static final String DEFAULT_VERIFY_ARCHIVE = "0 17 * * * ?";

    public static ScheduleConfig defaults() {
        return new ScheduleConfig(DEFAULT_ARCHIVE, DEFAULT_VERIFY_ARCHIVE, DEFAULT_SCRUB, DEFAULT_JUDGE);
    }


    /** Every second: an idle pass only lists local WAL directories (see {@code archive.continuity-check-interval}). */
    public static final String DEFAULT_ARCHIVE = "* * * * * ?";
}
