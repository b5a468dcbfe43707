package dev.vigil.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.PartitionId;
import dev.vigil.core.config.ConfigException;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.repository.ArchivedRanges;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Continuity;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.repository.RepositoryPartitions;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.ObjectSummary;
import dev.vigil.reference.Verdict;
import dev.vigil.reference.snapshot.Snapshots;
import dev.vigil.restore.RestoreDrill;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil status}: what the repository says about every partition, and what needs attention. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Per partition: archived LSNs and gaps, time since the last archived segment, last scrub and verdict"
                + " per replica, the last snapshot, the last restore drill, and what needs attention.",
                "Exit codes: 0 nothing needs attention, 1 something does, 2 configuration error, 3 the repository could"
                        + " not be read."})
final class StatusCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws ConfigException, IOException {
        VigilConfig loaded = config.load();
        PrintWriter out = spec.commandLine().getOut();
        Clock clock = Clock.systemUTC();
        try (VigilServices services = new VigilServices(loaded, clock)) {
            List<Map<String, Object>> partitions = new ArrayList<>();
            boolean attention = false;
            for (PartitionId partition : RepositoryPartitions.withArchive(services.store())) {
                Map<String, Object> status = status(services.store(), services.snapshots(), loaded, partition,
                        clock.instant());
                attention |= !((List<?>) status.get("attention")).isEmpty();
                partitions.add(status);
            }
            if (json) {
                CommandSupport.printJson(out, Map.of("repository", services.store().describe(), "partitions", partitions,
                        "attention", attention));
            } else {
                print(out, services.store().describe(), partitions);
            }
            return attention ? ExitCodes.FINDINGS : ExitCodes.OK;
        }
    }

    private static Map<String, Object> status(ObjectStore store, Snapshots snapshots, VigilConfig config,
                                              PartitionId partition, Instant now) throws IOException {
        List<String> attention = new ArrayList<>();
        List<ArchivedSegment> segments = ArchivedRanges.list(store, partition).segments();
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("partition", partition.value());
        long first = segments.getFirst().range().first();
        long contiguous = Continuity.contiguousEnd(segments, first);
        long last = segments.stream().mapToLong(s -> s.range().last()).max().orElse(0);
        Instant newest = segments.stream().map(ArchivedSegment::lastModified).max(Instant::compareTo).orElseThrow();
        status.put("archivedFrom", first);
        status.put("archivedTo", contiguous);
        List<String> gaps = Continuity.analyse(segments).gaps().stream().map(g -> g.missing().toString()).toList();
        status.put("gaps", gaps);
        gaps.forEach(g -> attention.add("archive gap " + g));
        status.put("lastArchivedAt", newest.toString());
        status.put("secondsSinceLastArchived", Duration.between(newest, now).toSeconds());
        List<Snapshots.SnapshotRef> refs = snapshots.list(partition);
        status.put("lastSnapshotLsn", refs.isEmpty() ? null : refs.getLast().lsn());
        status.put("restorableFromLsn", refs.isEmpty() ? first - 1 : Math.min(first - 1, refs.getFirst().lsn()));
        status.put("restorableToLsn", contiguous);

        Map<String, Verdict> latest = new TreeMap<>();
        for (Iterator<ObjectSummary> it = store.listAll(RepositoryLayout.PARTITIONS + partition + "/verdicts/"); it.hasNext(); ) {
            String key = it.next().key();
            try (ObjectStream in = store.get(key)) {
                Verdict verdict = JSON.readValue(in.readAllBytes(), Verdict.class);
                latest.merge(verdict.replica(), verdict, (a, b) -> b.lsn() >= a.lsn() ? b : a);
            }
        }
        Map<String, Long> lastScrub = new TreeMap<>();
        for (Iterator<ObjectSummary> it = store.listAll(RepositoryLayout.scrubPrefix(partition)); it.hasNext(); ) {
            RepositoryLayout.parseScrubKey(it.next().key())
                    .ifPresent(k -> lastScrub.merge(k.replica().value(), k.lsn(), Math::max));
        }
        List<Map<String, Object>> replicas = new ArrayList<>();
        for (String replica : lastScrub.keySet()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("replica", replica);
            r.put("lastScrubLsn", lastScrub.get(replica));
            Verdict verdict = latest.get(replica);
            r.put("lastVerdict", verdict == null ? null : verdict.status().name());
            r.put("lastVerdictLsn", verdict == null ? null : verdict.lsn());
            r.put("judgedAt", verdict == null ? null : verdict.judgedAt());
            if (verdict != null && verdict.status() != Verdict.Status.CLEAN) {
                attention.add("replica " + replica + ": " + verdict.status() + " at LSN " + verdict.lsn() + " ("
                        + verdict.totalDifferences() + " key(s))");
            }
            if (verdict == null || Duration.between(Instant.parse(verdict.judgedAt()), now)
                    .compareTo(config.report().maxVerificationAge()) > 0) {
                attention.add("replica " + replica + ": no clean verdict within " + config.report().maxVerificationAge());
            }
            replicas.add(r);
        }
        status.put("replicas", replicas);
        List<RestoreDrill.DrillRecord> drills = RestoreDrill.records(store, partition);
        RestoreDrill.DrillRecord drill = drills.isEmpty() ? null : drills.getLast();
        status.put("lastDrill", drill == null ? null : Map.of("time", drill.time(), "lsn", drill.lsn(), "passed", drill.passed()));
        if (drill != null && !drill.passed()) {
            attention.add("last restore drill failed: " + drill.error());
        }
        status.put("attention", attention);
        return status;
    }

    private static void print(PrintWriter out, String repository, List<Map<String, Object>> partitions) {
        out.println("repository " + repository);
        if (partitions.isEmpty()) {
            out.println("no archived partitions yet");
        }
        for (Map<String, Object> p : partitions) {
            out.printf("%n%s  archived LSNs %s..%s (last segment %s s ago)  last snapshot %s  restorable %s..%s%n",
                    p.get("partition"), p.get("archivedFrom"), p.get("archivedTo"), p.get("secondsSinceLastArchived"),
                    p.get("lastSnapshotLsn") == null ? "none" : "LSN " + p.get("lastSnapshotLsn"),
                    p.get("restorableFromLsn"), p.get("restorableToLsn"));
            for (Object o : (List<?>) p.get("replicas")) {
                Map<?, ?> r = (Map<?, ?>) o;
                out.printf("    replica %-12s last scrub at LSN %s, last verdict %s%n", r.get("replica"), r.get("lastScrubLsn"),
                        r.get("lastVerdict") == null ? "none yet" : r.get("lastVerdict") + " at LSN " + r.get("lastVerdictLsn")
                                + " (" + r.get("judgedAt") + ")");
            }
            Object drill = p.get("lastDrill");
            out.println("    last restore drill: " + (drill == null ? "none yet" : drill));
            List<?> attention = (List<?>) p.get("attention");
            attention.forEach(a -> out.println("    ATTENTION " + a));
            if (attention.isEmpty()) {
                out.println("    ok");
            }
        }
    }
}
