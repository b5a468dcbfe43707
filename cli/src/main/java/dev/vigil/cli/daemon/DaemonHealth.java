package dev.vigil.cli.daemon;

import dev.vigil.archiver.Archiver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What {@code GET /health} says: {@code STARTING} (HTTP 503) until the first archive pass has looked at the node and
 * the repository (nothing is UP before it was checked); {@code UP} only while every job's last run finished and every
 * partition can archive; {@code DEGRADED} (still HTTP 200, the process works) with the reasons otherwise;
 * {@code STOPPING} (HTTP 503) during shutdown. Jobs on a daily schedule that have not run yet are listed as such and
 * do not hold the daemon in STARTING (a liveness probe would restart it all day). Thread safe.
 */
final class DaemonHealth implements HealthSource {

    private final JobTracker jobs;
    private final Archiver archiver;
    private final BooleanSupplier stopping;
    private final List<String> storeWarnings;

    DaemonHealth(JobTracker jobs, Archiver archiver, List<String> storeWarnings, BooleanSupplier stopping) {
        this.storeWarnings = List.copyOf(storeWarnings);
        this.jobs = jobs;
        this.archiver = archiver;
        this.stopping = stopping;
    }

    private boolean starting() {
        return !jobs.hasRun(ArchiveJob.NAME);
    }

    private List<String> reasons() {
        List<String> reasons = new ArrayList<>(jobs.problems());
        storeWarnings.forEach(warning -> reasons.add("the repository: " + warning));
        archiver.failingPartitions()
                .forEach((partition, why) -> reasons.add("partition " + partition + " cannot archive: " + why));
        return reasons;
    }

    @Override
    public Health health() {
        Map<String, String> failing = archiver.failingPartitions();
        List<String> reasons = reasons();
        boolean starting = starting();
        if (starting) {
            reasons.add("starting: the first archive pass has not finished yet");
        }
        Map<String, Object> document = new LinkedHashMap<>();
        Status status = HealthSource.status(stopping.getAsBoolean(), starting, reasons);
        document.put("status", status);
        document.put("reasons", reasons);
        document.put("partitionsNotArchiving", failing);
        document.put("jobs", jobs.health());
        return new Health(status, document);
    }
}
