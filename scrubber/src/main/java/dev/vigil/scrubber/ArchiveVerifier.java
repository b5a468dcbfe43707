package dev.vigil.scrubber;

import dev.vigil.core.Errors;
import dev.vigil.core.PartitionId;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.config.VerifyConfig;
import dev.vigil.core.node.StorageNodeContract;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.ArchivedSegments;
import dev.vigil.core.repository.Continuity;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.VerificationState;
import dev.vigil.core.store.ObjectCorruptException;
import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.UndecryptableObjectException;
import dev.vigil.core.wal.SegmentCorruptException;
import dev.vigil.core.wal.SegmentFileName;
import dev.vigil.core.wal.SegmentReader;
import dev.vigil.core.wal.SegmentSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads what was archived and proves it is still what was written: every object due (not verified
 * within {@code verify.period}, or changed since) is streamed through the store's re-hash and the segment
 * reader's record-by-record validation; the partition's archive is checked for gaps; and where this node
 * still holds a copy of an archived segment, the two are compared. Progress is saved in the repository
 * every few objects, so a run that is stopped continues where it stopped. A sampling mode reads a random
 * fraction of all objects, due or not, for cheap spot checks. Not thread safe: one run at a time.
 */
public final class ArchiveVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveVerifier.class);
    private static final int SAVE_EVERY = 25;

    private final ObjectStore store;
    private final Repository repository;
    private final Optional<NodeConfig> node;
    private final VerifyConfig config;
    private final Duration gapGrace;
    private final ScrubAlerts scrubAlerts;
    private final Clock clock;
    private final RandomGenerator random;

    public ArchiveVerifier(
            Repository repository,
            Optional<NodeConfig> node,
            VerifyConfig config,
            Duration gapGrace,
            AlertPublisher alerts,
            Clock clock,
            RandomGenerator random) {
        this.store = repository.store();
        this.repository = repository;
        this.node = node;
        this.config = config;
        this.gapGrace = gapGrace;
        this.scrubAlerts = new ScrubAlerts(alerts);
        this.clock = clock;
        this.random = random;
    }

    /**
     * Verifies one partition, or all partitions in the repository.
     *
     * @param sample when present, a fraction (0, 1] of all objects to read regardless of when they were last
     *               verified, instead of reading what is due
     */
    public VerifyReport verify(Optional<PartitionId> only, OptionalDouble sample) {
        return verify(only, sample, Progress.SILENT);
    }

    /** What a verification tells its caller as it goes (a terminal's progress bar). Called on the verifying thread. */
    public interface Progress {
        /** {@code done} of the {@code total} objects of {@code partition} to read now are read: {@code bytes} so far. */
        void read(PartitionId partition, int done, int total, long bytes);

        Progress SILENT = (partition, done, total, bytes) -> {};
    }

    /** As {@link #verify(Optional, OptionalDouble)}, telling {@code progress} about every object read. */
    public VerifyReport verify(Optional<PartitionId> only, OptionalDouble sample, Progress progress) {
        Instant started = clock.instant();
        List<String> errors = new ArrayList<>();
        List<PartitionVerification> results = new ArrayList<>();
        Set<PartitionId> partitions;
        try {
            partitions = only.isPresent() ? Set.of(only.get()) : repository.partitionsWithArchive();
        } catch (IOException e) {
            errors.add("cannot list the repository " + store.describe() + ": " + e.getMessage());
            return new VerifyReport(started.toString(), 0, results, errors);
        }
        for (PartitionId partition : partitions) {
            try {
                results.add(verifyPartition(partition, sample, progress));
            } catch (IOException e) {
                errors.add("partition " + partition + ": " + e.getMessage());
            }
        }
        return new VerifyReport(
                started.toString(), Duration.between(started, clock.instant()).toMillis(), results, errors);
    }

    private PartitionVerification verifyPartition(PartitionId partition, OptionalDouble sample, Progress progress)
            throws IOException {
        Instant now = clock.instant();
        List<ArchivedSegment> segments = repository.archive(partition).segments();
        VerificationState state = repository.verificationState(partition);
        Set<String> keys = new HashSet<>();
        segments.forEach(s -> keys.add(s.key()));
        state.retainOnly(keys);

        List<ArchivedSegment> toRead = choose(segments, state, now, sample);
        List<String> findings = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        int verified = 0;
        int corrupt = 0;
        int storedOnly = 0;
        long bytes = 0;
        int sinceSave = 0;
        int done = 0;
        long read = 0;
        progress.read(partition, 0, toRead.size(), 0);
        for (ArchivedSegment segment : toRead) {
            try {
                SegmentSummary summary = ArchivedSegments.verify(store, segment.key());
                bytes += summary.byteSize();
                Optional<String> localDifference = compareWithLocalCopy(partition, segment, summary);
                if (localDifference.isPresent()) {
                    corrupt++;
                    state.damaged(segment.key());
                    findings.add(localDifference.get());
                    scrubAlerts.archiveCorrupt(
                            partition,
                            segment,
                            ScrubAlerts.Damage.DIFFERS_FROM_NODE,
                            localDifference.get(),
                            clock.instant());
                } else {
                    state.verified(segment, summary.checksum(), clock.instant(), summary.firstTimestampMillis());
                    scrubAlerts.archivedObjectIntact(partition, segment.key(), clock.instant());
                    verified++;
                }
            } catch (SegmentCorruptException e) {
                corrupt++;
                state.damaged(segment.key());
                String finding = segment.key() + ": corrupt at byte offset " + e.offset() + ": " + e.reason();
                findings.add(finding);
                scrubAlerts.archiveCorrupt(partition, segment, ScrubAlerts.Damage.FORMAT, finding, clock.instant());
            } catch (ObjectCorruptException e) {
                corrupt++;
                state.damaged(segment.key());
                findings.add(e.getMessage());
                scrubAlerts.archiveCorrupt(
                        partition, segment, ScrubAlerts.Damage.CHECKSUM, Errors.message(e), clock.instant());
            } catch (ObjectNotFoundException deletedMeanwhile) {
                LOG.info("{} disappeared during verification (retention?)", segment.key());
            } catch (UndecryptableObjectException e) {
                // Encrypted and not decryptable here (no keyring, or its key missing): its stored bytes are still
                // proven against their checksum; its records are checked where it can be decrypted.
                try {
                    store.rehashStored(segment.key());
                    storedOnly++;
                    bytes += segment.size();
                    if (e.keysConfigured()) {
                        // This process should have read its records: the run is incomplete, not a pass.
                        errors.add(segment.key() + ": stored bytes intact, but its records could not be checked: "
                                + e.getMessage());
                    } else {
                        LOG.debug("{}: stored bytes intact, not decrypted here ({})", segment.key(), e.getMessage());
                    }
                } catch (ObjectCorruptException damaged) {
                    corrupt++;
                    state.damaged(segment.key());
                    findings.add(damaged.getMessage());
                    scrubAlerts.archiveCorrupt(
                            partition, segment, ScrubAlerts.Damage.CHECKSUM, Errors.message(damaged), clock.instant());
                } catch (IOException rehash) {
                    errors.add(segment.key() + ": " + rehash.getMessage());
                }
            } catch (IOException e) {
                errors.add(segment.key() + ": " + e.getMessage());
            }
            read += segment.size();
            progress.read(partition, ++done, toRead.size(), read);
            if (++sinceSave >= SAVE_EVERY) {
                repository.save(state);
                sinceSave = 0;
            }
        }
        repository.save(state);
        scrubAlerts.archivedObjectsGone(partition, keys, clock.instant());

        List<String> gaps = new ArrayList<>();
        Set<String> stillMissing = new HashSet<>();
        for (Continuity.Gap gap : Continuity.analyse(segments).gaps()) {
            gaps.add(gap.missing().toString());
            stillMissing.add(ScrubAlerts.gapKey(partition, gap));
            if (Duration.between(gap.since(), now).compareTo(gapGrace) > 0) {
                findings.add("archive gap " + gap.missing());
                scrubAlerts.archiveGap(partition, gap, now);
            }
        }
        scrubAlerts.gapsClosed(partition, stillMissing, now);
        return new PartitionVerification(
                partition.value(),
                segments.size(),
                verified,
                segments.size() - toRead.size(),
                corrupt,
                storedOnly,
                bytes,
                gaps,
                findings,
                errors);
    }

    private List<ArchivedSegment> choose(
            List<ArchivedSegment> segments, VerificationState state, Instant now, OptionalDouble sample) {
        if (sample.isPresent()) {
            List<ArchivedSegment> shuffled = new ArrayList<>(segments);
            Collections.shuffle(shuffled, random);
            int count = (int) Math.ceil(segments.size() * sample.getAsDouble());
            List<ArchivedSegment> chosen = new ArrayList<>(shuffled.subList(0, Math.min(count, shuffled.size())));
            chosen.sort(Comparator.comparing(ArchivedSegment::range));
            return chosen;
        }
        return segments.stream()
                .filter(s -> state.verifiedAt(s)
                        .map(at -> Duration.between(at, now).compareTo(config.period()) >= 0)
                        .orElse(true))
                .toList();
    }

    /** When this node still holds the same segment, its copy must be byte-identical to the archived one. */
    private Optional<String> compareWithLocalCopy(
            PartitionId partition, ArchivedSegment segment, SegmentSummary archived) throws IOException {
        if (node.isEmpty()) {
            return Optional.empty();
        }
        String name =
                SegmentFileName.sealed(segment.range().first(), segment.range().last());
        for (Path root : node.get().roots()) {
            Path local = StorageNodeContract.walDir(root, partition).resolve(name);
            if (!Files.isRegularFile(local)) {
                continue;
            }
            SegmentSummary mine;
            try {
                mine = SegmentReader.validate(local);
            } catch (SegmentCorruptException e) {
                return Optional.empty();
            }
            if (!mine.checksum().equals(archived.checksum()) || mine.byteSize() != archived.byteSize()) {
                return Optional.of(segment.key() + " differs from this node's copy " + local + " (archived "
                        + archived.byteSize() + " bytes " + archived.checksum() + ", local " + mine.byteSize()
                        + " bytes " + mine.checksum() + ")");
            }
        }
        return Optional.empty();
    }
}
