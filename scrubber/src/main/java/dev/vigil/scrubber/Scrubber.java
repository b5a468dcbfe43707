package dev.vigil.scrubber;

import com.google.common.util.concurrent.RateLimiter;
import dev.vigil.core.PartitionId;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.config.ScrubConfig;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.ScrubReport;
import dev.vigil.core.summary.StateAccumulator;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrubs this node's replicas: for each, takes a checkpoint into the work directory, reads its applied LSN,
 * scans every item in key order with the storage's checksum verification at the configured rate, computes
 * the digest, and publishes the report and digest to the repository. A storage checksum failure is bit rot:
 * {@code REPLICA_BIT_ROT} at once, and the other replicas are scrubbed regardless. Checkpoints are kept
 * (marked published) until their TTL passes; a checkpoint never published (the scan was interrupted) is
 * removed at the next scrub. Not thread safe: one scrub at a time.
 */
public final class Scrubber {

    private static final Logger LOG = LoggerFactory.getLogger(Scrubber.class);
    static final String PUBLISHED = ".vigil-published";

    private final Repository repository;
    private final NodeConfig node;
    private final ScrubConfig config;
    private final ReplicaSource source;
    private final Path checkpoints;
    private final ScrubAlerts scrubAlerts;
    private final Clock clock;

    public Scrubber(
            Repository repository,
            NodeConfig node,
            ScrubConfig config,
            ReplicaSource source,
            Path workDir,
            AlertPublisher alerts,
            Clock clock) {
        this.repository = repository;
        this.node = node;
        this.config = config;
        this.source = source;
        this.checkpoints = workDir.resolve("checkpoints");
        this.scrubAlerts = new ScrubAlerts(alerts);
        this.clock = clock;
    }

    /** Scrubs one partition's replica, or every replica on the node. */
    public List<ScrubOutcome> scrub(Optional<PartitionId> only) throws IOException {
        removeStaleCheckpoints();
        List<ScrubOutcome> outcomes = new ArrayList<>();
        for (LocalReplica replica : LocalReplica.discover(node)) {
            if (only.isPresent() && !only.get().equals(replica.partition())) {
                continue;
            }
            outcomes.add(scrubOne(replica));
        }
        if (only.isPresent() && outcomes.isEmpty()) {
            throw new IOException("partition " + only.get() + " has no replica directory under " + node.roots());
        }
        return outcomes;
    }

    private ScrubOutcome scrubOne(LocalReplica replica) {
        Instant started = clock.instant();
        Path target = uniqueCheckpoint(replica, started);
        try (ReplicaView view = source.checkpoint(replica, target)) {
            OptionalLong applied = view.appliedLsn();
            if (applied.isEmpty()) {
                deleteRecursively(target);
                return ScrubOutcome.failed(
                        replica,
                        replica.directory() + " has no applied-LSN key: the node does not"
                                + " follow the storage-node contract, so its state cannot be compared with the archive");
            }
            StateAccumulator state =
                    StateAccumulator.create(config.algorithm(), config.bucketBits(), config.sketchShape());
            RateLimiter limiter =
                    config.bytesPerSecond() > 0 ? RateLimiter.create((double) config.bytesPerSecond()) : null;
            long[] totals = new long[2];
            view.scan(item -> {
                state.add(item);
                int bytes = item.keyLength() + item.valueLength();
                totals[0]++;
                totals[1] += bytes;
                if (limiter != null) {
                    limiter.acquire(Math.max(1, bytes));
                }
            });
            view.verifyFiles(bytes -> {
                if (limiter != null && bytes > 0) {
                    limiter.acquire((int) Math.min(Integer.MAX_VALUE, bytes));
                }
            });
            Digest result = state.digest().snapshot();
            ScrubReport report = new ScrubReport(
                    ScrubReport.VERSION,
                    replica.partition(),
                    replica.replica(),
                    applied.getAsLong(),
                    result.summary(),
                    totals[0],
                    totals[1],
                    Duration.between(started, clock.instant()).toMillis(),
                    started,
                    host(),
                    target.toString());
            repository.publishScrubReport(report, result, state.sketch());
            if (state.sketch().isPresent() && !config.keepCheckpoint()) {
                // The report's sketch names differing keys on any machine: nothing waits for this checkpoint.
                deleteRecursively(target);
            } else {
                Files.writeString(target.resolve(PUBLISHED), report.startedAt().toString());
            }
            scrubAlerts.replicaReadClean(replica, applied.getAsLong(), clock.instant());
            LOG.info(
                    "scrubbed {} of {} at LSN {}: {} items, root {}",
                    replica.replica(),
                    replica.partition(),
                    applied.getAsLong(),
                    totals[0],
                    result.rootHex());
            return ScrubOutcome.published(report);
        } catch (ReplicaCorruptException e) {
            deleteRecursively(target);
            String finding = "replica " + replica.replica() + " of " + replica.partition()
                    + ": storage checksum failure in " + e.file() + " (" + e.blockKind() + " block) after key "
                    + e.lastGoodKey() + ": " + e.getMessage();
            scrubAlerts.replicaBitRot(replica, e, finding, clock.instant());
            return ScrubOutcome.bitRot(replica, finding);
        } catch (IOException | RuntimeException e) {
            deleteRecursively(target);
            return ScrubOutcome.failed(
                    replica, "replica " + replica.replica() + " of " + replica.partition() + ": " + e.getMessage());
        }
    }

    /** {@code <work>/checkpoints/<pid>/<replica>-<millis>[-n]}: never an existing directory. */
    private Path uniqueCheckpoint(LocalReplica replica, Instant started) {
        Path base = checkpoints.resolve(replica.partition().value());
        String name = replica.replica() + "-" + started.toEpochMilli();
        Path target = base.resolve(name);
        for (int n = 2; Files.exists(target); n++) {
            target = base.resolve(name + "-" + n);
        }
        return target;
    }

    /** Removes checkpoints never published (an interrupted scan) and published ones past their TTL. */
    void removeStaleCheckpoints() throws IOException {
        if (!Files.isDirectory(checkpoints)) {
            return;
        }
        Instant expiry = clock.instant().minus(config.checkpointTtl());
        try (Stream<Path> partitions = Files.list(checkpoints)) {
            for (Path partition : partitions.toList()) {
                try (Stream<Path> taken = Files.list(partition)) {
                    for (Path checkpoint : taken.toList()) {
                        Path marker = checkpoint.resolve(PUBLISHED);
                        boolean published = Files.exists(marker);
                        if (!published
                                || Files.getLastModifiedTime(marker).toInstant().isBefore(expiry)) {
                            LOG.info("removing {} checkpoint {}", published ? "expired" : "unpublished", checkpoint);
                            deleteRecursively(checkpoint);
                        }
                    }
                }
            }
        }
    }

    /** Best effort: a checkpoint that cannot be removed now is removed by the next scrub's cleanup. */
    private static void deleteRecursively(Path directory) {
        try {
            DurableFiles.deleteRecursively(directory);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", directory, e.getMessage());
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
