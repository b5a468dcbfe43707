package dev.vigil.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.core.wal.OpenSegmentScan;
import dev.vigil.core.wal.SegmentCorruptException;
import dev.vigil.core.wal.SegmentHeader;
import dev.vigil.core.wal.SegmentSummary;
import dev.vigil.core.wal.WalRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * The JSON report of {@code inspect segment}: one object with {@code file}, {@code status}
 * ({@code valid}, {@code open}, {@code torn}, {@code corrupt}), the summary fields, and with
 * {@code --records} a {@code records} array written as records are read.
 */
final class JsonSegmentPrinter implements SegmentPrinter {

    private final JsonGenerator json;
    private final boolean records;
    private boolean recordsOpen;

    JsonSegmentPrinter(PrintWriter out, String source, boolean records) throws IOException {
        this.json = new JsonFactory().createGenerator(out);
        this.json.useDefaultPrettyPrinter();
        this.records = records;
        json.writeStartObject();
        json.writeStringField("file", source);
    }

    @Override
    public void object(String description) throws IOException {
        json.writeStringField("object", description);
    }

    @Override
    public void objectChecksum(String detail, boolean matches) throws IOException {
        endRecords();
        json.writeStringField("objectChecksum", matches ? "match" : "MISMATCH");
        json.writeStringField("objectChecksumDetail", detail);
        if (!matches) {
            json.writeStringField("status", "corrupt");
        }
    }

    @Override
    public void header(SegmentHeader header) throws IOException {
        json.writeStringField("partition", header.partition().value());
        json.writeNumberField("firstRecordMillis", header.firstRecordMillis());
        json.writeNumberField("formatVersion", header.version());
    }

    @Override
    public void record(WalRecord record) {
        if (!records) {
            return;
        }
        try {
            if (!recordsOpen) {
                json.writeArrayFieldStart("records");
                recordsOpen = true;
            }
            json.writeStartObject();
            json.writeNumberField("lsn", record.lsn());
            json.writeNumberField("timestampMillis", record.timestampMillis());
            json.writeStringField("op", record.op().name());
            json.writeStringField("key", SegmentPrinter.renderKey(record.key()));
            json.writeNumberField("valueBytes", record.value().length);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void endRecords() throws IOException {
        if (recordsOpen) {
            json.writeEndArray();
            recordsOpen = false;
        }
    }

    @Override
    public void sealed(SegmentSummary summary) throws IOException {
        endRecords();
        json.writeStringField("status", "valid");
        summary(summary);
    }

    /** The summary's fields; the partition was written with the header. */
    private void summary(SegmentSummary summary) throws IOException {
        json.writeNumberField("firstLsn", summary.firstLsn());
        json.writeNumberField("lastLsn", summary.lastLsn());
        json.writeNumberField("recordCount", summary.recordCount());
        json.writeNumberField("firstTimestampMillis", summary.firstTimestampMillis());
        json.writeNumberField("lastTimestampMillis", summary.lastTimestampMillis());
        json.writeNumberField("byteSize", summary.byteSize());
        json.writeStringField("checksum", summary.checksum().toString());
    }

    @Override
    public void open(OpenSegmentScan scan) throws IOException {
        endRecords();
        if (scan.summary().isPresent()) {
            json.writeStringField("status", "sealed-not-renamed");
            summary(scan.summary().get());
            return;
        }
        json.writeStringField("status", scan.tornTail().isPresent() ? "torn" : "open");
        json.writeNumberField("recordCount", scan.recordCount());
        if (scan.recordCount() > 0) {
            json.writeNumberField("firstLsn", scan.header().orElseThrow().firstLsn());
            json.writeNumberField("lastLsn", scan.lastLsn());
        }
        json.writeNumberField("validLength", scan.validLength());
        if (scan.tornTail().isPresent()) {
            json.writeObjectFieldStart("tornTail");
            json.writeNumberField("offset", scan.tornTail().get().offset());
            json.writeNumberField("length", scan.tornTail().get().length());
            json.writeStringField("reason", scan.tornTail().get().reason());
            json.writeEndObject();
        }
    }

    @Override
    public void corrupt(SegmentCorruptException corruption) throws IOException {
        endRecords();
        json.writeStringField("status", "corrupt");
        json.writeNumberField("offset", corruption.offset());
        json.writeStringField("reason", corruption.reason());
    }

    @Override
    public void close() throws IOException {
        endRecords();
        json.writeEndObject();
        json.writeRaw('\n');
        json.flush();
    }
}
