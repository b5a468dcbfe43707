package dev.vigil.cli.config;

import dev.vigil.core.Urls;
import dev.vigil.core.config.FleetConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Binds {@code fleet}: the verification fleet's database and schedule, each rule at its key. */
final class FleetSection {

    private FleetSection() {}

    static Optional<FleetConfig> bind(ConfigNode section) {
        if (section.isMissing() || !section.requireObject()) {
            return Optional.empty();
        }
        Optional<String> url = section.requiredString("jdbc-url");
        Optional<String> user = section.optionalString("user");
        int threads = section.integer("threads", FleetConfig.DEFAULT_THREADS, 1, 256);
        Duration verifyEvery = section.duration("verify-every", FleetConfig.DEFAULT_VERIFY_EVERY);
        Duration verifyArchiveEvery =
                section.duration("verify-archive-every", FleetConfig.DEFAULT_VERIFY_ARCHIVE_EVERY);
        Duration snapshotEvery = section.duration("snapshot-every", FleetConfig.DEFAULT_SNAPSHOT_EVERY);
        Duration discoverEvery = section.duration("discover-every", FleetConfig.DEFAULT_DISCOVER_EVERY);
        Duration heartbeat = section.duration("heartbeat", FleetConfig.DEFAULT_HEARTBEAT);
        int missed = section.integer("missed-heartbeats", FleetConfig.DEFAULT_MISSED_HEARTBEATS, 4, 100);
        Duration poll = section.duration("poll-interval", FleetConfig.DEFAULT_POLL_INTERVAL);
        Duration retry = section.duration("retry-after", FleetConfig.DEFAULT_RETRY_AFTER);
        Duration overdue = section.duration("overdue-after", FleetConfig.DEFAULT_OVERDUE_AFTER);
        long readBudget = section.size("read-budget", FleetConfig.DEFAULT_READ_BUDGET);
        Duration affinityWait = section.duration("affinity-wait", FleetConfig.DEFAULT_AFFINITY_WAIT);
        Optional<String> workerName = section.optionalString("worker-name");
        if (section.has("password")) {
            section.child("password")
                    .problem("a database password does not belong in the configuration file: set"
                            + " VIGIL_FLEET_PASSWORD or PGPASSWORD in the worker's environment, or use ~/.pgpass");
        }
        section.rejectUnknownKeys();
        Map<String, Duration> durations = new LinkedHashMap<>();
        durations.put("verify-every", verifyEvery);
        durations.put("verify-archive-every", verifyArchiveEvery);
        durations.put("snapshot-every", snapshotEvery);
        durations.put("discover-every", discoverEvery);
        durations.put("heartbeat", heartbeat);
        durations.put("poll-interval", poll);
        durations.put("retry-after", retry);
        durations.put("overdue-after", overdue);
        durations.forEach((key, value) -> {
            if (!value.isPositive()) {
                section.child(key).problem("must be positive");
            }
        });
        if (url.isEmpty()) {
            return Optional.empty();
        }
        String shown = Urls.forDisplay(url.get());
        if (Urls.hasUserInfo(url.get())) {
            section.child("jdbc-url")
                    .problem("'" + shown + "' carries credentials (user:password@), which do not belong in the"
                            + " configuration file: name the user with fleet.user and set VIGIL_FLEET_PASSWORD or"
                            + " PGPASSWORD in the worker's environment, or use ~/.pgpass");
            return Optional.empty();
        }
        if (!url.get().startsWith("jdbc:postgresql:")) {
            section.child("jdbc-url")
                    .problem("'" + shown + "' is not a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/database)");
            return Optional.empty();
        }
        if (url.get().toLowerCase(Locale.ROOT).contains("password=")) {
            section.child("jdbc-url")
                    .problem("carries a password, which does not belong in the configuration file: set"
                            + " VIGIL_FLEET_PASSWORD or PGPASSWORD in the worker's environment, or use ~/.pgpass");
            return Optional.empty();
        }
        return Optional.of(new FleetConfig(
                url.get(),
                user,
                threads,
                verifyEvery,
                verifyArchiveEvery,
                snapshotEvery,
                discoverEvery,
                heartbeat,
                missed,
                poll,
                retry,
                overdue,
                readBudget,
                affinityWait,
                workerName));
    }
}
