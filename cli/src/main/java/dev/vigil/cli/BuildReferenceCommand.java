package dev.vigil.cli;

import dev.vigil.cli.config.ConfigException;
import dev.vigil.core.PartitionId;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.replay.ReferenceBuildException;
import dev.vigil.replay.ReferenceBuilder;
import dev.vigil.replay.ReferenceState;
import dev.vigil.replay.snapshot.SnapshotManifest;
import dev.vigil.replay.snapshot.SnapshotMismatchException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil build-reference}: replay a partition's archive into its reference and print its digest. */
@Command(
        name = "build-reference",
        mixinStandardHelpOptions = true,
        header = "Bring a partition's reference replica to an LSN and print its digest.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  vigil build-reference --config /etc/vigil/vigil.yaml --partition p-0001",
            "  vigil build-reference --config /etc/vigil/vigil.yaml --partition p-0001 --to-lsn 5000 --snapshot"
        },
        description = {
            "Bring a partition's reference replica (in work-dir) to --to-lsn or as far as the archive goes,"
                    + " starting from the newest hash-state checkpoint or snapshot at or below it and validating every segment, and print its LSN"
                    + " and digest; --snapshot also writes a hash-state checkpoint and a snapshot there (merged from the"
                    + " previous snapshot and the archive, published only if its digest is the reference's)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:built to the target",
            "1:the archive has a gap or a damaged object before the target, or the snapshot merged for --snapshot"
                    + " disagrees with the reference (not published)",
            "2:usage or configuration error",
            "3:could not run"
        })
final class BuildReferenceCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @Option(names = "--partition", required = true, paramLabel = "P", description = "The partition.")
    String partition;

    @Option(names = "--to-lsn", paramLabel = "L", description = "Stop at this LSN (default: the end of the archive).")
    Long toLsn;

    @Option(names = "--snapshot", description = "Also write a reference snapshot at the LSN reached.")
    boolean snapshot;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws ConfigException, IOException {
        PartitionId id = CommandSupport.partition(spec, partition).orElseThrow();
        VigilConfig loaded = config.load();
        PrintWriter out = spec.commandLine().getOut();
        Clock clock = Clock.systemUTC();
        try (VigilServices services =
                        new VigilServices(loaded, clock, VigilServices.Role.WORK_DIR, "vigil build-reference");
                ConsoleProgress progress = ConsoleProgress.forCommand(out, json, clock)) {
            long archiveEnd = services.repository().archive(id).segments().stream()
                    .mapToLong(s -> s.range().last())
                    .max()
                    .orElse(0L);
            long target = toLsn != null ? toLsn : archiveEnd;
            long[] from = {1};
            ReferenceBuilder builder = services.referenceBuilder()
                    .withProgress((reached, bytes) -> progress.replayed(from[0], target, reached, bytes));
            try (ReferenceState reference = builder.open(
                    loaded.workDir(),
                    id,
                    loaded.scrub().algorithm(),
                    loaded.scrub().bucketBits(),
                    target)) {
                from[0] = reference.lsn() + 1;
                progress.phase("partition " + id + ": reference at LSN " + reference.lsn() + "; replaying LSNs "
                        + from[0] + ".." + target);
                int code = build(out, builder, reference, target, progress);
                return code;
            }
        }
    }

    private int build(
            PrintWriter out, ReferenceBuilder builder, ReferenceState reference, long target, ConsoleProgress progress)
            throws IOException {
        String stopped = null;
        try {
            builder.advance(reference, target, new TreeSet<>(), (lsn, state) -> {});
        } catch (ReferenceBuildException e) {
            stopped = e.getMessage();
        }
        progress.finish();
        reference.save();
        SnapshotManifest written = null;
        if (snapshot && stopped == null) {
            try {
                written = builder.snapshot(reference);
            } catch (SnapshotMismatchException e) {
                stopped = e.getMessage();
            }
        }
        Digest digest = reference.digest();
        if (json) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("partition", partition);
            document.put("lsn", reference.lsn());
            document.put("target", target);
            document.put("digest", digest.summary());
            document.put("referenceBytes", reference.diskBytes());
            document.put("stopped", stopped);
            document.put(
                    "snapshot",
                    written == null
                            ? null
                            : RepositoryLayout.snapshotManifestKey(reference.partition(), written.lsn()));
            CommandSupport.printJson(out, document);
        } else {
            out.printf(
                    "reference of %s at LSN %d (target %d): %,d items, digest root %s, %,d bytes on disk%n",
                    partition, reference.lsn(), target, digest.itemCount(), digest.rootHex(), reference.diskBytes());
            if (written != null) {
                out.printf(
                        "snapshot %s (%d file(s))%n",
                        RepositoryLayout.snapshotManifestKey(reference.partition(), written.lsn()),
                        written.files().size());
            }
            if (stopped != null) {
                out.printf("STOPPED  %s%n", stopped);
            }
        }
        return stopped == null ? ExitCodes.OK : ExitCodes.FINDINGS;
    }
}
