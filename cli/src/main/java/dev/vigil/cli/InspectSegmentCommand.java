package dev.vigil.cli;

import dev.vigil.cli.config.ConfigException;
import dev.vigil.cli.config.ConfigLoader;
import dev.vigil.cli.config.Repositories;
import dev.vigil.core.store.LocalObjectFile;
import dev.vigil.core.store.ObjectCorruptException;
import dev.vigil.core.store.ObjectKeys;
import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.wal.OpenSegmentScan;
import dev.vigil.core.wal.OpenSegmentScanner;
import dev.vigil.core.wal.SegmentCorruptException;
import dev.vigil.core.wal.SegmentExpectation;
import dev.vigil.core.wal.SegmentFileName;
import dev.vigil.core.wal.SegmentReader;
import dev.vigil.core.wal.SegmentSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil inspect segment}: validate one WAL segment and describe it: a node's segment file, a file of a local
 * repository (an object with Vigil's header), or, with {@code --config}, an archived object by its repository key.
 */
@Command(
        name = "segment",
        mixinStandardHelpOptions = true,
        header = "Validate a WAL segment or an archived object and print its summary.",
        description = {
            "Validate a WAL segment and print its summary.",
            "SEGMENT is a node's segment file, a file of a local repository (with its object header, whose"
                    + " checksum is verified too), or, with --config, the key of an archived object in the configured"
                    + " repository (partitions/<pid>/wal/<first>-<last>.seg, or a conflicts/ copy).",
            "A sealed segment (<first>-<last>.seg) must be valid to the last byte; an open one (<first>.open)"
                    + " may end in a torn tail, which is reported with its offset."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  vigil inspect segment /data/node/partitions/p-0001/wal/00000000000000000001-00000000000000000100.seg",
            "  vigil inspect segment --config /etc/vigil/vigil.yaml --records \\",
            "      partitions/p-0001/wal/00000000000000000001-00000000000000000100.seg"
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:valid",
            "1:corrupt (the segment, or a repository object's bytes against its checksum), or an"
                    + " open segment with a torn tail",
            "2:usage error (no such file or key)",
            "3:the file or the repository could not be read"
        })
final class InspectSegmentCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "SEGMENT",
            description = "The segment file, or with --config a repository key.")
    String segment;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Read SEGMENT as a key of the repository this configuration names.")
    Path config;

    @Option(names = "--records", description = "Also print every record (LSN, time, operation, key, value size).")
    boolean records;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException, ConfigException {
        Path file = Path.of(segment);
        if (config != null && !Files.isRegularFile(file)) {
            return inspectKey();
        }
        if (!Files.isRegularFile(file)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "no such file: " + segment
                            + (segment.startsWith("partitions/") || segment.startsWith("conflicts/")
                                    ? " (to read a repository key, add --config FILE)"
                                    : ""));
        }
        if (LocalObjectFile.isObjectFile(file)) {
            try (SegmentPrinter printer = printer(file.toString())) {
                printer.object("a file of a local repository: Vigil's object header, then the segment");
                return inspectObject(
                        printer,
                        () -> LocalObjectFile.open(file),
                        file.getFileName().toString(),
                        file.toString());
            }
        }
        String name = file.getFileName().toString();
        boolean open =
                SegmentFileName.parse(name).map(n -> !n.isSealed()).orElse(name.endsWith(SegmentFileName.OPEN_SUFFIX));
        try (SegmentPrinter printer = printer(file.toString())) {
            return open ? inspectOpen(printer, file) : inspectSealed(printer, file);
        }
    }

    private Integer inspectKey() throws IOException, ConfigException {
        try {
            ObjectKeys.validate(segment);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "'" + segment + "' is neither a file nor a" + " repository key: " + e.getMessage());
        }
        try (ObjectStore store = Repositories.open(ConfigLoader.load(config).repository(), Clock.systemUTC())) {
            String where = store.locate(segment);
            try {
                store.head(segment);
            } catch (ObjectNotFoundException e) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "no object " + segment + " in " + store.describe());
            }
            try (SegmentPrinter printer = printer(where)) {
                printer.object("an archived object in " + store.describe());
                return inspectObject(printer, () -> store.get(segment), segment, where);
            }
        }
    }

    /** Opens a repository object's payload. */
    @FunctionalInterface
    private interface ObjectOpener {
        ObjectStream open() throws IOException;
    }

    private int inspectObject(SegmentPrinter printer, ObjectOpener opener, String name, String source)
            throws IOException {
        ObjectStream in = opener.open();
        SegmentExpectation expectation =
                SegmentExpectation.fromFileName(Path.of(name).getFileName().toString());
        try (SegmentReader reader = SegmentReader.open(in, in.info().size(), source, expectation)) {
            printer.header(reader.header());
            while (reader.hasNext()) {
                printer.record(reader.next());
            }
            SegmentSummary summary = reader.summary();
            printer.sealed(summary);
            printer.objectChecksum(in.info().checksum().toString(), true);
            return ExitCodes.OK;
        } catch (SegmentCorruptException e) {
            printer.corrupt(e);
            return ExitCodes.FINDINGS;
        } catch (ObjectCorruptException e) {
            printer.objectChecksum(in.info().checksum() + ": " + e.getMessage(), false);
            return ExitCodes.FINDINGS;
        }
    }

    private SegmentPrinter printer(String source) throws IOException {
        return json
                ? new JsonSegmentPrinter(spec.commandLine().getOut(), source, records)
                : new TextSegmentPrinter(spec.commandLine().getOut(), source, records);
    }

    private int inspectSealed(SegmentPrinter printer, Path file) throws IOException {
        try (SegmentReader reader = SegmentReader.open(file)) {
            printer.header(reader.header());
            while (reader.hasNext()) {
                printer.record(reader.next());
            }
            SegmentSummary summary = reader.summary();
            printer.sealed(summary);
            return ExitCodes.OK;
        } catch (SegmentCorruptException e) {
            printer.corrupt(e);
            return ExitCodes.FINDINGS;
        }
    }

    private int inspectOpen(SegmentPrinter printer, Path file) throws IOException {
        try {
            OpenSegmentScan scan = OpenSegmentScanner.scan(file, printer::record);
            printer.open(scan);
            return scan.tornTail().isPresent() ? ExitCodes.FINDINGS : ExitCodes.OK;
        } catch (SegmentCorruptException e) {
            printer.corrupt(e);
            return ExitCodes.FINDINGS;
        }
    }
}
