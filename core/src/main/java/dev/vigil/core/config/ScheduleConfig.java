package dev.vigil.core.config;

import java.time.ZoneId;

/**
 * Quartz cron expressions for the daemon's jobs (seconds field first: {@code 0/10 * * * * ?}), and the time zone they
 * and {@code scrub.window} are read in ({@code schedule.time-zone}; default: the machine's zone when the configuration
 * is loaded).
 */
public record ScheduleConfig(
        String archive,
        String verifyArchive,
        String scrub,
        String judge,
        String retention,
        String restoreDrill,
        String report,
        String keyCheck,
        String checkpoint,
        String audit,
        ZoneId timeZone) {

    /** Every second: an idle pass looks only at WAL directories that gained a sealed segment (see {@code archive.rescan-interval}). */
    public static final String DEFAULT_ARCHIVE = "* * * * * ?";

    /** Hourly: each run re-reads the archived objects that are due (see {@code verify.period}). */
    public static final String DEFAULT_VERIFY_ARCHIVE = "0 17 * * * ?";

    /** Daily at 01:30 (further confined by {@code scrub.window} when set). */
    public static final String DEFAULT_SCRUB = "0 30 1 * * ?";

    /** Every 15 minutes: bring references forward, write snapshots, and judge the scrub reports published since. */
    public static final String DEFAULT_JUDGE = "0 0/15 * * * ?";

    /** Daily at 03:45: expire snapshots and segments no restore inside the window needs. */
    public static final String DEFAULT_RETENTION = "0 45 3 * * ?";

    /** Weekly, Sunday 04:30: restore a random partition at a random point of the window and verify it. */
    public static final String DEFAULT_RESTORE_DRILL = "0 30 4 ? * SUN";

    /** Daily at 06:00: the compliance report. */
    public static final String DEFAULT_REPORT = "0 0 6 * * ?";

    /** Daily at 05:15: prove that every object in the repository opens with the keys configured (with encryption). */
    public static final String DEFAULT_KEY_CHECK = "0 15 5 * * ?";

    /** Hourly at :05: sign a checkpoint of the repository's log (with {@code audit.signing-key}). */
    public static final String DEFAULT_CHECKPOINT = "0 5 * * * ?";

    /** Daily at 05:30: audit the repository against its log (with {@code audit:}); before the 06:00 report. */
    public static final String DEFAULT_AUDIT = "0 30 5 * * ?";

    /** The default schedules, in {@code zone} (the configuration's loader passes the host's zone). */
    public static ScheduleConfig defaults(ZoneId zone) {
        return new ScheduleConfig(
                DEFAULT_ARCHIVE,
                DEFAULT_VERIFY_ARCHIVE,
                DEFAULT_SCRUB,
                DEFAULT_JUDGE,
                DEFAULT_RETENTION,
                DEFAULT_RESTORE_DRILL,
                DEFAULT_REPORT,
                DEFAULT_KEY_CHECK,
                DEFAULT_CHECKPOINT,
                DEFAULT_AUDIT,
                zone);
    }
}
