package dev.vigil.core.wal;

import dev.vigil.core.LsnRange;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * Streams the records of a <em>sealed</em> segment, validating every byte: the header, each frame's
 * bounds and CRC, LSN contiguity, the seal and the end marker. It holds one frame in memory at a time,
 * so segment size never bounds memory, and it rejects any length field beyond the format's limits before
 * allocating. Any violation raises {@link SegmentCorruptException} with the source, offset and reason.
 *
 * <p>Usage: {@code while (reader.hasNext()) apply(reader.next()); SegmentSummary s = reader.summary();}
 * The summary is available only once {@link #hasNext()} has returned {@code false}, that is, after the
 * seal has been validated. Not thread safe.
 */
public final class SegmentReader implements Closeable {

    private final InputStream stream;
    private final String source;
    private final SegmentExpectation expectation;
    private final SegmentInput input;
    private final SegmentDecoder decoder;
    private final SegmentHeader header;
    private @Nullable WalRecord pending;
    private @Nullable SegmentSummary summary;

    private SegmentReader(
            InputStream stream, long knownSize, String source, SegmentExpectation expectation, boolean materialize)
            throws IOException {
        this.stream = stream;
        this.source = source;
        this.expectation = expectation;
        this.input = new SegmentInput(stream);
        this.decoder = new SegmentDecoder(input, knownSize, materialize);
        try {
            this.header = decoder.readHeader();
        } catch (FormatViolation violation) {
            throw violation.toCorruption(source);
        }
        if (expectation.partition().isPresent()
                && !expectation.partition().get().equals(header.partition())) {
            throw new SegmentCorruptException(
                    source,
                    0,
                    "header names partition " + header.partition() + " but the segment belongs to partition "
                            + expectation.partition().get());
        }
        if (expectation.lsnRange().isPresent() && expectation.lsnRange().get().first() != header.firstLsn()) {
            throw new SegmentCorruptException(
                    source,
                    0,
                    "header's first LSN " + header.firstLsn() + " does not match the name's range "
                            + expectation.lsnRange().get());
        }
    }

    /** Opens a sealed segment file; its name, when a sealed segment name, is checked against the content. */
    public static SegmentReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            return new SegmentReader(
                    in,
                    Files.size(file),
                    file.toString(),
                    SegmentExpectation.fromFileName(file.getFileName().toString()),
                    true);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Reads a sealed segment from a stream, which the reader then owns and closes.
     *
     * @param knownSize the stream's length when known (lets length fields be bounded by it), or -1
     * @param source    names the segment in messages: a path or an object key
     */
    public static SegmentReader open(InputStream in, long knownSize, String source, SegmentExpectation expectation)
            throws IOException {
        return open(in, knownSize, source, expectation, true);
    }

    private static SegmentReader open(
            InputStream in, long knownSize, String source, SegmentExpectation expectation, boolean materialize)
            throws IOException {
        try {
            return new SegmentReader(in, knownSize, source, expectation, materialize);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Reads and validates all of a sealed segment file, returning its summary. */
    public static SegmentSummary validate(Path file) throws IOException {
        return validate(
                Files.newInputStream(file),
                Files.size(file),
                file.toString(),
                SegmentExpectation.fromFileName(file.getFileName().toString()));
    }

    /**
     * Reads and validates all of a sealed segment from a stream (closed afterwards). Every byte is checked, but
     * no record is materialised, so validation allocates nothing per record.
     */
    public static SegmentSummary validate(InputStream in, long knownSize, String source, SegmentExpectation expectation)
            throws IOException {
        try (SegmentReader reader = open(in, knownSize, source, expectation, false)) {
            while (reader.advance()) {
                // Each frame is fully checked as it is read.
            }
            return reader.summary();
        }
    }

    public SegmentHeader header() {
        return header;
    }

    public String source() {
        return source;
    }

    /**
     * Whether another record follows. Returns {@code false} once the seal and end marker have been
     * validated.
     *
     * @throws SegmentCorruptException at the first violation of the format
     */
    public boolean hasNext() throws IOException {
        if (pending != null) {
            return true;
        }
        return advance();
    }

    /** Reads the next frame; true when it was a record (kept in {@code pending} when materialised). */
    private boolean advance() throws IOException {
        if (summary != null) {
            return false;
        }
        try {
            SegmentDecoder.Frame frame = decoder.readFrame();
            return switch (frame) {
                case SegmentDecoder.RecordFrame record -> {
                    pending = record.record();
                    yield true;
                }
                case SegmentDecoder.SealFrame seal -> {
                    decoder.readEndMarker();
                    summary = summarize(seal);
                    yield false;
                }
                case SegmentDecoder.EndOfInput end ->
                    throw new SegmentCorruptException(
                            source,
                            end.offset(),
                            "segment ends after " + decoder.recordCount()
                                    + " records without a seal (truncated, or not sealed)");
            };
        } catch (FormatViolation violation) {
            throw violation.toCorruption(source);
        }
    }

    /** The next record; call {@link #hasNext()} first. */
    public WalRecord next() throws IOException {
        if (!hasNext()) {
            throw new NoSuchElementException("no record after LSN " + decoder.lastLsn() + " in " + source);
        }
        WalRecord record = pending;
        if (record == null) {
            throw new IllegalStateException(source + ": records are not materialised by a validating reader");
        }
        pending = null;
        return record;
    }

    /** Reads the remaining records, discarding them, and returns the summary. */
    public SegmentSummary readToEnd() throws IOException {
        pending = null;
        while (advance()) {
            pending = null;
        }
        return summary();
    }

    /** The summary of the whole segment, once {@link #hasNext()} has returned {@code false}. */
    public SegmentSummary summary() {
        if (summary == null) {
            throw new IllegalStateException(source + ": the summary is known only after the last record was read");
        }
        return summary;
    }

    private SegmentSummary summarize(SegmentDecoder.SealFrame seal) throws SegmentCorruptException {
        if (expectation.lsnRange().isPresent()) {
            LsnRange named = expectation.lsnRange().get();
            if (named.last() != seal.lastLsn()) {
                throw new SegmentCorruptException(
                        source,
                        seal.offset(),
                        "seal's last LSN " + seal.lastLsn() + " does not match the name's range " + named);
            }
        }
        return new SegmentSummary(
                header.partition(),
                header.firstLsn(),
                seal.lastLsn(),
                seal.recordCount(),
                seal.firstTimestamp(),
                seal.lastTimestamp(),
                input.offset(),
                input.checksum());
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
