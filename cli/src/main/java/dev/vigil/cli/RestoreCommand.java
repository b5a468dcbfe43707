package dev.vigil.cli;

import dev.vigil.cli.config.ConfigException;
import dev.vigil.core.PartitionId;
import dev.vigil.core.config.RestoreConfig;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.restore.RestoreException;
import dev.vigil.restore.RestoreFormat;
import dev.vigil.restore.RestoreRequest;
import dev.vigil.restore.RestoreResult;
import dev.vigil.restore.RestoreTarget;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil restore}: a partition at an LSN, a time or the latest point, verified. */
@Command(
        name = "restore",
        mixinStandardHelpOptions = true,
        header = "Restore a partition to an LSN, a time or the latest point, and verify it.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  vigil restore --config /etc/vigil/vigil.yaml --partition p-0001 --to-time 2026-11-25T10:15:00Z --target /srv/restore/p-0001",
            "  vigil restore --config /etc/vigil/vigil.yaml --partition p-0001 --latest --target /tmp/p1 --format parquet"
        },
        description = {
            "Restore a partition from its newest snapshot at or below the point and the archived WAL after it,"
                    + " write it into DIR, read it back and verify it against the reference digest at that LSN."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:restored and verified",
            "1:written but not verified (left beside DIR as <DIR>.unverified-<id>):"
                    + " the output differs from the reference, or a verdict or the replicas' scrub reports at that LSN contradict"
                    + " the archive (see --accept-archive)",
            "2:usage or configuration error (a non-empty DIR without --force, a time before the archive)",
            "3:a missing or damaged object stopped the restore (named)",
            "130:stopped by Ctrl-C (143: by SIGTERM); nothing was written to DIR and the partial work was removed"
        })
final class RestoreCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @Option(names = "--partition", required = true, paramLabel = "P", description = "The partition to restore.")
    String partition;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Point point;

    static final class Point {
        @Option(names = "--to-lsn", paramLabel = "L", description = "Restore the state after exactly this LSN.")
        Long lsn;

        @Option(
                names = "--to-time",
                paramLabel = "T",
                converter = IsoInstantConverter.class,
                description =
                        "Restore the last LSN written at or before this time (ISO-8601, e.g. 2026-11-25T10:15:00Z).")
        Instant time;

        @Option(names = "--latest", description = "Restore the end of the archive.")
        boolean latest;
    }

    @Option(
            names = "--target",
            required = true,
            paramLabel = "DIR",
            description = "Where to write the result (created; must be empty unless --force).")
    Path target;

    @Option(
            names = "--format",
            defaultValue = "rocksdb",
            paramLabel = "F",
            description = "rocksdb (a replica a node can adopt), parquet or jsonl. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--force", description = "Replace a non-empty target, once the new state is verified.")
    boolean force;

    @Option(
            names = "--accept-archive",
            description = {
                "Install the archive's version even when a verdict or the replicas'"
                        + " scrub reports at that LSN contradict it (ARCHIVE_DIVERGED, NO_MAJORITY). Use it only once you have decided"
                        + " that the archive, not the replicas, holds the truth; the decision is printed with the checks."
            })
    boolean acceptArchive;

    @Option(
            names = "--rocksdb-format-version",
            paramLabel = "N",
            description = "The RocksDB table format_version of a rocksdb output (2 to 7). Default: restore."
                    + "rocksdb-format-version (5 unless configured), which RocksDB 6.6 and later read; 7 only when the"
                    + " node runs RocksDB 9 or later.")
    Integer formatVersion;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws ConfigException, IOException {
        PartitionId id = CommandSupport.partition(spec, partition).orElseThrow();
        RestoreFormat restoreFormat;
        try {
            restoreFormat = RestoreFormat.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--format must be rocksdb, parquet or jsonl, not '" + format + "'");
        }
        RestoreTarget restoreTarget = target();
        VigilConfig loaded = config.load();
        int rocksdbFormat = formatVersion(loaded);
        PrintWriter out = spec.commandLine().getOut();
        Clock clock = Clock.systemUTC();
        Thread command = Thread.currentThread();
        try (StopSignals signals = new StopSignals("vigil-restore-stop", command::interrupt);
                VigilServices services = new VigilServices(loaded, clock);
                ConsoleProgress progress = ConsoleProgress.forCommand(out, json, clock)) {
            RestoreResult result;
            try {
                result = services.restorer()
                        .restore(
                                new RestoreRequest(
                                        id, restoreTarget, target, restoreFormat, force, acceptArchive, rocksdbFormat),
                                progress);
            } catch (RestoreException e) {
                if (e.kind() == RestoreException.Kind.INTERRUPTED) {
                    Thread.interrupted(); // handled: closing the services must not see it
                    progress.finish();
                    spec.commandLine()
                            .getErr()
                            .println("vigil restore: stopped by " + signals.received() + ": " + e.getMessage());
                    return ExitCodes.stoppedBy(signals.received());
                }
                spec.commandLine().getErr().println("vigil restore: " + e.getMessage());
                return e.kind() == RestoreException.Kind.USAGE ? ExitCodes.USAGE : ExitCodes.FAILURE;
            }
            progress.finish();
            print(out, result);
            return result.verified() ? ExitCodes.OK : ExitCodes.FINDINGS;
        }
    }

    private int formatVersion(VigilConfig loaded) {
        int version = formatVersion == null ? loaded.restore().rocksdbFormatVersion() : formatVersion;
        if (version < RestoreConfig.OLDEST_FORMAT_VERSION || version > RestoreConfig.NEWEST_FORMAT_VERSION) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--rocksdb-format-version: " + version + " is not a format RocksDB 11 writes (use "
                            + RestoreConfig.OLDEST_FORMAT_VERSION + " to " + RestoreConfig.NEWEST_FORMAT_VERSION
                            + "; 5 is read by RocksDB 6.6 and later)");
        }
        return version;
    }

    private RestoreTarget target() {
        if (point.lsn != null) {
            if (point.lsn < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--to-lsn must be at least 1");
            }
            return new RestoreTarget.ToLsn(point.lsn);
        }
        if (point.time != null) {
            return new RestoreTarget.ToTime(point.time);
        }
        return new RestoreTarget.Latest();
    }

    private void print(PrintWriter out, RestoreResult result) throws IOException {
        if (json) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("partition", result.partition());
            document.put("target", result.target());
            document.put("lsn", result.lsn());
            document.put("items", result.items());
            document.put("digest", result.digestRoot());
            document.put("verified", result.verified());
            document.put("checks", result.checks());
            document.put("contradictions", result.contradictions());
            document.put("snapshotLsn", result.snapshotLsn().orElse(null));
            document.put("replayedBytes", result.replayedBytes());
            document.put("output", result.output().toString());
            document.put("format", result.format().name().toLowerCase(Locale.ROOT));
            document.put("elapsedMillis", result.elapsed().toMillis());
            CommandSupport.printJson(out, document);
            return;
        }
        out.printf(
                "%s  partition %s restored to LSN %d (%s): %,d items, digest %s%n",
                result.verified() ? "VERIFIED" : "NOT VERIFIED",
                result.partition(),
                result.lsn(),
                result.target(),
                result.items(),
                result.digestRoot());
        out.printf(
                "          from %s, %.1f MB of WAL replayed, in %.1f s%n",
                result.snapshotLsn().map(s -> "the snapshot at LSN " + s).orElse("the start of the archive"),
                result.replayedBytes() / 1e6,
                result.elapsed().toMillis() / 1000.0);
        result.checks().forEach(check -> out.println("          check: " + check));
        out.println("          written to " + result.output());
        if (!result.verified() && !result.contradictions().isEmpty()) {
            out.println(
                    "          the replicas contradict the archive at this LSN: find out which is right (docs/alerts.md,"
                            + " ARCHIVE_DIVERGED) before using this output; --accept-archive installs the archive's version");
        }
    }
}
