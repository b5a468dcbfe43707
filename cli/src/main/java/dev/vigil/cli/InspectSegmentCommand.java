package dev.vigil.cli;

import dev.vigil.core.wal.OpenSegmentScan;
import dev.vigil.core.wal.OpenSegmentScanner;
import dev.vigil.core.wal.SegmentCorruptException;
import dev.vigil.core.wal.SegmentFileName;
import dev.vigil.core.wal.SegmentReader;
import dev.vigil.core.wal.SegmentSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil inspect segment FILE}: validate one WAL segment file and describe it. */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = {"Validate a WAL segment file and print its summary.",
                "A sealed segment (<first>-<last>.seg) must be valid to the last byte; an open one (<first>.open)"
                        + " may end in a torn tail, which is reported with its offset."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:valid", "1:corrupt, or an open segment with a torn tail", "2:usage error",
                "3:the file could not be read"})
final class InspectSegmentCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The segment file.")
    Path file;

    @Option(names = "--records", description = "Also print every record (LSN, time, operation, key, value size).")
    boolean records;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no such file: " + file);
        }
        String name = file.getFileName().toString();
        boolean open = SegmentFileName.parse(name).map(n -> !n.isSealed()).orElse(name.endsWith(SegmentFileName.OPEN_SUFFIX));
        try (SegmentPrinter printer = json ? new JsonSegmentPrinter(spec.commandLine().getOut(), file, records)
                : new TextSegmentPrinter(spec.commandLine().getOut(), file, records)) {
            return open ? inspectOpen(printer) : inspectSealed(printer);
        }
    }

    private int inspectSealed(SegmentPrinter printer) throws IOException {
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

    private int inspectOpen(SegmentPrinter printer) throws IOException {
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
