package dev.vigil.archiver;

import dev.vigil.core.Durations;
import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.config.ArchiveConfig;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.node.ArchivedLsnFile;
import dev.vigil.core.repository.ArchivedRanges;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Continuity;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectCorruptException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStoreException;
import dev.vigil.core.wal.SegmentCorruptException;
import dev.vigil.core.wal.SegmentSummary;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships every sealed WAL segment of this node to the repository exactly once, verified, oldest first. One
 * {@link #runPass() pass} discovers the node's partitions, uploads what is missing with bounded, adaptive
 * concurrency, then per partition checks continuity (gaps, overlaps), measures the archive lag, writes
 * {@code archived.lsn} and raises alerts. It keeps no state that matters across restarts: everything is
 * rebuilt from the repository and the WAL directories, so a crash at any point loses nothing.
 *
 * <p>Passes never overlap (a second caller waits for the first to finish). Thread safe.
 */
public final class Archiver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Archiver.class);

    private final ObjectStore store;
    private final NodeConfig node;
    private final ArchiveConfig settings;
    private final AlertPublisher alerts;
    private final Clock clock;
    private final RandomGenerator random;
    private final SegmentShipper shipper;
    private final AdaptiveLimit limit;
    private final ThreadPoolExecutor uploads;
    private final ReentrantLock passLock = new ReentrantLock();
    private final ArchiverMetrics metrics;
    private final Map<PartitionId, RetryState> retries = new ConcurrentHashMap<>();
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
    private final Set<String> comparedOverlaps = ConcurrentHashMap.newKeySet();
    private final Map<PartitionId, Instant> lastContinuityCheck = new ConcurrentHashMap<>();
    private Instant lastStaleSweep = Instant.MIN;

    public Archiver(
            ObjectStore store,
            NodeConfig node,
            ArchiveConfig settings,
            AlertPublisher alerts,
            MeterRegistry registry,
            Clock clock,
            RandomGenerator random) {
        this.store = store;
        this.node = node;
        this.settings = settings;
        this.alerts = alerts;
        this.clock = clock;
        this.random = random;
        this.shipper = new SegmentShipper(store);
        this.limit = new AdaptiveLimit(settings.concurrency());
        this.uploads = new ThreadPoolExecutor(
                settings.concurrency(),
                settings.concurrency(),
                30,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.concurrency()),
                Thread.ofPlatform()
                        .name("vigil-archive-" + node.replica() + "-", 0)
                        .factory());
        this.uploads.allowCoreThreadTimeOut(true);
        this.metrics = new ArchiverMetrics(registry, limit);
    }

    /** One pass over every partition of the node. Never throws for store or node trouble: it reports it. */
    public ArchiveReport runPass() throws InterruptedException {
        passLock.lockInterruptibly();
        try {
            return pass();
        } finally {
            passLock.unlock();
        }
    }

    private ArchiveReport pass() throws InterruptedException {
        Instant started = clock.instant();
        List<String> errors = new ArrayList<>();
        List<LocalPartition> partitions;
        try {
            partitions = PartitionDiscovery.discover(node);
        } catch (IOException e) {
            alerts.raise(Alert.of(AlertType.NODE_UNREADABLE, started)
                    .replica(node.replica())
                    .message("cannot list the node's partitions: " + e.getMessage())
                    .action("check node.roots in the configuration and that Vigil may read them")
                    .build());
            return new ArchiveReport(
                    started.toString(), 0, List.of(), List.of("cannot list partitions: " + e.getMessage()));
        }
        sweepStaleUploads(started, errors);

        AtomicBoolean storeDown = new AtomicBoolean();
        Map<LocalPartition, PartitionWork> work = new LinkedHashMap<>();
        for (LocalPartition partition : partitions) {
            RetryState retry = retries.get(partition.partition());
            if (retry != null && started.isBefore(retry.notBefore())) {
                LOG.debug(
                        "partition {} waits until {} after {} failures",
                        partition.partition(),
                        retry.notBefore(),
                        retry.failures());
                // Not attempted is not archived: the partition is reported with its lag and as not done.
                try {
                    work.put(partition, waiting(partition, retry));
                } catch (IOException e) {
                    handleFailure(partition, e, storeDown, errors);
                }
                continue;
            }
            try {
                work.put(partition, plan(partition, started));
            } catch (IOException e) {
                handleFailure(partition, e, storeDown, errors);
            }
        }
        for (Map.Entry<LocalPartition, PartitionWork> entry : work.entrySet()) {
            submitUploads(entry.getKey(), entry.getValue(), storeDown);
        }
        List<PartitionReport> reports = new ArrayList<>();
        for (Map.Entry<LocalPartition, PartitionWork> entry : work.entrySet()) {
            reports.add(finish(entry.getKey(), entry.getValue(), storeDown, errors));
        }
        Duration took = Duration.between(started, clock.instant());
        metrics.pass(took);
        return new ArchiveReport(started.toString(), took.toMillis(), reports, errors);
    }

    /**
     * What to do for a partition: its local WAL, the repository's view, and the segments to ship or compare.
     * A node-side failure throws; a repository failure is kept in the plan, so the partition is still
     * reported (its pending segments are its lag) without deciding anything from a listing we do not have.
     */
    private PartitionWork plan(LocalPartition partition, Instant now) throws IOException {
        LocalWal local = LocalWal.read(partition.walDir());
        OptionalLong archivedLsn = ArchivedLsnFile.read(partition.walDir());
        List<LocalSegment> toShip = new ArrayList<>();
        for (LocalSegment segment : local.sealed()) {
            if (archivedLsn.isPresent() && segment.range().last() <= archivedLsn.getAsLong()) {
                continue;
            }
            if (!confirmed.contains(confirmationKey(partition, segment))) {
                toShip.add(segment);
            }
        }
        Instant lastCheck = lastContinuityCheck.getOrDefault(partition.partition(), Instant.MIN);
        boolean checkDue = lastCheck.equals(Instant.MIN)
                || Duration.between(lastCheck, now).compareTo(settings.continuityCheckInterval()) >= 0;
        if (toShip.isEmpty() && !checkDue) {
            // Nothing new on the node and the archive was checked recently: an idle pass costs no request.
            return new PartitionWork(
                    local,
                    new ArchivedRanges.Listing(List.of(), List.of()),
                    Optional.empty(),
                    false,
                    archivedLsn,
                    Set.of(),
                    toShip);
        }
        ArchivedRanges.Listing listing;
        Optional<IOException> listingFailure = Optional.empty();
        try {
            listing = ArchivedRanges.list(store, partition.partition());
            lastContinuityCheck.put(partition.partition(), now);
        } catch (IOException e) {
            listing = new ArchivedRanges.Listing(List.of(), List.of());
            listingFailure = Optional.of(e);
        }
        Set<String> archivedKeys = new HashSet<>();
        listing.segments().forEach(s -> archivedKeys.add(s.key()));
        if (listingFailure.isEmpty()) {
            // A hole in the archive that this node can fill (an object was lost or deleted after it was archived,
            // for example a damaged one removed as ARCHIVE_CORRUPT advises) is filled, whatever archived.lsn says.
            List<LsnRange> coverage = Continuity.coverage(listing.segments());
            Set<LocalSegment> planned = new HashSet<>(toShip);
            for (LocalSegment segment : local.sealed()) {
                if (!Continuity.covers(coverage, segment.range()) && planned.add(segment)) {
                    LOG.info(
                            "partition {}: LSNs {} are missing from the archive; shipping {} again",
                            partition.partition(),
                            segment.range(),
                            segment.path().getFileName());
                    toShip.add(segment);
                }
            }
            toShip.sort(Comparator.comparing(LocalSegment::range));
        }
        return new PartitionWork(local, listing, listingFailure, true, archivedLsn, archivedKeys, toShip);
    }

    /** A partition backing off after failures: its pending segments from the node's side only, nothing shipped. */
    private PartitionWork waiting(LocalPartition partition, RetryState retry) throws IOException {
        LocalWal local = LocalWal.read(partition.walDir());
        OptionalLong archivedLsn = ArchivedLsnFile.read(partition.walDir());
        List<LocalSegment> pending = new ArrayList<>();
        for (LocalSegment segment : local.sealed()) {
            if (archivedLsn.isEmpty() || segment.range().last() > archivedLsn.getAsLong()) {
                pending.add(segment);
            }
        }
        return new PartitionWork(
                local,
                new ArchivedRanges.Listing(List.of(), List.of()),
                Optional.empty(),
                false,
                archivedLsn,
                Set.of(),
                pending,
                new LinkedHashMap<>(),
                Optional.of(retry));
    }

    private void submitUploads(LocalPartition partition, PartitionWork work, AtomicBoolean storeDown)
            throws InterruptedException {
        if (work.listingFailure().isPresent() || work.backingOff().isPresent()) {
            return;
        }
        for (LocalSegment segment : work.toShip()) {
            if (storeDown.get()) {
                return;
            }
            limit.acquire();
            try {
                work.futures().put(segment, uploads.submit(() -> shipOne(partition, segment, work)));
            } catch (RuntimeException e) {
                limit.release(false);
                throw e;
            }
        }
    }

    private ShipResult shipOne(LocalPartition partition, LocalSegment segment, PartitionWork work) throws IOException {
        boolean throttled = false;
        try {
            String key = RepositoryLayout.walKey(partition.partition(), segment.range());
            if (work.archivedKeys().contains(key)) {
                SegmentSummary summary;
                try {
                    summary = shipper.validate(partition, segment);
                } catch (SegmentCorruptException e) {
                    return new ShipResult.Corrupt(segment, e);
                }
                return shipper.compareWithExisting(
                        partition, segment, summary, key, SegmentShipper.metadata(partition.replica(), summary));
            }
            return shipper.ship(partition, segment);
        } catch (ObjectStoreException e) {
            throttled = e.throttled();
            throw e;
        } finally {
            limit.release(throttled);
        }
    }

    private PartitionReport finish(
            LocalPartition partition, PartitionWork work, AtomicBoolean storeDown, List<String> passErrors)
            throws InterruptedException {
        PartitionId id = partition.partition();
        Instant now = clock.instant();
        Tally tally = new Tally();
        List<ArchivedSegment> archived = new ArrayList<>(work.listing().segments());
        List<LocalSegment> waiting = new ArrayList<>();
        boolean failed = work.listingFailure().isPresent() || work.backingOff().isPresent();
        if (work.listingFailure().isPresent()) {
            IOException cause = work.listingFailure().get();
            tally.errors.add("cannot list the archive: " + cause.getMessage());
            handleFailure(partition, cause, storeDown, passErrors);
        }
        work.backingOff()
                .ifPresent(retry -> tally.errors.add("not archived: backing off after " + retry.failures()
                        + " failed attempt(s) since " + retry.since() + "; next attempt after " + retry.notBefore()
                        + "; last error: "
                        + retry.lastError()));
        for (LocalSegment segment : work.toShip()) {
            Future<ShipResult> future = work.futures().get(segment);
            if (future == null) {
                waiting.add(segment);
                continue;
            }
            try {
                ShipResult result = future.get();
                record(partition, result, tally, archived, now);
            } catch (ExecutionException e) {
                IOException cause = e.getCause() instanceof IOException io
                        ? io
                        : new IOException(e.getCause().toString(), e.getCause());
                failed = true;
                tally.failed++;
                tally.errors.add(segment.path().getFileName() + ": " + cause.getMessage());
                waiting.add(segment);
                if (cause instanceof ObjectCorruptException corrupt) {
                    tally.findings.add("uploaded segment did not read back as written: " + corrupt.key());
                    alerts.raise(Alert.of(AlertType.ARCHIVE_VERIFY_FAILED, now)
                            .partition(id)
                            .replica(partition.replica())
                            .lsnRange(segment.range())
                            .message("partition " + id + ": " + cause.getMessage())
                            .action("the repository, or something between Vigil and it, changed the data: investigate"
                                    + " proxies, gateways and the store's health; the segment is retried and not counted"
                                    + " as archived")
                            .build());
                }
                handleFailure(partition, cause, storeDown, passErrors);
            }
        }
        archived.sort(Comparator.comparing(ArchivedSegment::range));
        if (!failed) {
            retries.remove(id);
        }

        List<String> delayed = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        long archivedLsn = work.archivedLsn().orElse(-1);
        if (work.listed() && work.listingFailure().isEmpty()) {
            checkContinuity(partition, work.local(), archived, now, delayed, lost, tally);
            archivedLsn = updateArchivedLsn(partition, work, archived, tally);
        }
        long lagSeconds = 0;
        long lagBytes = 0;
        if (!waiting.isEmpty()) {
            LocalSegment oldest = waiting.getFirst();
            lagSeconds = Math.max(0, Duration.between(oldest.sealedAt(), now).toSeconds());
            lagBytes = waiting.stream().mapToLong(LocalSegment::size).sum();
            if (Duration.between(oldest.sealedAt(), now).compareTo(settings.rpo()) > 0) {
                alerts.raise(Alert.of(AlertType.ARCHIVE_LAG, now)
                        .partition(id)
                        .replica(partition.replica())
                        .lsnRange(new LsnRange(
                                oldest.range().first(),
                                waiting.getLast().range().last()))
                        .message("partition " + id + ": " + waiting.size() + " sealed segment(s), " + lagBytes
                                + " bytes, have waited " + Durations.format(Duration.ofSeconds(lagSeconds))
                                + " to be archived, longer than"
                                + " the RPO of " + Durations.format(settings.rpo()) + "; the oldest is "
                                + oldest.path())
                        .action("check that the repository is reachable and keeps up (STORE_UNAVAILABLE alerts, the"
                                + " vigil_archive_* metrics); raise archive.concurrency if uploads are the bottleneck")
                        .build());
                tally.findings.add("archive lag " + Durations.format(Duration.ofSeconds(lagSeconds))
                        + " exceeds the RPO " + Durations.format(settings.rpo()));
            }
        }
        metrics.partition(id, lagSeconds, lagBytes, archivedLsn, tally);
        return new PartitionReport(
                id.value(),
                tally.uploaded,
                tally.already,
                tally.diverged,
                tally.corrupt,
                tally.failed,
                tally.bytes,
                archivedLsn,
                lagSeconds,
                lagBytes,
                delayed,
                lost,
                tally.findings,
                tally.errors);
    }

    private void record(
            LocalPartition partition, ShipResult result, Tally tally, List<ArchivedSegment> archived, Instant now) {
        PartitionId id = partition.partition();
        switch (result) {
            case ShipResult.Uploaded uploaded -> {
                tally.uploaded++;
                tally.bytes += uploaded.summary().byteSize();
                confirmed.add(confirmationKey(partition, uploaded.segment()));
                archived.add(ArchivedSegment.justStored(
                        uploaded.key(),
                        uploaded.segment().range(),
                        uploaded.summary().byteSize(),
                        now));
                LOG.info(
                        "archived {} ({} records, {} bytes)",
                        uploaded.key(),
                        uploaded.summary().recordCount(),
                        uploaded.summary().byteSize());
            }
            case ShipResult.AlreadyArchived already -> {
                tally.already++;
                confirmed.add(confirmationKey(partition, already.segment()));
                boolean listed = archived.stream().anyMatch(a -> a.key().equals(already.key()));
                if (!listed) {
                    archived.add(ArchivedSegment.justStored(
                            already.key(),
                            already.segment().range(),
                            already.summary().byteSize(),
                            now));
                }
            }
            case ShipResult.Diverged diverged -> {
                tally.diverged++;
                String theirs = diverged.existing().metadata().getOrDefault("replica", "unknown");
                tally.findings.add("WAL divergence at LSN " + diverged.segment().range() + " with replica " + theirs);
                alerts.raise(Alert.of(AlertType.WAL_DIVERGENCE, now)
                        .partition(id)
                        .replica(partition.replica())
                        .lsnRange(diverged.segment().range())
                        .key(AlertType.WAL_DIVERGENCE + "|" + diverged.key() + "|" + partition.replica())
                        .message("partition " + id + ", LSNs "
                                + diverged.segment().range() + ": replica "
                                + partition.replica() + " holds a segment ("
                                + diverged.summary().byteSize() + " bytes, "
                                + diverged.summary().checksum() + ") that differs from the archived copy "
                                + diverged.key() + " written by replica " + theirs + " ("
                                + diverged.existing().size()
                                + " bytes, " + diverged.existing().checksum() + "); this replica's copy is kept at "
                                + diverged.conflictKey())
                        .action("the replicas' logs disagree about the same LSNs: compare the two copies with 'vigil"
                                + " inspect segment --records' to find the first differing record, and find which"
                                + " replica's data is wrong before any of them deletes its WAL")
                        .detail("archivedKey", diverged.key())
                        .detail("conflictKey", diverged.conflictKey())
                        .detail("otherReplica", theirs)
                        .build());
            }
            case ShipResult.Corrupt corrupt -> {
                tally.corrupt++;
                tally.findings.add(
                        "corrupt local segment " + corrupt.segment().path().getFileName() + " at offset "
                                + corrupt.corruption().offset());
                alerts.raise(Alert.of(AlertType.SEGMENT_CORRUPT, now)
                        .partition(id)
                        .replica(partition.replica())
                        .lsnRange(corrupt.segment().range())
                        .message("partition " + id + ": local segment "
                                + corrupt.segment().path() + " is corrupt at"
                                + " offset " + corrupt.corruption().offset() + ": "
                                + corrupt.corruption().reason()
                                + "; it was not archived")
                        .action(
                                "keep the file for forensics and check the node's disk (SMART, kernel log); if another"
                                        + " replica archives the same LSNs the archive stays complete, otherwise ARCHIVE_GAP follows")
                        .detail("file", corrupt.segment().path().toString())
                        .detail("offset", Long.toString(corrupt.corruption().offset()))
                        .build());
            }
        }
    }

    private void checkContinuity(
            LocalPartition partition,
            LocalWal local,
            List<ArchivedSegment> archived,
            Instant now,
            List<String> delayed,
            List<String> lost,
            Tally tally) {
        PartitionId id = partition.partition();
        Continuity.Analysis analysis = Continuity.analyse(archived);
        for (Continuity.Gap gap : analysis.gaps()) {
            boolean pendingHere = local.mayStillHold(gap.missing());
            if (pendingHere || Duration.between(gap.since(), now).compareTo(settings.gapGrace()) <= 0) {
                delayed.add(gap.missing().toString());
                continue;
            }
            lost.add(gap.missing().toString());
            tally.findings.add("archive gap " + gap.missing());
            alerts.raise(Alert.of(AlertType.ARCHIVE_GAP, now)
                    .partition(id)
                    .lsnRange(gap.missing())
                    .message("partition " + id + ": LSNs " + gap.missing() + " are missing from the archive since "
                            + gap.since() + " (longer than the grace period of " + Durations.format(settings.gapGrace())
                            + "), and replica " + partition.replica() + " holds no segment with them")
                    .action("check whether another replica still has these LSNs in its WAL directory (its daemon"
                            + " archives them); if none does, the partition cannot be restored across this range: take"
                            + " a new snapshot after it, and find out why the segments were lost")
                    .build());
        }
        for (Continuity.Overlap overlap : analysis.overlaps()) {
            String pair = overlap.first().key() + "|" + overlap.second().key();
            if (!comparedOverlaps.add(pair)) {
                continue;
            }
            try {
                Optional<Long> difference = OverlapCheck.firstDifference(store, id, overlap.first(), overlap.second());
                if (difference.isPresent()) {
                    tally.findings.add("archived segments " + overlap.first().key() + " and "
                            + overlap.second().key() + " differ at LSN " + difference.get());
                    alerts.raise(Alert.of(AlertType.WAL_DIVERGENCE, now)
                            .partition(id)
                            .lsnRange(overlap.common())
                            .key(AlertType.WAL_DIVERGENCE + "|" + pair)
                            .message("partition " + id + ": archived segments "
                                    + overlap.first().key() + " and "
                                    + overlap.second().key() + " overlap and hold different records from LSN "
                                    + difference.get())
                            .action("the replicas that wrote them logged different mutations under the same LSNs;"
                                    + " inspect both (vigil inspect segment --records) and find the faulty replica")
                            .build());
                }
            } catch (IOException e) {
                comparedOverlaps.remove(pair);
                tally.errors.add("cannot compare overlapping segments " + pair + ": " + e.getMessage());
            }
        }
    }

    private long updateArchivedLsn(
            LocalPartition partition, PartitionWork work, List<ArchivedSegment> archived, Tally tally) {
        if (archived.isEmpty()) {
            return work.archivedLsn().orElse(-1);
        }
        long from = archived.getFirst().range().first();
        Optional<Long> lowestLocal = work.local().lowestLsn();
        if (lowestLocal.isPresent()) {
            from = Math.min(from, lowestLocal.get());
        }
        if (work.archivedLsn().isPresent()) {
            from = Math.min(from, work.archivedLsn().getAsLong() + 1);
        }
        long end = Continuity.contiguousEnd(archived, from);
        long current = work.archivedLsn().orElse(-1);
        if (end > current && end >= from) {
            try {
                ArchivedLsnFile.write(partition.walDir(), end);
                return end;
            } catch (IOException e) {
                tally.errors.add("cannot write " + ArchivedLsnFile.in(partition.walDir()) + ": " + e.getMessage());
            }
        }
        return current;
    }

    private void handleFailure(
            LocalPartition partition, IOException failure, AtomicBoolean storeDown, List<String> errors) {
        Instant now = clock.instant();
        boolean permanent = failure instanceof ObjectStoreException s && !s.retryable();
        if (permanent) {
            if (storeDown.compareAndSet(false, true)) {
                errors.add(failure.getMessage());
                alerts.raise(Alert.of(AlertType.STORE_UNAVAILABLE, now)
                        .key(AlertType.STORE_UNAVAILABLE + "|" + store.describe())
                        .message("the repository " + store.describe() + " refuses Vigil: " + failure.getMessage())
                        .action("fix the credentials, permissions or bucket named in the message; archiving resumes on"
                                + " the next pass and nothing is lost meanwhile (the node keeps its WAL)")
                        .build());
            }
            return;
        }
        RetryState previous = retries.get(partition.partition());
        int failures = previous == null ? 1 : previous.failures() + 1;
        Duration delay = backoff(failures);
        retries.put(
                partition.partition(),
                new RetryState(
                        failures, previous == null ? now : previous.since(), now.plus(delay), failure.getMessage()));
        metrics.retry();
        LOG.warn(
                "partition {}: archiving failed ({}); retrying in {} (failure {})",
                partition.partition(),
                failure.getMessage(),
                Durations.format(delay),
                failures);
    }

    /** Exponential backoff with "equal jitter": half the delay fixed, half random, so retries do not synchronise. */
    private Duration backoff(int failures) {
        long base = settings.retryBase().toMillis();
        long capped = Math.min(settings.retryMax().toMillis(), base << Math.min(20, failures - 1));
        long half = capped / 2;
        return Duration.ofMillis(half + (half == 0 ? 0 : random.nextLong(half + 1)));
    }

    private void sweepStaleUploads(Instant now, List<String> errors) {
        if (Duration.between(lastStaleSweep, now)
                                .compareTo(settings.staleUploadAge().dividedBy(2))
                        < 0
                && !lastStaleSweep.equals(Instant.MIN)) {
            return;
        }
        lastStaleSweep = now;
        try {
            int aborted = store.abortIncompleteUploads("", now.minus(settings.staleUploadAge()));
            if (aborted > 0) {
                LOG.info(
                        "aborted {} incomplete upload(s) older than {} left by interrupted puts",
                        aborted,
                        Durations.format(settings.staleUploadAge()));
            }
        } catch (IOException e) {
            errors.add("cannot sweep incomplete uploads: " + e.getMessage());
        }
    }

    private static String confirmationKey(LocalPartition partition, LocalSegment segment) {
        return partition.partition() + "/" + segment.range() + "/" + segment.size();
    }

    /** Current concurrency limit (drops when the store throttles). */
    public int uploadLimit() {
        return limit.limit();
    }

    /**
     * Stops accepting work and waits up to {@code timeout} for uploads in flight; uploads still running then
     * are interrupted (an interrupted put leaves no visible object: see {@link ObjectStore}).
     */
    public void shutdown(Duration timeout) throws InterruptedException {
        uploads.shutdown();
        if (!uploads.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("uploads still running after {}: interrupting them", timeout);
            uploads.shutdownNow();
            uploads.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** {@link #shutdown} with 30 seconds; restores the interrupt flag if interrupted meanwhile. Idempotent. */
    @Override
    public void close() {
        try {
            shutdown(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            uploads.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** A partition that failed to archive: how often, since when, when it is tried again, and why it failed last. */
    private record RetryState(int failures, Instant since, Instant notBefore, String lastError) {}

    /**
     * The partitions that cannot archive now (backing off after failed attempts), each with why: what {@code /health}
     * reports as DEGRADED. Empty when every partition archives.
     */
    public Map<String, String> failingPartitions() {
        Map<String, String> failing = new TreeMap<>();
        retries.forEach((partition, retry) -> failing.put(
                partition.value(),
                retry.failures() + " failed attempt(s) since " + retry.since() + "; last error: " + retry.lastError()));
        return failing;
    }

    /**
     * A partition's pass: {@code listed} is false when the repository was not consulted (idle partition);
     * {@code backingOff} is present when the partition was not attempted because it failed recently.
     */
    private record PartitionWork(
            LocalWal local,
            ArchivedRanges.Listing listing,
            Optional<IOException> listingFailure,
            boolean listed,
            OptionalLong archivedLsn,
            Set<String> archivedKeys,
            List<LocalSegment> toShip,
            Map<LocalSegment, Future<ShipResult>> futures,
            Optional<RetryState> backingOff) {
        PartitionWork(
                LocalWal local,
                ArchivedRanges.Listing listing,
                Optional<IOException> listingFailure,
                boolean listed,
                OptionalLong archivedLsn,
                Set<String> archivedKeys,
                List<LocalSegment> toShip) {
            this(
                    local,
                    listing,
                    listingFailure,
                    listed,
                    archivedLsn,
                    archivedKeys,
                    toShip,
                    new LinkedHashMap<>(),
                    Optional.empty());
        }
    }

    /** Counts for one partition in one pass. */
    static final class Tally {
        int uploaded;
        int already;
        int diverged;
        int corrupt;
        int failed;
        long bytes;
        final List<String> findings = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
    }

    /** The archiver's meters (Prometheus names: vigil_archive_*). */
    static final class ArchiverMetrics {
        private final MeterRegistry registry;
        private final Map<PartitionId, AtomicLong[]> gauges = new ConcurrentHashMap<>();
        private final Counter retries;

        private final Timer passes;

        ArchiverMetrics(MeterRegistry registry, AdaptiveLimit limit) {
            this.registry = registry;
            this.retries = Counter.builder("vigil.archive.retries")
                    .description("Partitions put on backoff after a failed upload")
                    .register(registry);
            Gauge.builder("vigil.archive.upload.limit", limit, AdaptiveLimit::limit)
                    .description("Current upload concurrency (halved when the store throttles)")
                    .register(registry);
            this.passes = Timer.builder("vigil.archive.pass")
                    .description("Duration of archive passes")
                    .register(registry);
        }

        void pass(Duration took) {
            passes.record(took);
        }

        void retry() {
            retries.increment();
        }

        void partition(PartitionId partition, long lagSeconds, long lagBytes, long archivedLsn, Tally tally) {
            AtomicLong[] values = gauges.computeIfAbsent(partition, p -> {
                AtomicLong[] created = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
                Tags tags = Tags.of("partition", p.value());
                gauge(
                        "vigil.archive.lag.seconds",
                        tags,
                        created[0],
                        "Age of the oldest sealed segment not yet archived" + " (0 when none waits)");
                gauge("vigil.archive.lag.bytes", tags, created[1], "Bytes of sealed segments waiting to be archived");
                gauge(
                        "vigil.archive.archived.lsn",
                        tags,
                        created[2],
                        "The LSN written to archived.lsn: everything up to it" + " is archived without a gap");
                return created;
            });
            values[0].set(lagSeconds);
            values[1].set(lagBytes);
            values[2].set(archivedLsn);
            count(partition, "uploaded", tally.uploaded);
            count(partition, "already_archived", tally.already);
            count(partition, "diverged", tally.diverged);
            count(partition, "corrupt", tally.corrupt);
            count(partition, "failed", tally.failed);
            Counter.builder("vigil.archive.bytes")
                    .tag("partition", partition.value())
                    .description("Bytes uploaded")
                    .register(registry)
                    .increment((double) tally.bytes);
        }

        private void gauge(String name, Tags tags, AtomicLong value, String description) {
            Gauge.builder(name, value, AtomicLong::get)
                    .tags(tags)
                    .description(description)
                    .register(registry);
        }

        private void count(PartitionId partition, String outcome, int n) {
            Counter.builder("vigil.archive.segments")
                    .tag("partition", partition.value())
                    .tag("outcome", outcome)
                    .description("Segments by outcome: uploaded, already_archived, diverged, corrupt, failed")
                    .register(registry)
                    .increment(n);
        }
    }
}
