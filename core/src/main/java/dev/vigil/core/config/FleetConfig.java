package dev.vigil.core.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The verification fleet ({@code fleet} section): the PostgreSQL database that workers ({@code vigil worker}) share
 * through db-scheduler, and how they work. With this section a node daemon leaves the central work (judging, archive
 * verification, retention, restore drills, reports) to the workers. The password is never in the file: it comes from
 * {@code VIGIL_FLEET_PASSWORD}, {@code PGPASSWORD} or {@code ~/.pgpass}.
 *
 * @param jdbcUrl          the database, as a PostgreSQL JDBC URL ({@code jdbc:postgresql://host:5432/vigil})
 * @param user             the database user; absent: {@code PGUSER}, else the driver's default
 * @param threads          verification tasks one worker runs at once
 * @param verifyEvery      how long after one verification of a partition the next is due
 * @param verifyArchiveEvery how long after one archive verification of a partition (re-reading its objects that are
 *                         due, see {@code verify.period}) the next is due
 * @param snapshotEvery    how long after one {@code snapshot-partition} run of a partition (a snapshot merged at its
 *                         newest hash-state checkpoint, when that is newer than its newest snapshot) the next is due
 * @param discoverEvery    how often the repository is listed for partitions that appeared or went
 * @param heartbeat        how often a worker renews its hold on what it runs
 * @param missedHeartbeats heartbeats missed (at least 4, as db-scheduler requires) before another worker takes over a task (a dead worker's task is
 *                         taken over after {@code heartbeat × missedHeartbeats})
 * @param pollInterval     how often an idle worker asks the database for due work
 * @param retryAfter       the first wait before a failed task is tried again (doubling up to {@code verifyEvery})
 * @param overdueAfter     a partition whose verification is due for longer than this counts as overdue
 * @param readBudget       bytes per second all workers together may read from the repository (each takes its share:
 *                         the budget divided by the live workers); 0: no limit
 * @param affinityWait     how long a partition's task waits for the worker that verified it last (which holds its
 *                         reference) before any worker takes it
 * @param workerName       this worker's name in the fleet (its alerts' host, its tasks' holder); absent: host name
 *                         and process id. Must be unique among the running workers
 */
public record FleetConfig(
        String jdbcUrl,
        Optional<String> user,
        int threads,
        Duration verifyEvery,
        Duration verifyArchiveEvery,
        Duration snapshotEvery,
        Duration discoverEvery,
        Duration heartbeat,
        int missedHeartbeats,
        Duration pollInterval,
        Duration retryAfter,
        Duration overdueAfter,
        long readBudget,
        Duration affinityWait,
        Optional<String> workerName) {

    public static final int DEFAULT_THREADS = 2;
    public static final Duration DEFAULT_VERIFY_EVERY = Duration.ofMinutes(5);
    public static final Duration DEFAULT_VERIFY_ARCHIVE_EVERY = Duration.ofHours(1);
    public static final Duration DEFAULT_SNAPSHOT_EVERY = Duration.ofHours(1);
    public static final Duration DEFAULT_DISCOVER_EVERY = Duration.ofMinutes(1);
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
    public static final int DEFAULT_MISSED_HEARTBEATS = 6;
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofMinutes(1);
    public static final Duration DEFAULT_OVERDUE_AFTER = Duration.ofMinutes(30);
    public static final long DEFAULT_READ_BUDGET = 0;
    public static final Duration DEFAULT_AFFINITY_WAIT = Duration.ofSeconds(30);

    /** The defaults for everything but the database. */
    public static FleetConfig defaults(String jdbcUrl) {
        return new FleetConfig(
                jdbcUrl,
                Optional.empty(),
                DEFAULT_THREADS,
                DEFAULT_VERIFY_EVERY,
                DEFAULT_VERIFY_ARCHIVE_EVERY,
                DEFAULT_SNAPSHOT_EVERY,
                DEFAULT_DISCOVER_EVERY,
                DEFAULT_HEARTBEAT,
                DEFAULT_MISSED_HEARTBEATS,
                DEFAULT_POLL_INTERVAL,
                DEFAULT_RETRY_AFTER,
                DEFAULT_OVERDUE_AFTER,
                DEFAULT_READ_BUDGET,
                DEFAULT_AFFINITY_WAIT,
                Optional.empty());
    }

    /** How long a worker may be silent before its tasks are taken over. */
    public Duration takeoverAfter() {
        return heartbeat.multipliedBy(missedHeartbeats);
    }
}
