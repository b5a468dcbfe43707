package dev.vigil.archiver;

import dev.vigil.core.PartitionId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The archiver's meters (Prometheus names: vigil_archive_*). */
final class ArchiverMetrics {
    private final MeterRegistry registry;
    private final Map<PartitionId, AtomicLong[]> gauges = new ConcurrentHashMap<>();
    private final Counter retries;

    private final Timer passes;

    ArchiverMetrics(MeterRegistry registry, AdaptiveLimit limit) {
        this.registry = registry;
        this.retries = Counter.builder("vigil.archive.retries")
                .description("Partitions put on backoff after a failed upload")
                .register(registry);
        Gauge.builder("vigil.archive.upload.limit", limit, AdaptiveLimit::limit)
                .description("Current upload concurrency (halved when the store throttles)")
                .register(registry);
        this.passes = Timer.builder("vigil.archive.pass")
                .description("Duration of archive passes")
                .register(registry);
    }

    void pass(Duration took) {
        passes.record(took);
    }

    void retry() {
        retries.increment();
    }

    void partition(PartitionId partition, long lagSeconds, long lagBytes, long archivedLsn, PartitionTally tally) {
        AtomicLong[] values = gauges.computeIfAbsent(partition, p -> {
            AtomicLong[] created = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
            Tags tags = Tags.of("partition", p.value());
            gauge(
                    "vigil.archive.lag.seconds",
                    tags,
                    created[0],
                    "Age of the oldest sealed segment not yet archived" + " (0 when none waits)");
            gauge("vigil.archive.lag.bytes", tags, created[1], "Bytes of sealed segments waiting to be archived");
            gauge(
                    "vigil.archive.archived.lsn",
                    tags,
                    created[2],
                    "The LSN written to archived.lsn: everything up to it" + " is archived without a gap");
            return created;
        });
        values[0].set(lagSeconds);
        values[1].set(lagBytes);
        values[2].set(archivedLsn);
        count(partition, "uploaded", tally.uploaded);
        count(partition, "already_archived", tally.already);
        count(partition, "diverged", tally.diverged);
        count(partition, "corrupt", tally.corrupt);
        count(partition, "failed", tally.failed);
        Counter.builder("vigil.archive.bytes")
                .tag("partition", partition.value())
                .description("Bytes uploaded")
                .register(registry)
                .increment((double) tally.bytes);
    }

    private void gauge(String name, Tags tags, AtomicLong value, String description) {
        Gauge.builder(name, value, AtomicLong::get)
                .tags(tags)
                .description(description)
                .register(registry);
    }

    private void count(PartitionId partition, String outcome, int n) {
        Counter.builder("vigil.archive.segments")
                .tag("partition", partition.value())
                .tag("outcome", outcome)
                .description("Segments by outcome: uploaded, already_archived, diverged, corrupt, failed")
                .register(registry)
                .increment(n);
    }
}
