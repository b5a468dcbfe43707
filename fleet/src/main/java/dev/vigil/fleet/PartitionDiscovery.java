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
 * Keeps one {@code verify-partition} task per partition in the repository: a partition that appeared is scheduled at
 * once (a verification due now), one that is gone (no archive, no scrub report) is cancelled unless a worker is
 * running it (then the next discovery cancels it). Runs as a fleet-wide singleton, so two discoveries never race.
 */
final class PartitionDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionDiscovery.class);

    private final FleetWork work;
    private final CustomTask<Void> verify;
    private final PartitionVerifications verifications;

    PartitionDiscovery(FleetWork work, CustomTask<Void> verify, PartitionVerifications verifications) {
        this.work = work;
        this.verify = verify;
        this.verifications = verifications;
    }

    /** What one discovery changed. */
    record Change(int added, int removed, int total) {}

    Change run(SchedulerClient client, Instant now) throws IOException, SQLException {
        Set<PartitionId> present = work.partitions();
        Map<String, ScheduledExecution<Void>> scheduled = new HashMap<>();
        client.fetchScheduledExecutionsForTask(
                verify.getName(),
                Void.class,
                ScheduledExecutionsFilter.all(),
                execution -> scheduled.put(execution.getTaskInstance().getId(), execution));
        Set<String> added = new TreeSet<>();
        for (PartitionId partition : present) {
            if (!scheduled.containsKey(partition.value())) {
                added.add(partition.value());
            }
        }
        List<TaskInstance<?>> instances = new ArrayList<>();
        added.forEach(name -> instances.add(verify.instance(name)));
        try {
            client.scheduleBatch(instances, now); // one round trip per 100 rows: 100,000 partitions in seconds
        } catch (RuntimeException e) {
            // Only if a row appeared meanwhile (a task scheduled by hand): fall back to one at a time.
            LOG.debug("batch scheduling failed ({}); scheduling one by one", e.toString());
            added.removeIf(name -> !client.scheduleIfNotExists(verify.instance(name), now));
        }
        int removed = 0;
        for (Map.Entry<String, ScheduledExecution<Void>> entry : scheduled.entrySet()) {
            if (!present.contains(PartitionId.of(entry.getKey()))
                    && !entry.getValue().isPicked()) {
                client.cancel(entry.getValue().getTaskInstance());
                verifications.retired(PartitionId.of(entry.getKey()));
                removed++;
                LOG.info(
                        "partition {} is no longer in the repository: its verification task is retired",
                        entry.getKey());
            }
        }
        if (!added.isEmpty()) {
            LOG.info("{} new partition(s) scheduled for verification: {}", added.size(), preview(added));
        }
        return new Change(added.size(), removed, present.size());
    }

    private static String preview(Set<String> names) {
        return names.size() <= 10
                ? String.join(", ", names)
                : String.join(", ", names.stream().limit(10).toList()) + ", …";
    }
}
