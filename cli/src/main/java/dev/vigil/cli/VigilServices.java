package dev.vigil.cli;

import dev.vigil.archiver.Archiver;
import dev.vigil.cli.config.ConfigException;
import dev.vigil.cli.config.Repositories;
import dev.vigil.cli.daemon.DaemonServices;
import dev.vigil.cli.daemon.WorkerServices;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.VigilVersion;
import dev.vigil.core.alert.AlertDispatcher;
import dev.vigil.core.alert.AlertSink;
import dev.vigil.core.alert.JsonLinesAlertSink;
import dev.vigil.core.alert.LogAlertSink;
import dev.vigil.core.alert.RepositoryAlertSink;
import dev.vigil.core.alert.WebhookAlertSink;
import dev.vigil.core.config.AlertSinkConfig;
import dev.vigil.core.config.FleetConfig;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.io.Closer;
import dev.vigil.core.io.ProcessTag;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.store.ObjectLockStatus;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.fleet.ReadBudget;
import dev.vigil.reference.Judge;
import dev.vigil.reference.ReferenceBuilder;
import dev.vigil.reference.snapshot.SnapshotException;
import dev.vigil.reference.snapshot.Snapshots;
import dev.vigil.report.ReportBuilder;
import dev.vigil.report.ReportPublisher;
import dev.vigil.report.ReportRequirements;
import dev.vigil.report.ReportService;
import dev.vigil.restore.RestoreDrill;
import dev.vigil.restore.Restorer;
import dev.vigil.restore.Retention;
import dev.vigil.scrubber.ArchiveVerifier;
import dev.vigil.scrubber.RetainedCheckpoints;
import dev.vigil.scrubber.RocksDbReplicaSource;
import dev.vigil.scrubber.Scrubber;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The services a command needs, built from the configuration and closed together in reverse order of
 * creation (every failure kept). One instance per command run.
 */
final class VigilServices implements AutoCloseable {

    /** Snapshot files downloaded at once. */
    private static final int SNAPSHOT_DOWNLOADS = 4;

    private final VigilConfig config;
    private final Clock clock;
    private final Closer closer = new Closer();
    private final ObjectStore store;
    private final AlertDispatcher alerts;
    private final PrometheusMeterRegistry metrics;
    private @Nullable Archiver archiver;
    private @Nullable JvmGcMetrics gcMetrics;

    VigilServices(VigilConfig config, Clock clock) throws IOException {
        this(config, clock, Repositories.open(config, clock));
    }

    /**
     * Refuses to run with {@code retention.object-lock} on a bucket without Object Lock: every locked put would fail.
     */
    void requireObjectLockIfConfigured() throws ConfigException, IOException {
        if (!config.retention().objectLock()) {
            return;
        }
        ObjectLockStatus status = store.objectLock();
        if (!status.enabled()) {
            throw new ConfigException(
                    "configuration",
                    List.of(
                            "retention.object-lock: " + status.description()
                                    + "; create the bucket with Object Lock enabled (aws s3api create-bucket ..."
                                    + " --object-lock-enabled-for-bucket, or mc mb --with-lock), or set retention.object-lock: false"));
        }
    }

    /** Services on an already open {@code store} (which they close with the rest); {@code config.repository} is unused. */
    VigilServices(VigilConfig config, Clock clock, ObjectStore store) {
        this.config = config;
        this.clock = clock;
        this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        closer.register(metrics::close);
        this.store = closer.register(store);
        List<AlertSink> sinks = sinks(config.alerts());
        // The repository keeps every alert too: compliance reports count findings and their resolution from it.
        sinks.add(new RepositoryAlertSink(store, host(config)));
        // Registered after the store: closing drains queued alerts into the repository before the store closes.
        this.alerts = closer.register(
                new AlertDispatcher(host(config), sinks, clock, config.daemon().alertDedupWindow()));
        FunctionCounter.builder("vigil.alerts.dropped", alerts, AlertDispatcher::dropped)
                .description("Alerts dropped because the delivery queue was full (each is in the log)")
                .register(metrics);
        Gauge.builder("vigil.alerts.pending", alerts, AlertDispatcher::pending)
                .description("Alerts raised and not yet delivered to every sink")
                .register(metrics);
    }

    /**
     * Registers what a long-running process exports besides Vigil's own meters: {@code vigil_build_info{version}}, and
     * the JVM's and the process's (memory, GC, threads, CPU, uptime, open files). Once per process.
     */
    synchronized void registerProcessMetrics() {
        if (gcMetrics != null) {
            return;
        }
        Gauge.builder("vigil.build.info", () -> 1)
                .tag("version", VigilVersion.version())
                .tag("java", System.getProperty("java.version", "unknown"))
                .description("The running Vigil's version (always 1)")
                .register(metrics);
        new ClassLoaderMetrics().bindTo(metrics);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);
        new FileDescriptorMetrics().bindTo(metrics);
        gcMetrics = closer.register(new JvmGcMetrics());
        gcMetrics.bindTo(metrics);
    }

    /**
     * This node's replica id; else a fleet worker's configured name; else the machine's host name (nodes that only
     * verify, judge or report).
     */
    private static String host(VigilConfig config) {
        return config.node()
                .map(n -> n.replica().value())
                .or(() -> config.fleet().flatMap(FleetConfig::workerName))
                .orElseGet(() -> ProcessTag.current().host());
    }

    /** The node section, which commands that touch this node's files require. */
    static NodeConfig requireNode(VigilConfig config, String command) throws ConfigException {
        return config.node()
                .orElseThrow(() -> new ConfigException(
                        "configuration",
                        List.of("node: is required by '" + command
                                + "' (which node's partitions to work on): set node.replica and" + " node.roots")));
    }

    synchronized Archiver archiver() throws ConfigException {
        if (archiver == null) {
            archiver = closer.register(new Archiver(
                    store,
                    requireNode(config, "archive"),
                    config.archive(),
                    alerts,
                    metrics,
                    clock,
                    new SecureRandom()));
        }
        return archiver;
    }

    Scrubber scrubber() throws ConfigException {
        NodeConfig node = requireNode(config, "scrub");
        return new Scrubber(
                store,
                node,
                config.scrub(),
                new RocksDbReplicaSource(config.workDir().resolve("scratch")),
                config.workDir(),
                alerts,
                clock);
    }

    /** A judge of this node's replica's reports (all replicas' on a machine without a node section). */
    Judge judge() {
        return judge(config.node().map(NodeConfig::replica));
    }

    /** A judge of every replica's reports (a fleet worker's), whatever node section the configuration has. */
    Judge fleetJudge() {
        return judge(Optional.empty());
    }

    private Judge judge(Optional<ReplicaId> onlyReplica) {
        return new Judge(
                store,
                config.workDir(),
                new RetainedCheckpoints(
                        new RocksDbReplicaSource(config.workDir().resolve("scratch"))),
                onlyReplica,
                alerts,
                clock,
                referenceBuilder());
    }

    /**
     * Services for a fleet worker: its repository reads paced by {@code budget} (the worker's share of
     * {@code fleet.read-budget}).
     */
    static VigilServices forWorker(VigilConfig config, Clock clock, ReadBudget budget) throws IOException {
        return new VigilServices(config, clock, budget.wrap(Repositories.open(config, clock)));
    }

    /** Everything a fleet worker runs, on the fleet database {@code database}, within {@code budget}. */
    WorkerServices workerServices(DataSource database, ReadBudget budget) {
        return new WorkerServices(
                new JudgingFleetWork(new Repository(store), this::fleetJudge, archiveVerifier()),
                retention(),
                restoreDrill(),
                reportService(),
                database,
                budget);
    }

    Restorer restorer() {
        return new Restorer(
                store,
                snapshots(),
                config.workDir(),
                config.scrub().algorithm(),
                config.scrub().bucketBits(),
                SnapshotException.raisingAlerts(alerts, clock),
                clock,
                new SecureRandom());
    }

    Retention retention() {
        return new Retention(store, snapshots(), config.retention(), clock);
    }

    RestoreDrill restoreDrill() {
        return new RestoreDrill(
                store,
                restorer(),
                snapshots(),
                config.retention(),
                config.workDir(),
                alerts,
                clock,
                new SecureRandom());
    }

    /** Everything the daemon's jobs call, built for this node. */
    DaemonServices daemonServices() throws ConfigException {
        return new DaemonServices(
                archiver(),
                archiveVerifier(),
                scrubber(),
                config.scrub(),
                judge(),
                retention(),
                restoreDrill(),
                reportService());
    }

    ReportBuilder reportBuilder() {
        return new ReportBuilder(store, ReportRequirements.of(config), clock);
    }

    ReportService reportService() {
        ReportBuilder builder = reportBuilder();
        ReportPublisher publisher = new ReportPublisher(store, config.workDir().resolve("scratch"), alerts, clock);
        return new ReportService(store, builder, publisher, config.report().period(), host(config));
    }

    Snapshots snapshots() {
        return new Snapshots(store, config.workDir().resolve("scratch"), clock, SNAPSHOT_DOWNLOADS);
    }

    /** Builds references from snapshots and writes new ones as {@code reference.snapshot-every} says. */
    ReferenceBuilder referenceBuilder() {
        return new ReferenceBuilder(
                store,
                Optional.of(snapshots()),
                config.reference().snapshotWalBytes(),
                SnapshotException.raisingAlerts(alerts, clock));
    }

    ArchiveVerifier archiveVerifier() {
        return new ArchiveVerifier(
                store, config.node(), config.verify(), config.archive().gapGrace(), alerts, clock, new SecureRandom());
    }

    VigilConfig config() {
        return config;
    }

    ObjectStore store() {
        return store;
    }

    AlertDispatcher alerts() {
        return alerts;
    }

    PrometheusMeterRegistry metrics() {
        return metrics;
    }

    Clock clock() {
        return clock;
    }

    /** Stops uploads within {@code timeout}, then closes the store, the alert sinks and the registry. */
    void shutdown(Duration timeout) throws InterruptedException {
        if (archiver != null) {
            archiver.shutdown(timeout);
        }
    }

    /** Closes everything in the reverse order of creation: the archiver, the alerts (drained), the store, the metrics. */
    @Override
    public void close() throws IOException {
        closer.close();
    }

    private static List<AlertSink> sinks(List<AlertSinkConfig> configs) {
        List<AlertSink> sinks = new ArrayList<>();
        for (AlertSinkConfig sink : configs) {
            sinks.add(
                    switch (sink) {
                        case AlertSinkConfig.Log log -> new LogAlertSink();
                        case AlertSinkConfig.JsonLines jsonl -> new JsonLinesAlertSink(jsonl.path());
                        case AlertSinkConfig.Webhook webhook ->
                            new WebhookAlertSink(
                                    webhook.url(), webhook.timeout(), webhook.maxAttempts(), Duration.ofMillis(500));
                    });
        }
        return sinks;
    }
}
