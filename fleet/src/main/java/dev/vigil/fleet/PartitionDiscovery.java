package dev.vigil.fleet;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.ScheduledExecutionsFilter;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import dev.vigil.core.PartitionId;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one instance of each per-partition task ({@code verify-partition}, {@code verify-partition-archive}) per
 * partition in the repository: a partition that appeared is scheduled at once (due now), one that is gone (no archive,
 * no scrub report) is cancelled unless a worker is running it (then the next discovery cancels it), and its records
 * are forgotten. Runs as a fleet-wide singleton, so two discoveries never race.
 */
final class PartitionDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionDiscovery.class);

    private final FleetWork work;
    private final List<CustomTask<Void>> tasks;
    private final PartitionVerifications verifications;
    private final PartitionFailures failures;

    PartitionDiscovery(
            FleetWork work,
            List<CustomTask<Void>> tasks,
            PartitionVerifications verifications,
            PartitionFailures failures) {
        this.work = work;
        this.tasks = List.copyOf(tasks);
        this.verifications = verifications;
        this.failures = failures;
    }

    /** What one discovery changed (partitions added and removed; the same for every task). */
    record Change(int added, int removed, int total) {}

    Change run(SchedulerClient client, Instant now) throws IOException, SQLException {
        Set<PartitionId> present = work.partitions();
        Set<String> added = new TreeSet<>();
        Set<String> removed = new TreeSet<>();
        for (CustomTask<Void> task : tasks) {
            Map<String, ScheduledExecution<Void>> scheduled = new HashMap<>();
            client.fetchScheduledExecutionsForTask(
                    task.getName(),
                    Void.class,
                    ScheduledExecutionsFilter.all(),
                    execution -> scheduled.put(execution.getTaskInstance().getId(), execution));
            Set<String> missing = new TreeSet<>();
            for (PartitionId partition : present) {
                if (!scheduled.containsKey(partition.value())) {
                    missing.add(partition.value());
                }
            }
            List<TaskInstance<?>> instances = new ArrayList<>();
            missing.forEach(name -> instances.add(task.instance(name)));
            try {
                client.scheduleBatch(instances, now); // one round trip per 100 rows: 100,000 partitions in seconds
            } catch (RuntimeException e) {
                // Only if a row appeared meanwhile (a task scheduled by hand): fall back to one at a time.
                LOG.debug("batch scheduling failed ({}); scheduling one by one", e.toString());
                missing.removeIf(name -> !client.scheduleIfNotExists(task.instance(name), now));
            }
            added.addAll(missing);
            for (Map.Entry<String, ScheduledExecution<Void>> entry : scheduled.entrySet()) {
                if (!present.contains(PartitionId.of(entry.getKey()))
                        && !entry.getValue().isPicked()) {
                    client.cancel(entry.getValue().getTaskInstance());
                    removed.add(entry.getKey());
                }
            }
        }
        for (String partition : removed) {
            verifications.retired(PartitionId.of(partition));
            failures.retired(PartitionId.of(partition));
            LOG.info("partition {} is no longer in the repository: its verification tasks are retired", partition);
        }
        if (!added.isEmpty()) {
            LOG.info("{} new partition(s) scheduled for verification: {}", added.size(), preview(added));
        }
        return new Change(added.size(), removed.size(), present.size());
    }

    private static String preview(Set<String> names) {
        return names.size() <= 10
                ? String.join(", ", names)
                : String.join(", ", names.stream().limit(10).toList()) + ", …";
    }
}
