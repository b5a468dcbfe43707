package dev.vigil.cli.daemon;

import dev.vigil.archiver.Archiver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What {@code GET /health} says: {@code UP} only while every job's last run finished and every partition can archive;
 * {@code DEGRADED} (still HTTP 200, the process works) with the reasons otherwise; {@code STOPPING} (HTTP 503) during
 * shutdown. Thread safe.
 */
final class DaemonHealth implements HealthSource {

    private final JobTracker jobs;
    private final Archiver archiver;
    private final BooleanSupplier stopping;

    DaemonHealth(JobTracker jobs, Archiver archiver, BooleanSupplier stopping) {
        this.jobs = jobs;
        this.archiver = archiver;
        this.stopping = stopping;
    }

    @Override
    public boolean stopping() {
        return stopping.getAsBoolean();
    }

    /** The health document. */
    @Override
    public Map<String, Object> document() {
        Map<String, String> failing = archiver.failingPartitions();
        List<String> reasons = new ArrayList<>(jobs.problems());
        failing.forEach((partition, why) -> reasons.add("partition " + partition + " cannot archive: " + why));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("status", HealthSource.status(stopping(), reasons));
        document.put("reasons", reasons);
        document.put("partitionsNotArchiving", failing);
        document.put("jobs", jobs.health());
        return document;
    }
}
