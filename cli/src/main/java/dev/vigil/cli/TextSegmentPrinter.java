package dev.vigil.cli;

import dev.vigil.core.wal.OpenSegmentScan;
import dev.vigil.core.wal.SegmentCorruptException;
import dev.vigil.core.wal.SegmentHeader;
import dev.vigil.core.wal.SegmentSummary;
import dev.vigil.core.wal.TornTail;
import dev.vigil.core.wal.WalRecord;
import java.io.PrintWriter;
import java.time.Instant;

/** The human-readable report of {@code inspect segment}. */
final class TextSegmentPrinter implements SegmentPrinter {

    private final PrintWriter out;
    private final String file;
    private final boolean records;
    private boolean named;

    TextSegmentPrinter(PrintWriter out, String file, boolean records) {
        this.out = out;
        this.file = file;
        this.records = records;
    }

    @Override
    public void object(String description) {
        out.printf("segment    %s%n", file);
        out.printf("object     %s%n", description);
        named = true;
    }

    @Override
    public void objectChecksum(String detail, boolean matches) {
        if (matches) {
            out.printf("object     bytes match the checksum it was stored with (%s)%n", detail);
        } else {
            out.printf(
                    "status     CORRUPT: the object's bytes do not match the checksum it was stored with: %s%n",
                    detail);
            out.printf("           the stored copy is damaged; see ARCHIVE_CORRUPT in docs/alerts.md%n");
        }
    }

    @Override
    public void header(SegmentHeader header) {
        if (!named) {
            out.printf("segment    %s%n", file);
        }
        out.printf("partition  %s%n", header.partition());
        out.printf("first      %s (time of the first record)%n", Instant.ofEpochMilli(header.firstRecordMillis()));
        if (records) {
            out.printf("%n%20s  %-24s  %-6s  %s%n", "LSN", "TIME", "OP", "KEY (VALUE BYTES)");
        }
    }

    @Override
    public void record(WalRecord record) {
        if (records) {
            out.printf(
                    "%20d  %-24s  %-6s  %s (%d)%n",
                    record.lsn(),
                    Instant.ofEpochMilli(record.timestampMillis()),
                    record.op(),
                    SegmentPrinter.renderKey(record.key()),
                    record.value().length);
        }
    }

    @Override
    public void sealed(SegmentSummary summary) {
        if (records) {
            out.println();
        }
        out.printf("lsn        %d..%d (%d records)%n", summary.firstLsn(), summary.lastLsn(), summary.recordCount());
        out.printf(
                "time       %s .. %s%n",
                Instant.ofEpochMilli(summary.firstTimestampMillis()),
                Instant.ofEpochMilli(summary.lastTimestampMillis()));
        out.printf("size       %,d bytes%n", summary.byteSize());
        out.printf("checksum   %s%n", summary.checksum());
        out.printf("status     valid (sealed)%n");
    }

    @Override
    public void open(OpenSegmentScan scan) {
        if (scan.header().isEmpty()) {
            out.printf("segment    %s%n", file);
        } else if (records) {
            out.println();
        }
        if (scan.summary().isPresent()) {
            sealed(scan.summary().get());
            out.printf("note       the file is completely sealed but still has its open name: the writer stopped"
                    + " before renaming it; recovery renames it%n");
            return;
        }
        out.printf(
                "lsn        %s%n",
                scan.recordCount() == 0
                        ? "no records"
                        : scan.header().orElseThrow().firstLsn() + ".." + scan.lastLsn() + " (" + scan.recordCount()
                                + " records)");
        out.printf("valid      %,d bytes%n", scan.validLength());
        if (scan.tornTail().isPresent()) {
            TornTail tail = scan.tornTail().get();
            out.printf(
                    "status     open, TORN TAIL of %,d bytes at offset %d: %s%n",
                    tail.length(), tail.offset(), tail.reason());
            out.printf(
                    "           the writer stopped mid-record; recovering the segment trims it to the valid prefix%n");
        } else {
            out.printf("status     open, valid so far%n");
        }
    }

    @Override
    public void corrupt(SegmentCorruptException corruption) {
        out.printf("status     CORRUPT at offset %d: %s%n", corruption.offset(), corruption.reason());
        out.printf("           do not archive or replay this file; keep it for forensics. A peer replica's copy of the"
                + " same LSN range, if archived and valid, is authoritative.%n");
    }

    @Override
    public void close() {
        out.flush();
    }
}
