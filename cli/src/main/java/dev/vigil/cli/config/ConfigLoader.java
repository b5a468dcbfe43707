package dev.vigil.cli.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.core.Durations;
import dev.vigil.core.Errors;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.config.AlertSinkConfig;
import dev.vigil.core.config.ArchiveConfig;
import dev.vigil.core.config.AuditConfig;
import dev.vigil.core.config.DaemonConfig;
import dev.vigil.core.config.EncryptionConfig;
import dev.vigil.core.config.FleetConfig;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.config.ReferenceConfig;
import dev.vigil.core.config.ReportConfig;
import dev.vigil.core.config.RepositoryLocation;
import dev.vigil.core.config.RestoreConfig;
import dev.vigil.core.config.RetentionConfig;
import dev.vigil.core.config.ScheduleConfig;
import dev.vigil.core.config.ScrubConfig;
import dev.vigil.core.config.VerifyConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.sketch.SketchShape;
import dev.vigil.core.store.RetentionLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.quartz.CronExpression;

/**
 * Loads and validates the YAML configuration ({@code docs/operations.md} documents every key). Every
 * problem is collected, with the path of the setting, and reported together in one
 * {@link ConfigException}: an operator fixes a file in one pass, not one error per restart. Invalid
 * values are never silently replaced by defaults.
 */
public final class ConfigLoader {

    private ConfigLoader() {}

    /**
     * Parses a duration the way the configuration writes them ({@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h},
     * {@code 7d}), for command-line options.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static Duration parseDuration(String text) {
        return ConfigNode.parseDuration(text)
                .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not " + ConfigNode.DURATION_FORMS));
    }

    public static VigilConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), List.of("file not found"));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot read: " + e.getMessage()));
        }
        return parse(text, file.toString());
    }

    public static VigilConfig parse(String yaml, String source) throws ConfigException {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(
                    source,
                    List.of("not valid YAML: " + e.getOriginalMessage()
                            + (e.getLocation() == null
                                    ? ""
                                    : " (line " + e.getLocation().getLineNr() + ")")));
        }
        List<String> problems = new ArrayList<>();
        ConfigNode top = new ConfigNode(root, "", problems);
        if (root == null || !root.isObject()) {
            throw new ConfigException(source, List.of("expected a YAML mapping of settings at the top level"));
        }
        Optional<RepositoryLocation> repository = RepositorySection.bind(top.child("repository"));
        Optional<NodeConfig> node = node(top.child("node"));
        Optional<Path> workDir = top.absolutePath("work-dir");
        if (top.child("work-dir").isMissing()) {
            top.child("work-dir")
                    .problem("is required (Vigil's local state: checkpoints, reference replicas, restores)");
        }
        ScheduleConfig schedule = schedule(top.child("schedule"));
        List<AlertSinkConfig> alerts = AlertsSection.bind(top.child("alerts"));
        ArchiveConfig archive = archive(top.child("archive"));
        DaemonConfig daemon = daemon(top.child("daemon"));
        VerifyConfig verify = verify(top.child("verify"));
        ScrubConfig scrub = scrub(top.child("scrub"));
        ReferenceConfig reference = reference(top.child("reference"));
        RetentionConfig retention = retention(top.child("retention"), repository);
        RestoreConfig restore = restore(top.child("restore"));
        ReportConfig report = report(top.child("report"));
        Optional<FleetConfig> fleet = FleetSection.bind(top.child("fleet"));
        Optional<EncryptionConfig> encryption = EncryptionSection.bind(top.child("encryption"));
        Optional<AuditConfig> audit = AuditSection.bind(top.child("audit"));
        top.rejectUnknownKeys();
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return new VigilConfig(
                repository.orElseThrow(),
                node,
                workDir.orElseThrow(),
                schedule,
                alerts,
                archive,
                daemon,
                verify,
                scrub,
                reference,
                retention,
                restore,
                report,
                fleet,
                encryption,
                audit);
    }

    private static ReferenceConfig reference(ConfigNode section) {
        ReferenceConfig defaults = ReferenceConfig.defaults();
        if (!section.isMissing() && !section.requireObject()) {
            return defaults;
        }
        long every = section.size("snapshot-every", defaults.snapshotWalBytes());
        section.rejectUnknownKeys();
        return new ReferenceConfig(every);
    }

    private static RetentionConfig retention(ConfigNode section, Optional<RepositoryLocation> repository) {
        RetentionConfig defaults = RetentionConfig.defaults();
        if (!section.isMissing() && !section.requireObject()) {
            return defaults;
        }
        Duration window = section.duration("window", defaults.window());
        int keep = section.integer("keep-snapshots", defaults.keepSnapshots(), 0, 1000);
        boolean lock = section.bool("object-lock", defaults.objectLock());
        Duration margin = section.duration("lock-margin", defaults.lockMargin());
        RetentionLock.Mode mode = section.enumeration("lock-mode", defaults.lockMode());
        section.rejectUnknownKeys();
        if (lock && repository.isPresent() && !(repository.get() instanceof RepositoryLocation.S3)) {
            section.child("object-lock")
                    .problem("needs an s3:// repository whose bucket has Object Lock enabled; a local"
                            + " directory cannot lock objects (remove the setting, or archive to S3)");
        }
        if (window.isZero() || window.isNegative()) {
            section.child("window").problem("must be positive");
            return defaults;
        }
        return new RetentionConfig(window, keep, lock, margin, mode);
    }

    private static RestoreConfig restore(ConfigNode section) {
        RestoreConfig defaults = RestoreConfig.defaults();
        if (!section.isMissing() && !section.requireObject()) {
            return defaults;
        }
        int version = section.integer(
                "rocksdb-format-version",
                defaults.rocksdbFormatVersion(),
                RestoreConfig.OLDEST_FORMAT_VERSION,
                RestoreConfig.NEWEST_FORMAT_VERSION);
        section.rejectUnknownKeys();
        return new RestoreConfig(version);
    }

    private static ReportConfig report(ConfigNode section) {
        ReportConfig defaults = ReportConfig.defaults();
        if (!section.isMissing() && !section.requireObject()) {
            return defaults;
        }
        Duration period = section.duration("period", defaults.period());
        Duration age = section.duration("max-verification-age", defaults.maxVerificationAge());
        Duration drill = section.duration("drill-every", defaults.drillEvery());
        section.rejectUnknownKeys();
        return new ReportConfig(period, age, drill);
    }

    private static Optional<NodeConfig> node(ConfigNode section) {
        if (section.isMissing() || !section.requireObject()) {
            return Optional.empty();
        }
        Optional<String> replica = section.requiredString("replica");
        List<Path> roots = new ArrayList<>();
        ConfigNode rootsNode = section.child("roots");
        if (rootsNode.isMissing()) {
            rootsNode.problem("is required: the directories under which this node's partitions live");
        }
        for (ConfigNode element : rootsNode.elements()) {
            element.asAbsolutePath().ifPresent(roots::add);
        }
        section.rejectUnknownKeys();
        Optional<ReplicaId> id = Optional.empty();
        if (replica.isPresent()) {
            try {
                id = Optional.of(ReplicaId.of(replica.get()));
            } catch (IllegalArgumentException e) {
                section.child("replica").problem(Errors.message(e));
            }
        }
        if (id.isEmpty() || roots.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new NodeConfig(id.get(), roots));
    }

    private static ArchiveConfig archive(ConfigNode section) {
        ArchiveConfig defaults = ArchiveConfig.defaults();
        if (!section.isMissing() && !section.requireObject()) {
            return defaults;
        }
        int concurrency = section.integer("concurrency", defaults.concurrency(), 1, 64);
        Duration rpo = section.duration("rpo", defaults.rpo());
        Duration grace = section.duration("gap-grace", defaults.gapGrace());
        Duration retryBase = section.duration("retry-base", defaults.retryBase());
        Duration retryMax = section.duration("retry-max", defaults.retryMax());
        Duration stale = section.duration("stale-upload-age", defaults.staleUploadAge());
        Duration check = section.duration("continuity-check-interval", defaults.continuityCheckInterval());
        Duration rescan = section.duration("rescan-interval", defaults.rescanInterval());
        section.rejectUnknownKeys();
        if (retryMax.compareTo(retryBase) < 0) {
            section.child("retry-max").problem("must be at least retry-base (" + Durations.format(retryBase) + ")");
            return defaults;
        }
        return new ArchiveConfig(concurrency, rpo, grace, retryBase, retryMax, stale, check, rescan);
    }

    private static DaemonConfig daemon(ConfigNode section) {
        DaemonConfig defaults = DaemonConfig.defaults();
        if (!section.isMissing() && !section.requireObject()) {
            return defaults;
        }
        String host = section.string("http-host", defaults.httpHost());
        int port = section.integer("http-port", defaults.httpPort(), 0, 65535);
        Duration shutdown = section.duration("shutdown-timeout", defaults.shutdownTimeout());
        Duration dedup = section.duration("alert-dedup-window", defaults.alertDedupWindow());
        section.rejectUnknownKeys();
        return new DaemonConfig(host, port, shutdown, dedup);
    }

    private static VerifyConfig verify(ConfigNode section) {
        VerifyConfig defaults = VerifyConfig.defaults();
        if (!section.isMissing() && !section.requireObject()) {
            return defaults;
        }
        Duration period = section.duration("period", defaults.period());
        section.rejectUnknownKeys();
        return new VerifyConfig(period);
    }

    private static ScrubConfig scrub(ConfigNode section) {
        ScrubConfig defaults = ScrubConfig.defaults();
        if (!section.isMissing() && !section.requireObject()) {
            return defaults;
        }
        long rate = section.size("rate", defaults.bytesPerSecond());
        Optional<String> window = section.optionalString("window");
        Duration ttl = section.duration("checkpoint-ttl", defaults.checkpointTtl());
        DigestAlgorithm algorithm = section.enumeration("digest", defaults.algorithm());
        int bits = section.integer("bucket-bits", defaults.bucketBits(), 0, 20);
        int sketch = sketchCapacity(section, "sketch-capacity", defaults.sketchCapacity(), "no sketch");
        int keySketch = sketchCapacity(section, "key-sketch-capacity", defaults.keySketchCapacity(), "no key table");
        boolean keep = section.bool("keep-checkpoint", defaults.keepCheckpoint());
        section.rejectUnknownKeys();
        Optional<LocalTime> start = Optional.empty();
        Optional<LocalTime> end = Optional.empty();
        if (window.isPresent()) {
            String[] parts = window.get().split("-", 2);
            try {
                start = Optional.of(LocalTime.parse(parts[0].trim()));
                end = Optional.of(LocalTime.parse(parts[1].trim()));
            } catch (RuntimeException e) {
                section.child("window")
                        .problem("expected HH:MM-HH:MM (in schedule.time-zone, may wrap midnight), found '"
                                + window.get() + "'");
            }
        }
        return new ScrubConfig(rate, start, end, ttl, algorithm, bits, sketch, keep, keySketch);
    }

    /**
     * A sketch capacity: 0, or at least the smallest table's ({@link SketchShape#MIN_CAPACITY}), never silently raised
     * to it.
     */
    private static int sketchCapacity(ConfigNode section, String key, int defaultValue, String zeroMeans) {
        int capacity = section.integer(key, defaultValue, 0, 1_000_000);
        if (capacity != 0 && capacity < SketchShape.MIN_CAPACITY) {
            section.child(key)
                    .problem("is " + capacity + ", below the smallest sketch table (" + SketchShape.MIN_CELLS
                            + " cells, which decode " + SketchShape.MIN_CAPACITY + "): use 0 (" + zeroMeans
                            + ") or at least " + SketchShape.MIN_CAPACITY);
            return defaultValue;
        }
        return capacity;
    }

    private static ScheduleConfig schedule(ConfigNode section) {
        if (!section.isMissing() && !section.requireObject()) {
            return ScheduleConfig.defaults(ZoneId.systemDefault());
        }
        String archive = cron(section, "archive", ScheduleConfig.DEFAULT_ARCHIVE);
        String verifyArchive = cron(section, "verify-archive", ScheduleConfig.DEFAULT_VERIFY_ARCHIVE);
        String scrub = cron(section, "scrub", ScheduleConfig.DEFAULT_SCRUB);
        String judge = cron(section, "judge", ScheduleConfig.DEFAULT_JUDGE);
        String retention = cron(section, "retention", ScheduleConfig.DEFAULT_RETENTION);
        String drill = cron(section, "restore-drill", ScheduleConfig.DEFAULT_RESTORE_DRILL);
        String report = cron(section, "report", ScheduleConfig.DEFAULT_REPORT);
        String keyCheck = cron(section, "key-check", ScheduleConfig.DEFAULT_KEY_CHECK);
        String checkpoint = cron(section, "checkpoint", ScheduleConfig.DEFAULT_CHECKPOINT);
        String audit = cron(section, "audit", ScheduleConfig.DEFAULT_AUDIT);
        // Cron expressions mean the host's local time unless schedule.time-zone says otherwise.
        ZoneId zone = ZoneId.systemDefault();
        Optional<String> zoneName = section.optionalString("time-zone");
        if (zoneName.isPresent()) {
            try {
                zone = ZoneId.of(zoneName.get());
            } catch (DateTimeException e) {
                section.child("time-zone")
                        .problem("'" + zoneName.get() + "' is not a time zone (use a region such as"
                                + " Europe/Berlin, or UTC)");
            }
        }
        section.rejectUnknownKeys();
        return new ScheduleConfig(
                archive, verifyArchive, scrub, judge, retention, drill, report, keyCheck, checkpoint, audit, zone);
    }

    private static String cron(ConfigNode section, String key, String defaultValue) {
        String expression = section.string(key, defaultValue);
        try {
            CronExpression.validateExpression(expression);
        } catch (ParseException e) {
            section.child(key)
                    .problem("'" + expression + "' is not a valid Quartz cron expression (" + e.getMessage()
                            + "); the seconds field comes first, e.g. '0/10 * * * * ?'");
        }
        return expression;
    }

    /** Reports {@code key} of {@code section} as required when it is missing. */
    static void missing(ConfigNode section, String key) {
        if (section.child(key).isMissing()) {
            section.child(key).problem("is required");
        }
    }
}
