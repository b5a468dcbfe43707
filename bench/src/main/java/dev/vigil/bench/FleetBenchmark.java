package dev.vigil.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.archiver.Archiver;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.config.ArchiveConfig;
import dev.vigil.core.config.FleetConfig;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.config.ReferenceConfig;
import dev.vigil.core.config.ScrubConfig;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.Verdict;
import dev.vigil.core.store.ByteRange;
import dev.vigil.core.store.ForwardingObjectStore;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.demo.postgres.EmbeddedPostgresServer;
import dev.vigil.fleet.Fleet;
import dev.vigil.fleet.FleetDatabase;
import dev.vigil.fleet.FleetWork;
import dev.vigil.fleet.ReadBudget;
import dev.vigil.reference.Judge;
import dev.vigil.replay.ReferenceBuilder;
import dev.vigil.replay.snapshot.Snapshots;
import dev.vigil.scrubber.RetainedCheckpoints;
import dev.vigil.scrubber.RocksDbReplicaSource;
import dev.vigil.scrubber.Scrubber;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The verification fleet's figures for {@code docs/performance.md}, on one embedded PostgreSQL: (1) scheduling
 * throughput of no-op tasks for many partitions (tasks/s and the database's CPU); (2) the same partitions verified
 * the node-local way (each of three node daemons replays the archive to judge its own replica) and by a fleet of 1, 2
 * and 3 workers (one replay judges all three replicas): repository bytes read per partition per cycle, verification
 * throughput, and the storage node's CPU per cycle before (archive + scrub + judge) and after (archive + scrub). Two
 * cycles: the first replays each partition from its start, the second only the WAL written since. Run through
 * {@code bench/run-fleet}.
 */
public final class FleetBenchmark {

    private static final List<String> REPLICAS = List.of("node-a", "node-b", "node-c");
    private static final AlertPublisher NO_ALERTS = alert -> {};

    private FleetBenchmark() {}

    public static void main(String[] args) throws Exception {
        int tasks = Integer.parseInt(BenchSupport.option(args, "--tasks", "100000"));
        int partitions = Integer.parseInt(BenchSupport.option(args, "--partitions", "8"));
        int records = Integer.parseInt(BenchSupport.option(args, "--records", "100000"));
        int more = Integer.parseInt(BenchSupport.option(args, "--more", "20000"));
        Path base = BenchSupport.scratch("vigil-fleet-bench");
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(base.resolve("pg"))) {
            if (tasks > 0) {
                scheduling(postgres, tasks);
            }
            if (partitions > 0) {
                verification(base, postgres, partitions, records, more);
            }
        } finally {
            BenchSupport.delete(base);
        }
    }

    // ---- (1) scheduling throughput ----

    private static void scheduling(EmbeddedPostgresServer postgres, int tasks) throws Exception {
        System.out.println("Scheduling " + tasks + " partitions' no-op tasks (" + 2 * tasks + " executions: each"
                + " partition's verification and archive verification) on one PostgreSQL 14 (embedded):");
        System.out.println();
        System.out.println("| workers × threads | discovery (scheduling all tasks) s | all executed once, s | tasks/s |"
                + " PostgreSQL CPU s | PostgreSQL CPU ms per task | stats query ms |");
        System.out.println("|---|---|---|---|---|---|---|");
        Set<PartitionId> ids = new LinkedHashSet<>();
        for (int i = 0; i < tasks; i++) {
            ids.add(PartitionId.of(String.format(Locale.ROOT, "p-%07d", i)));
        }
        for (int[] shape : new int[][] {{1, 4}, {2, 4}, {3, 4}}) {
            String url = database(postgres, "sched_" + shape[0]);
            FleetConfig config = fast(url, shape[1], Duration.ofHours(1));
            List<HikariDataSource> sources = new ArrayList<>();
            List<Fleet> fleets = new ArrayList<>();
            FleetWork noop = new FleetWork() {
                @Override
                public Set<PartitionId> partitions() {
                    return ids;
                }

                @Override
                public String verifyPartition(PartitionId partition) {
                    return "nothing";
                }

                @Override
                public String verifyArchive(PartitionId partition) {
                    return "nothing";
                }

                @Override
                public String snapshotPartition(PartitionId partition) {
                    return "nothing";
                }
            };
            double cpu0 = PostgresCpu.seconds(postgres.dataDirectory());
            long t0 = System.nanoTime();
            try {
                for (int w = 0; w < shape[0]; w++) {
                    fleets.add(startWorker(config, "w" + w, noop, sources));
                }
                // Two tasks per partition: its verification and its archive verification.
                double discovered = waitFor(
                        sources.getFirst(),
                        "select count(*) from scheduled_tasks where task_name in ('verify-partition',"
                                + " 'verify-partition-archive')",
                        2L * tasks,
                        t0);
                double done = waitFor(
                        sources.getFirst(),
                        "select count(*) from scheduled_tasks where task_name in ('verify-partition',"
                                + " 'verify-partition-archive') and last_success is not null",
                        2L * tasks,
                        t0);
                double cpu = PostgresCpu.seconds(postgres.dataDirectory()) - cpu0;
                long q0 = System.nanoTime();
                int repeats = 5;
                for (int i = 0; i < repeats; i++) {
                    count(sources.getFirst(), StatsQuery.SQL);
                }
                double statsMs = (System.nanoTime() - q0) / 1e6 / repeats;
                System.out.printf(
                        Locale.ROOT,
                        "| %d × %d | %.1f | %.1f | %,.0f | %.1f | %.3f | %.0f |%n",
                        shape[0],
                        shape[1],
                        discovered,
                        done,
                        2 * tasks / (done - discovered),
                        cpu,
                        cpu * 1000 / (2 * tasks),
                        statsMs);
            } finally {
                fleets.forEach(Fleet::close);
                sources.forEach(HikariDataSource::close);
            }
        }
        System.out.println();
    }

    /** Starts a worker in this process on its own pool (added to {@code sources}, closed by the caller). */
    private static Fleet startWorker(FleetConfig config, String name, FleetWork work, List<HikariDataSource> sources)
            throws SQLException {
        HikariDataSource source = FleetDatabase.dataSource(config, Map.of());
        sources.add(source);
        return Fleet.start(
                config,
                source,
                name,
                work,
                List.of(),
                Duration.ofMinutes(1),
                new SimpleMeterRegistry(),
                NO_ALERTS,
                Clock.systemUTC());
    }

    /** The fleet's gauges' query shape (FleetStats), timed at this size. */
    private static final class StatsQuery {
        static final String SQL = "select count(*) filter (where last_success is null and execution_time <"
                + " now() - interval '30 minutes') + count(*) filter (where last_success < now() - interval '35"
                + " minutes') from scheduled_tasks where task_name = 'verify-partition'";
    }

    private static double waitFor(HikariDataSource source, String sql, long expected, long t0) throws Exception {
        while (count(source, sql) < expected) {
            Thread.sleep(100);
            if (System.nanoTime() - t0 > Duration.ofMinutes(30).toNanos()) {
                throw new IllegalStateException("not done within 30 minutes: " + sql);
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static long count(HikariDataSource source, String sql) throws SQLException {
        try (Connection connection = source.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static String database(EmbeddedPostgresServer postgres, String name) throws SQLException {
        try (HikariDataSource admin =
                        FleetDatabase.dataSource(fast(postgres.jdbcUrl(), 1, Duration.ofHours(1)), Map.of());
                Connection connection = admin.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        }
        return postgres.jdbcUrl().replace("/postgres", "/" + name);
    }

    private static FleetConfig fast(String url, int threads, Duration verifyEvery) {
        return new FleetConfig(
                url,
                Optional.of("postgres"),
                threads,
                verifyEvery,
                Duration.ofDays(1),
                Duration.ofDays(1),
                Duration.ofHours(1),
                Duration.ofSeconds(1),
                4,
                Duration.ofMillis(100),
                Duration.ofSeconds(1),
                Duration.ofMinutes(30),
                0,
                Duration.ofSeconds(30),
                Optional.empty());
    }

    // ---- (2) verification: node-local against the fleet ----

    private static void verification(Path base, EmbeddedPostgresServer postgres, int partitions, int records, int more)
            throws Exception {
        List<ReplicationGroup> groups = new ArrayList<>();
        List<Setup> setups = new ArrayList<>();
        try {
            for (int p = 0; p < partitions; p++) {
                groups.add(ReplicationGroup.builder(base.resolve("nodes").resolve("p" + p), Clock.systemUTC())
                        .partition(String.format(Locale.ROOT, "bench-%04d", p))
                        .replicas(REPLICAS.toArray(String[]::new))
                        .recordsPerSegment(10_000)
                        .keySpace(records)
                        .valueSize(100)
                        .seed(p)
                        .build());
            }
            setups.add(new Setup("node-local (3 daemons, each judges its replica)", 0, base.resolve("node-local")));
            for (int workers = 1; workers <= 3; workers++) {
                setups.add(new Setup(
                        "fleet, " + workers + " worker(s) × 1 thread", workers, base.resolve("fleet-" + workers)));
            }
            StringBuilder rows = new StringBuilder();
            double[] nodeCpu = new double[3]; // archive, scrub, judge: CPU s per node per cycle, cycle 2
            for (int cycle = 1; cycle <= 2; cycle++) {
                for (ReplicationGroup group : groups) {
                    group.write(cycle == 1 ? records : more);
                    group.sealAll();
                }
                for (Setup setup : setups) {
                    double[] cpu = setup.archiveAndScrub(groups);
                    if (setup.workers == 0 && cycle == 2) {
                        nodeCpu[0] = cpu[0] / REPLICAS.size();
                        nodeCpu[1] = cpu[1] / REPLICAS.size();
                    }
                }
                for (Setup setup : setups) {
                    Result result = setup.workers == 0 ? setup.judgeOnNodes() : setup.judgeByFleet(postgres, groups);
                    if (setup.workers == 0 && cycle == 2) {
                        nodeCpu[2] = result.cpuSeconds / REPLICAS.size();
                    }
                    rows.append(String.format(
                            Locale.ROOT,
                            "| %d | %s | %,d | %.1f | %.2f | %.1f | %.1f |%n",
                            cycle,
                            setup.name,
                            result.verdicts,
                            result.bytes / 1e6 / partitions,
                            partitions / result.seconds,
                            result.seconds,
                            result.cpuSeconds));
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "Verification of %d partitions × 3 replicas (cycle 1: %,d records each from LSN 1; cycle 2: %,d"
                            + " new records each), local directory repository, page-cached:%n%n",
                    partitions,
                    records,
                    more);
            System.out.println("| cycle | who verifies | verdicts | repository MB read per partition | partitions/s"
                    + " | elapsed s | CPU s |");
            System.out.println("|---|---|---|---|---|---|---|");
            System.out.print(rows);
            System.out.println();
            System.out.printf(
                    Locale.ROOT,
                    "A storage node's CPU per cycle (cycle 2, %d partitions): archive %.2f s, scrub %.2f s, judge %.2f"
                            + " s. Node-local: %.2f s; with a fleet (archive + scrub): %.2f s (%.0f%% of before).%n",
                    partitions,
                    nodeCpu[0],
                    nodeCpu[1],
                    nodeCpu[2],
                    nodeCpu[0] + nodeCpu[1] + nodeCpu[2],
                    nodeCpu[0] + nodeCpu[1],
                    100 * (nodeCpu[0] + nodeCpu[1]) / (nodeCpu[0] + nodeCpu[1] + nodeCpu[2]));
            readBudget(setups.get(1).store);
        } finally {
            setups.forEach(Setup::close);
            for (ReplicationGroup group : groups) {
                group.close();
            }
        }
    }

    /** Reads every archived segment unpaced, and through budgets of 100 and 25 MB/s. */
    private static void readBudget(ObjectStore store) throws IOException {
        List<String> keys = new ArrayList<>();
        store.forEach("partitions/", o -> {
            if (o.key().contains("/wal/")) {
                keys.add(o.key());
            }
        });
        double unpaced = readAll(store, keys);
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "Read budget (fleet.read-budget, one worker): the archived segments (%d objects) read unpaced at %.0f"
                        + " MB/s;%n",
                keys.size(),
                unpaced / 1e6);
        for (long budget : new long[] {100_000_000, 25_000_000}) {
            double paced = readAll(new ReadBudget(budget).wrap(store), keys);
            System.out.printf(
                    Locale.ROOT,
                    "  with a budget of %.0f MB/s: %.1f MB/s (%.2f× the budget)%n",
                    budget / 1e6,
                    paced / 1e6,
                    paced / budget);
        }
    }

    private static double readAll(ObjectStore store, List<String> keys) throws IOException {
        long bytes = 0;
        long t0 = System.nanoTime();
        byte[] buffer = new byte[1 << 16];
        for (String key : keys) {
            try (ObjectStream in = store.get(key)) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    bytes += n;
                }
            }
        }
        return bytes / ((System.nanoTime() - t0) / 1e9);
    }

    private record Result(long verdicts, long bytes, double seconds, double cpuSeconds) {}

    /** One way of verifying, with its own repository, node work directories and (for a fleet) database. */
    private static final class Setup implements AutoCloseable {
        final List<HikariDataSource> sources = new ArrayList<>();
        final List<Fleet> fleets = new ArrayList<>();
        final AtomicLong verdicts = new AtomicLong();
        final String name;
        final int workers;
        final Path dir;
        final CountingStore store;
        String url = "";

        Setup(String name, int workers, Path dir) throws IOException {
            this.name = name;
            this.workers = workers;
            this.dir = dir;
            this.store = new CountingStore(ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC()));
        }

        /** Archives and scrubs every node into this setup's repository; returns the CPU seconds of each, all nodes. */
        double[] archiveAndScrub(List<ReplicationGroup> groups) throws Exception {
            double[] cpu = new double[2];
            for (String replica : REPLICAS) {
                NodeConfig node = node(groups, replica);
                long c0 = BenchSupport.cpuNanos();
                try (Archiver archiver = new Archiver(
                        new Repository(store),
                        node,
                        ArchiveConfig.defaults(),
                        NO_ALERTS,
                        new SimpleMeterRegistry(),
                        Clock.systemUTC(),
                        new SecureRandom())) {
                    archiver.runPass();
                }
                long c1 = BenchSupport.cpuNanos();
                ScrubConfig d = ScrubConfig.defaults();
                new Scrubber(
                                new Repository(store),
                                node,
                                new ScrubConfig(
                                        0,
                                        d.windowStart(),
                                        d.windowEnd(),
                                        d.checkpointTtl(),
                                        d.algorithm(),
                                        d.bucketBits(),
                                        d.sketchCapacity(),
                                        d.keepCheckpoint()),
                                new RocksDbReplicaSource(work(replica).resolve("scratch")),
                                work(replica),
                                NO_ALERTS,
                                Clock.systemUTC())
                        .scrub(Optional.empty());
                cpu[0] += (c1 - c0) / 1e9;
                cpu[1] += (BenchSupport.cpuNanos() - c1) / 1e9;
            }
            return cpu;
        }

        /** Each node's daemon judges its own replica, one after the other (each on its own machine in production). */
        Result judgeOnNodes() throws IOException {
            long bytes0 = store.bytesRead.get();
            long c0 = BenchSupport.cpuNanos();
            long t0 = System.nanoTime();
            long verdicts = 0;
            for (String replica : REPLICAS) {
                Judge judge = judge(work(replica), Optional.of(ReplicaId.of(replica)));
                for (Judge.Outcome outcome : judge.judgeAll()) {
                    verdicts += check(outcome);
                }
            }
            // Nodes run in parallel in production: the elapsed time is one node's share.
            return new Result(
                    verdicts,
                    store.bytesRead.get() - bytes0,
                    (System.nanoTime() - t0) / 1e9 / REPLICAS.size(),
                    (BenchSupport.cpuNanos() - c0) / 1e9);
        }

        /**
         * {@code workers} fleet workers in this process verify every partition once. They start at the first cycle and
         * keep running, as a fleet does: each later cycle makes every partition due now.
         */
        Result judgeByFleet(EmbeddedPostgresServer postgres, List<ReplicationGroup> groups) throws Exception {
            if (url.isEmpty()) {
                url = database(postgres, "verify_" + workers);
            }
            FleetConfig config = fast(url, 1, Duration.ofHours(1));
            long bytes0 = store.bytesRead.get();
            long verdicts0 = verdicts.get();
            Instant started = Instant.now();
            long c0 = BenchSupport.cpuNanos();
            long t0 = System.nanoTime();
            if (fleets.isEmpty()) {
                for (int w = 0; w < workers; w++) {
                    Path work = dir.resolve("worker-" + w);
                    FleetWork judging = new FleetWork() {
                        @Override
                        public Set<PartitionId> partitions() throws IOException {
                            return new Repository(store).partitionsWithArchiveOrScrubReports();
                        }

                        @Override
                        public String verifyPartition(PartitionId partition) throws IOException {
                            Judge.Outcome outcome =
                                    judge(work, Optional.empty()).judge(partition);
                            verdicts.addAndGet(check(outcome));
                            return "ok";
                        }

                        @Override
                        public String verifyArchive(PartitionId partition) {
                            // Measured apart (bench/run-verify): here only the judging's reads count.
                            return "not part of this measurement";
                        }

                        @Override
                        public String snapshotPartition(PartitionId partition) {
                            // Measured apart (bench/run-snapshot-merge).
                            return "not part of this measurement";
                        }
                    };
                    fleets.add(startWorker(config, "w" + w, judging, sources));
                }
            } else {
                try (Connection connection = sources.getFirst().getConnection();
                        Statement statement = connection.createStatement()) {
                    statement.executeUpdate("update scheduled_tasks set execution_time = now() where task_name ="
                            + " 'verify-partition'");
                }
            }
            // Completed verifications (a deferral to the previous worker also sets db-scheduler's last_success).
            waitFor(
                    sources.getFirst(),
                    "select count(*) from vigil_partitions where verified_at >= '" + started + "'",
                    groups.size(),
                    t0);
            return new Result(
                    verdicts.get() - verdicts0,
                    store.bytesRead.get() - bytes0,
                    (System.nanoTime() - t0) / 1e9,
                    (BenchSupport.cpuNanos() - c0) / 1e9);
        }

        @Override
        public void close() {
            fleets.forEach(Fleet::close);
            sources.forEach(HikariDataSource::close);
        }

        private Judge judge(Path work, Optional<ReplicaId> only) {
            return new Judge(
                    new Repository(store),
                    work,
                    new RetainedCheckpoints(new RocksDbReplicaSource(work.resolve("scratch"))),
                    only,
                    NO_ALERTS,
                    Clock.systemUTC(),
                    new ReferenceBuilder(
                            new Repository(store),
                            Optional.of(new Snapshots(
                                    new Repository(store), work.resolve("scratch"), Clock.systemUTC(), 4)),
                            ReferenceConfig.defaults().snapshotWalBytes(),
                            e -> {}));
        }

        private Path work(String replica) {
            return dir.resolve("work-" + replica);
        }
    }

    private static long check(Judge.Outcome outcome) {
        if (outcome.stoppedAt().isPresent()) {
            throw new IllegalStateException(
                    outcome.partition() + " stopped: " + outcome.stoppedAt().get());
        }
        for (Verdict verdict : outcome.verdicts()) {
            if (verdict.status() != Verdict.Status.CLEAN) {
                throw new IllegalStateException(outcome.partition() + ": " + verdict.status());
            }
        }
        return outcome.verdicts().size();
    }

    private static NodeConfig node(List<ReplicationGroup> groups, String replica) {
        return new NodeConfig(
                ReplicaId.of(replica),
                groups.stream().map(g -> g.replica(replica).root()).toList());
    }

    /** Counts the bytes of every object read (whole objects and ranges). */
    private static final class CountingStore extends ForwardingObjectStore {
        final AtomicLong bytesRead = new AtomicLong();

        CountingStore(ObjectStore delegate) {
            super(delegate);
        }

        @Override
        public ObjectStream get(String key) throws IOException {
            ObjectStream stream = super.get(key);
            bytesRead.addAndGet(stream.info().size());
            return stream;
        }

        @Override
        public ObjectStream get(String key, ByteRange range) throws IOException {
            ObjectStream stream = super.get(key, range);
            bytesRead.addAndGet(range.length());
            return stream;
        }
    }

    /** CPU seconds used by a PostgreSQL server: the postmaster, its live backends, and its reaped children. */
    private static final class PostgresCpu {
        static double seconds(Path dataDirectory) throws IOException {
            long pid = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid"))
                    .getFirst()
                    .strip());
            double ticks = 100.0; // USER_HZ on Linux
            long total = 0;
            try (var procs = Files.list(Path.of("/proc"))) {
                for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                        .toList()) {
                    String[] stat;
                    try {
                        String raw = Files.readString(proc.resolve("stat"));
                        stat = raw.substring(raw.lastIndexOf(')') + 2).split(" ", -1);
                    } catch (IOException gone) {
                        continue;
                    }
                    long self = Long.parseLong(proc.getFileName().toString());
                    long parent = Long.parseLong(stat[1]);
                    if (self == pid || parent == pid) {
                        total += Long.parseLong(stat[11]) + Long.parseLong(stat[12]); // utime, stime
                        if (self == pid) {
                            total += Long.parseLong(stat[13]) + Long.parseLong(stat[14]); // cutime, cstime
                        }
                    }
                }
            }
            return total / ticks;
        }
    }
}
