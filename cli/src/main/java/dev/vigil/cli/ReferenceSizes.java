package dev.vigil.cli;

import dev.vigil.reference.Judge;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes each partition's hash-only reference takes in this process's work directory, as the judge left it, on
 * {@code /metrics} as {@code vigil_reference_disk_bytes{partition="..."}}: what sizing the work directory of a daemon
 * or a fleet worker rests on. A partition appears once this process has judged it. Thread safe.
 */
public final class ReferenceSizes {

    private final MeterRegistry registry;
    private final ConcurrentMap<String, AtomicLong> bytes = new ConcurrentHashMap<>();

    public ReferenceSizes(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Records the reference sizes the judge's outcomes carry. */
    public void record(List<Judge.Outcome> outcomes) {
        for (Judge.Outcome outcome : outcomes) {
            outcome.referenceBytes()
                    .ifPresent(size -> bytes.computeIfAbsent(outcome.partition(), this::register)
                            .set(size));
        }
    }

    private AtomicLong register(String partition) {
        AtomicLong size = new AtomicLong();
        Gauge.builder("vigil.reference.disk", size, AtomicLong::get)
                .description("Bytes the partition's hash-only reference takes in the work directory")
                .baseUnit("bytes")
                .tag("partition", partition)
                .register(registry);
        return size;
    }
}
