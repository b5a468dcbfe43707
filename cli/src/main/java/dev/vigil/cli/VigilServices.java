package dev.vigil.cli;

import dev.vigil.archiver.Archiver;
import dev.vigil.cli.config.ConfigException;
import dev.vigil.cli.config.Repositories;
import dev.vigil.cli.daemon.DaemonServices;
import dev.vigil.cli.daemon.WorkerServices;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.alert.AlertDispatcher;
import dev.vigil.core.alert.AlertSink;
import dev.vigil.core.alert.OpenIncidents;
import dev.vigil.core.alert.RepositoryAlertSink;
import dev.vigil.core.config.FleetConfig;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.io.Closer;
import dev.vigil.core.io.DirectoryLock;
import dev.vigil.core.io.ProcessTag;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.StoreGuarantees;
import dev.vigil.encryption.EncryptingObjectStore;
import dev.vigil.fleet.ReadBudget;
import dev.vigil.reference.Judge;
import dev.vigil.replay.RebuiltReference;
import dev.vigil.replay.ReferenceBuilder;
import dev.vigil.replay.snapshot.SnapshotException;
import dev.vigil.replay.snapshot.Snapshots;
import dev.vigil.report.ReportBuilder;
import dev.vigil.report.ReportPublisher;
import dev.vigil.report.ReportRequirements;
import dev.vigil.report.ReportService;
import dev.vigil.restore.RestoreDrill;
import dev.vigil.restore.Restorer;
import dev.vigil.restore.Retention;
import dev.vigil.scrubber.ArchiveVerifier;
import dev.vigil.scrubber.NodeCopyCheck;
import dev.vigil.scrubber.RetainedCheckpoints;
import dev.vigil.scrubber.RocksDbReplicaSource;
import dev.vigil.scrubber.Scrubber;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services a command needs, built from the configuration and closed together in reverse order of
 * creation (every failure kept). One instance per command run.
 */
public final class VigilServices implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VigilServices.class);

    /** What {@link #requireStoreGuarantees} found the store does not back, for {@code /health}. */
    private volatile List<String> storeWarnings = List.of();

    /** Snapshot files downloaded at once. */
    private static final int SNAPSHOT_DOWNLOADS = 4;

    private final VigilConfig config;
    private final Clock clock;
    private final Closer closer = new Closer();
    private final ObjectStore store;
    /** The repository's encryption, beneath any pacing of reads; null without {@code encryption:}. */
    private final @Nullable EncryptingObjectStore keys;
    /** The one facade over {@link #store} every service is given. */
    private final Repository repository;

    private final AlertDispatcher alerts;
    private final PrometheusMeterRegistry metrics;
    private @Nullable Archiver archiver;
    private @Nullable JvmGcMetrics gcMetrics;

    /** How a command uses the repository and the local directories; decides the locks it takes and what it creates. */
    public enum Role {
        /** Reads the repository (and may add evidence to it) without owning anything local; it must exist. */
        SHARED(false, false, false),
        /** Owns the work directory (reference replicas, checkpoints, drills); the repository must exist. */
        WORK_DIR(true, false, false),
        /** A fleet worker: owns its work directory; the repository must exist. */
        WORKER(true, false, false),
        /** The node's scrub (one run): owns the work directory (its checkpoints); creates the repository. */
        SCRUB(true, false, true),
        /** The node agent (or one archive pass): owns the work directory and the node's roots; creates the repository. */
        NODE_AGENT(true, true, true);

        final boolean locksWorkDir;
        final boolean locksRoots;
        final boolean createsRepository;

        Role(boolean locksWorkDir, boolean locksRoots, boolean createsRepository) {
            this.locksWorkDir = locksWorkDir;
            this.locksRoots = locksRoots;
            this.createsRepository = createsRepository;
        }
    }

    /** The file in the work directory where a process that owns it keeps its open incidents. */
    static final String INCIDENTS_FILE = "state/open-incidents.json";

    /** Services for a command that only reads (and adds evidence): the repository must exist; nothing is locked. */
    public VigilServices(VigilConfig config, Clock clock) throws IOException {
        this(config, clock, Role.SHARED, "vigil");
    }

    /**
     * Services for a command in {@code role}: takes its locks first (each naming {@code holder}, e.g. {@code vigil
     * daemon for node node-a}), then opens the repository (creating it only for {@link Role#NODE_AGENT}).
     *
     * @throws DirectoryLock.HeldException when another process holds a directory this role owns
     * @throws IOException                 when the repository is absent (and not created) or cannot be opened
     */
    public VigilServices(VigilConfig config, Clock clock, Role role, String holder) throws IOException {
        this(config, clock, role, holder, store -> store);
    }

    private VigilServices(VigilConfig config, Clock clock, Role role, String holder, UnaryOperator<ObjectStore> wrap)
            throws IOException {
        this.config = config;
        this.clock = clock;
        this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        closer.register(metrics::close);
        OpenIncidents incidents = OpenIncidents.inMemory();
        try {
            if (role.locksWorkDir) {
                closer.register(
                        DirectoryLock.acquirePrivate(config.workDir(), "work directory", holder, clock.instant()));
                incidents = OpenIncidents.file(config.workDir().resolve(INCIDENTS_FILE));
            }
            if (role.locksRoots) {
                for (Path root : config.node().map(NodeConfig::roots).orElse(List.of())) {
                    closer.register(DirectoryLock.acquire(root, "node root", holder, clock.instant()));
                }
            }
            ObjectStore opened = Repositories.open(config, clock, role.createsRepository);
            this.keys = opened instanceof EncryptingObjectStore encrypting ? encrypting : null;
            this.store = closer.register(wrap.apply(opened));
            this.repository = new Repository(store);
        } catch (IOException | RuntimeException e) {
            try {
                closer.close();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        this.alerts = alerts(config, clock, store, incidents);
    }

    /** {@link Repositories#requireObjectLock} of this repository. */
    void requireObjectLockIfConfigured() throws ConfigException, IOException {
        Repositories.requireObjectLock(config, store);
    }

    /**
     * What the repository's store guarantees ({@link ObjectStore#guarantees}: an S3 server is probed once), before a
     * process that writes to it starts: refuses (as a configuration error naming the setting) where Vigil would not
     * write to it as configured, and returns the warnings about settings it does not back, for {@code /health}. A store
     * that cannot be reached now is probed at its first write instead (the process still starts, to report the
     * outage); nothing is returned for it.
     */
    List<String> requireStoreGuarantees() throws ConfigException {
        StoreGuarantees guarantees;
        try {
            guarantees = store.guarantees();
        } catch (IOException e) {
            LOG.warn(
                    "cannot find out what {} guarantees now ({}); it is probed again before the first write",
                    store.describe(),
                    e.getMessage());
            return List.of();
        }
        if (guarantees.refusal().isPresent()) {
            throw new ConfigException("repository", List.of(guarantees.refusal().get()));
        }
        storeWarnings = guarantees.warnings();
        return storeWarnings;
    }

    /** Services on an already open {@code store} (which they close with the rest); {@code config.repository} is unused. */
    VigilServices(VigilConfig config, Clock clock, ObjectStore store) {
        this.config = config;
        this.clock = clock;
        this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        closer.register(metrics::close);
        this.store = closer.register(store);
        this.keys = store instanceof EncryptingObjectStore encrypting ? encrypting : null;
        this.repository = new Repository(store);
        this.alerts = alerts(config, clock, store, OpenIncidents.inMemory());
    }

    private AlertDispatcher alerts(VigilConfig config, Clock clock, ObjectStore store, OpenIncidents incidents) {
        List<AlertSink> sinks = AlertWiring.sinks(config, clock, host(config));
        // The repository keeps every alert too: compliance reports count findings and their resolution from it.
        sinks.add(new RepositoryAlertSink(store, host(config)));
        // Registered after the store: closing drains queued alerts into the repository before the store closes.
        AlertDispatcher dispatcher = closer.register(
                new AlertDispatcher(host(config), sinks, clock, config.daemon().alertDedupWindow(), incidents));
        AlertWiring.registerMeters(dispatcher, metrics);
        return dispatcher;
    }

    /** Registers what a long-running process exports besides Vigil's own meters ({@link ProcessMetrics}), once. */
    synchronized void registerProcessMetrics() {
        if (gcMetrics == null) {
            gcMetrics = closer.register(
                    ProcessMetrics.register(metrics, config.fleet().isPresent()));
        }
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
                    repository,
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
                repository,
                node,
                config.scrub(),
                new RocksDbReplicaSource(config.workDir().resolve("scratch")),
                config.workDir(),
                alerts,
                clock);
    }

    /** A judge of this node's replica's reports (all replicas' on a machine without a node section). */
    Judge judge() {
        return judge(config.node().map(NodeConfig::replica), referenceBuilder());
    }

    /** A judge of every replica's reports (a fleet worker's, whose snapshots are a task of their own). */
    Judge fleetJudge() {
        return judge(Optional.empty(), referenceBuilder().withSnapshotsByTask());
    }

    private Judge judge(Optional<ReplicaId> onlyReplica, ReferenceBuilder builder) {
        return new Judge(
                repository,
                config.workDir(),
                new RetainedCheckpoints(
                        new RocksDbReplicaSource(config.workDir().resolve("scratch"))),
                onlyReplica,
                alerts,
                clock,
                builder);
    }

    /** Services for a fleet worker: its reads paced by {@code budget} (its share of {@code fleet.read-budget}). */
    public static VigilServices forWorker(VigilConfig config, Clock clock, ReadBudget budget, String holder)
            throws IOException {
        return new VigilServices(config, clock, Role.WORKER, holder, budget::wrap);
    }

    /** Everything a fleet worker runs, on the fleet database {@code database}, within {@code budget}. */
    public WorkerServices workerServices(DataSource database, DataSource figures, ReadBudget budget)
            throws IOException {
        return new WorkerServices(
                new JudgingFleetWork(
                        repository,
                        this::fleetJudge,
                        archiveVerifier(),
                        referenceBuilder(),
                        new ReferenceSizes(metrics)),
                retention(),
                restoreDrill(),
                reportService(),
                keyCheck(),
                new ScheduledLog(config, alerts, clock),
                database,
                figures,
                budget,
                storeWarnings);
    }

    public Restorer restorer() {
        return new Restorer(
                repository,
                snapshots(),
                config.workDir(),
                config.scrub().algorithm(),
                config.scrub().bucketBits(),
                SnapshotException.raisingAlerts(alerts, clock),
                clock,
                new SecureRandom());
    }

    Retention retention() {
        return new Retention(repository, snapshots(), config.retention(), clock);
    }

    ScheduledKeyCheck keyCheck() {
        return new ScheduledKeyCheck(Optional.ofNullable(keys), alerts, clock);
    }

    RestoreDrill restoreDrill() {
        return new RestoreDrill(
                repository,
                restorer(),
                snapshots(),
                config.retention(),
                config.workDir(),
                alerts,
                clock,
                new SecureRandom());
    }

    /** Everything the daemon's jobs call, built for this node. */
    public DaemonServices daemonServices() throws ConfigException, IOException {
        return new DaemonServices(
                archiver(),
                archiveVerifier(),
                new NodeCopyCheck(
                        store, requireNode(config, "vigil daemon"), config.verify(), config.workDir(), alerts, clock),
                scrubber(),
                config.scrub(),
                judge(),
                new ReferenceSizes(metrics),
                retention(),
                restoreDrill(),
                reportService(),
                keyCheck(),
                new ScheduledLog(config, alerts, clock),
                storeWarnings);
    }

    ReportBuilder reportBuilder() {
        return new ReportBuilder(
                repository, ReportRequirements.of(config), clock, Repositories.acknowledgementCheck(config));
    }

    public ReportService reportService() throws IOException {
        ReportBuilder builder = reportBuilder();
        ReportPublisher publisher = new ReportPublisher(
                store,
                config.workDir().resolve("scratch"),
                alerts,
                clock,
                Repositories.sealer(config, clock, closer::register));
        return new ReportService(store, builder, publisher, config.report().period(), host(config));
    }

    Snapshots snapshots() {
        return new Snapshots(repository, config.workDir().resolve("scratch"), clock, SNAPSHOT_DOWNLOADS);
    }

    /** Builds references from snapshots and writes new ones as {@code reference.snapshot-every} says. */
    ReferenceBuilder referenceBuilder() {
        return new ReferenceBuilder(
                        repository,
                        Optional.of(snapshots()),
                        config.reference().snapshotWalBytes(),
                        SnapshotException.raisingAlerts(alerts, clock))
                .withRebuiltReferences(RebuiltReference.raisingAlerts(alerts, clock));
    }

    ArchiveVerifier archiveVerifier() {
        return new ArchiveVerifier(
                repository,
                config.node(),
                config.verify(),
                config.archive().gapGrace(),
                alerts,
                clock,
                new SecureRandom());
    }

    VigilConfig config() {
        return config;
    }

    public ObjectStore store() {
        return store;
    }

    /** The repository every service works on (one instance per process). */
    public Repository repository() {
        return repository;
    }

    public AlertDispatcher alerts() {
        return alerts;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    Clock clock() {
        return clock;
    }

    /** Stops uploads within {@code timeout}, then closes the store, the alert sinks and the registry. */
    public void shutdown(Duration timeout) throws InterruptedException {
        if (archiver != null) {
            archiver.shutdown(timeout);
        }
    }

    /** Closes everything in the reverse order of creation: the archiver, the alerts (drained), the store, the metrics. */
    @Override
    public void close() throws IOException {
        closer.close();
    }
}
