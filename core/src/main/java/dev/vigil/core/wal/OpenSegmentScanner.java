package dev.vigil.core.wal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads an open segment (one being written, or left by a crashed writer) the way recovery must: records
 * are accepted up to the first incomplete or invalid frame, and everything from there on is reported as
 * the torn tail. Valid checksums around inconsistent content (an LSN gap) are still corruption: a torn
 * write cannot produce them. See {@code docs/wal-format.md}.
 */
public final class OpenSegmentScanner {

    private OpenSegmentScanner() {}

    /**
     * Scans an open segment file.
     *
     * @throws SegmentCorruptException when the valid-looking part of the file is inconsistent
     */
    public static OpenSegmentScan scan(Path file) throws IOException {
        return scan(file, record -> {});
    }

    /** Scans an open segment file, passing each record of the valid prefix to {@code visitor}. */
    public static OpenSegmentScan scan(Path file, Consumer<WalRecord> visitor) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return scan(in, Files.size(file), file.toString(), visitor);
        }
    }

    /** Scans an open segment read from a stream (not closed). */
    public static OpenSegmentScan scan(InputStream in, long knownSize, String source) throws IOException {
        return scan(in, knownSize, source, record -> {});
    }

    /** Scans an open segment read from a stream (not closed), passing each valid record to {@code visitor}. */
    public static OpenSegmentScan scan(InputStream in, long knownSize, String source, Consumer<WalRecord> visitor)
            throws IOException {
        SegmentInput input = new SegmentInput(in);
        if (input.atEnd()) {
            // Created, no record yet: the header is written with the first record.
            return new OpenSegmentScan(Optional.empty(), 0, 0, 0, 0, 0, Optional.empty(), Optional.empty());
        }
        SegmentDecoder decoder = new SegmentDecoder(input, knownSize);
        Optional<SegmentHeader> header = Optional.empty();
        long validLength = 0;
        try {
            header = Optional.of(decoder.readHeader());
            validLength = input.offset();
            while (true) {
                SegmentDecoder.Frame frame = decoder.readFrame();
                switch (frame) {
                    case SegmentDecoder.RecordFrame record -> {
                        validLength = input.offset();
                        visitor.accept(record.record());
                    }
                    case SegmentDecoder.SealFrame seal -> {
                        readEndMarker(decoder, seal);
                        SegmentHeader h = header.get();
                        SegmentSummary summary = new SegmentSummary(
                                h.partition(),
                                h.firstLsn(),
                                seal.lastLsn(),
                                seal.recordCount(),
                                seal.firstTimestamp(),
                                seal.lastTimestamp(),
                                input.offset(),
                                input.checksum());
                        return scanned(header, input.offset(), decoder, Optional.empty(), Optional.of(summary));
                    }
                    case SegmentDecoder.EndOfInput end -> {
                        return scanned(header, validLength, decoder, Optional.empty(), Optional.empty());
                    }
                }
            }
        } catch (FormatViolation violation) {
            if (violation.kind() == FormatViolation.Kind.INCONSISTENT) {
                throw violation.toCorruption(source);
            }
            long torn = violation.offset();
            input.drain();
            TornTail tail = new TornTail(torn, input.offset() - torn, violation.reason());
            return scanned(header, torn, decoder, Optional.of(tail), Optional.empty());
        }
    }

    /** A seal is written together with its end marker; without a valid one the seal itself is torn. */
    private static void readEndMarker(SegmentDecoder decoder, SegmentDecoder.SealFrame seal)
            throws IOException, FormatViolation {
        try {
            decoder.readEndMarker();
        } catch (FormatViolation violation) {
            throw new FormatViolation(
                    violation.kind(), seal.offset(), "seal not followed by a valid end marker: " + violation.reason());
        }
    }

    private static OpenSegmentScan scanned(
            Optional<SegmentHeader> header,
            long validLength,
            SegmentDecoder decoder,
            Optional<TornTail> tail,
            Optional<SegmentSummary> summary) {
        long count = header.isPresent() ? decoder.recordCount() : 0;
        long lastLsn = header.isPresent() ? decoder.lastLsn() : 0;
        return new OpenSegmentScan(
                header, validLength, count, lastLsn, decoder.firstTimestamp(), decoder.lastTimestamp(), tail, summary);
    }
}
