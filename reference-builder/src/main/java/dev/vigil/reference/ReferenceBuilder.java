package dev.vigil.reference;

import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.repository.ArchivedRanges;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.wal.SegmentExpectation;
import dev.vigil.core.wal.SegmentReader;
import dev.vigil.core.wal.WalRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Replays a partition's archived segments, in LSN order, into its {@link ReferenceState}. Every segment is
 * validated while it streams (store re-hash, record CRCs, LSN continuity, seal); the next LSN must be held by
 * some archived segment, or the build stops there and names the gap; a damaged object stops it and is named.
 * At each requested stop LSN the listener sees the reference exactly at that LSN. Memory does not depend on
 * segment size. Not thread safe.
 */
public final class ReferenceBuilder {

    /** Called with the reference exactly at a requested LSN. */
    @FunctionalInterface
    public interface StopListener {
        void at(long lsn, ReferenceState reference) throws IOException;
    }

    /** Records applied per write batch (one multi-get of old values, one write). */
    private static final int BATCH = 512;

    private final ObjectStore store;

    public ReferenceBuilder(ObjectStore store) {
        this.store = store;
    }

    /**
     * Advances {@code reference} to {@code target}, calling {@code listener} at every LSN of {@code stops}
     * between the reference's LSN (exclusive) and the target (inclusive), in order.
     *
     * @throws ReferenceBuildException at a gap or a damaged object, with the reference left at the last good LSN
     */
    public void advance(ReferenceState reference, long target, NavigableSet<Long> stops, StopListener listener)
            throws IOException {
        PartitionId partition = reference.partition();
        if (target < reference.lsn()) {
            throw new IllegalArgumentException("the reference of " + partition + " is already at LSN " + reference.lsn()
                    + ", past " + target + "; open it afresh to build an earlier state");
        }
        NavigableSet<Long> pending = new TreeSet<>(stops.subSet(reference.lsn(), false, target, true));
        List<ArchivedSegment> segments = ArchivedRanges.list(store, partition).segments();
        while (reference.lsn() < target) {
            long next = reference.lsn() + 1;
            ArchivedSegment segment = holding(segments, next).orElseThrow(() -> gap(partition, segments, next, reference));
            try (ObjectStream in = store.get(segment.key());
                 SegmentReader reader = SegmentReader.open(in, in.info().size(), store.describe() + "/" + segment.key(),
                         SegmentExpectation.of(partition, segment.range()))) {
                List<WalRecord> batch = new ArrayList<>(BATCH);
                long upTo = reference.lsn();
                while (upTo < target && reader.hasNext()) {
                    WalRecord record = reader.next();
                    if (record.lsn() <= upTo) {
                        continue;
                    }
                    batch.add(record);
                    upTo = record.lsn();
                    boolean stop = !pending.isEmpty() && pending.first() == upTo;
                    if (stop || batch.size() == BATCH || upTo == target) {
                        reference.applyAll(batch);
                        batch.clear();
                    }
                    if (stop) {
                        listener.at(pending.pollFirst(), reference);
                    }
                }
                reference.applyAll(batch);
                if (reference.lsn() == segment.range().last()) {
                    reader.readToEnd();
                }
            } catch (ReferenceBuildException e) {
                throw e;
            } catch (IOException e) {
                throw new ReferenceBuildException("partition " + partition + ": the reference stopped at LSN "
                        + reference.lsn() + " because archived segment " + segment.key() + " is unreadable or damaged: "
                        + e.getMessage(), reference.lsn(), e);
            }
        }
    }

    private static java.util.Optional<ArchivedSegment> holding(List<ArchivedSegment> segments, long lsn) {
        return segments.stream().filter(s -> s.range().contains(lsn)).findFirst();
    }

    private static ReferenceBuildException gap(PartitionId partition, List<ArchivedSegment> segments, long next,
                                               ReferenceState reference) {
        long resumes = segments.stream().map(ArchivedSegment::range).mapToLong(LsnRange::first).filter(f -> f > next)
                .min().orElse(-1);
        String missing = resumes < 0 ? "LSN " + next + " onwards is not archived yet"
                : "LSNs " + new LsnRange(next, resumes - 1) + " are not in the archive (it resumes at " + resumes + ")";
        return new ReferenceBuildException("partition " + partition + ": the reference stopped at LSN " + reference.lsn()
                + ": " + missing, reference.lsn(), null);
    }
}
