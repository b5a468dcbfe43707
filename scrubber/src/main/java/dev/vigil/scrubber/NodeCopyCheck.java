package dev.vigil.scrubber;

import dev.vigil.core.Errors;
import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.config.VerifyConfig;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.node.NodePartitions;
import dev.vigil.core.node.StorageNodeContract;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.RepositoryJson;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectCorruptException;
import dev.vigil.core.store.ObjectInfo;
import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.wal.SegmentCorruptException;
import dev.vigil.core.wal.SegmentFileName;
import dev.vigil.core.wal.SegmentReader;
import dev.vigil.core.wal.SegmentSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node agent's comparison of the sealed WAL segments it still holds with their archived objects, when a fleet
 * verifies the archive (a worker has no node to compare with): each local segment is validated record by record (its
 * whole-file checksum computed) and compared with the archived object's size and stored checksum from a HEAD, never a
 * download. A difference is the same finding node-local archive verification reports ({@code ARCHIVE_CORRUPT},
 * differs from the node), naming the object, the local file and both checksums.
 *
 * <p>Each segment is compared at most once per {@code verify.period} (as each archived object is re-read once per
 * period); when it was compared is kept in {@code work-dir/state/node-copies.json} so a restart does not re-read the
 * node's whole WAL at once. A segment not archived (yet, or any more) is skipped; a local segment that no longer
 * validates is left to the archiver, which reports it. Not thread safe: one run at a time.
 */
public final class NodeCopyCheck {

    private static final Logger LOG = LoggerFactory.getLogger(NodeCopyCheck.class);

    /** The state file under the work directory. */
    static final String STATE_FILE = "state/node-copies.json";

    /**
     * What one run did.
     *
     * @param compared    local segments compared with their archived objects
     * @param notDue      local segments compared within the period, not compared again
     * @param notArchived local segments without an archived object (not archived yet, or expired)
     * @param bytesRead   bytes of local segments read
     * @param findings    archived objects that differ from this node's copy
     * @param errors      what could not be compared, and why
     */
    public record Report(
            int compared, int notDue, int notArchived, long bytesRead, List<String> findings, List<String> errors) {

        public String summary() {
            return compared + " local segment(s) compared with the archive (" + bytesRead + " bytes read), " + notDue
                    + " not due, " + notArchived + " not archived; " + findings.size() + " differ"
                    + (errors.isEmpty() ? "" : "; " + errors.size() + " error(s): " + errors.getFirst());
        }
    }

    private final ObjectStore store;
    private final NodeConfig node;
    private final Duration period;
    private final Path stateFile;
    private final ScrubAlerts alerts;
    private final Clock clock;

    public NodeCopyCheck(
            ObjectStore store, NodeConfig node, VerifyConfig config, Path workDir, AlertPublisher alerts, Clock clock) {
        this.store = store;
        this.node = node;
        this.period = config.period();
        this.stateFile = workDir.resolve(STATE_FILE);
        this.alerts = new ScrubAlerts(alerts);
        this.clock = clock;
    }

    /** Compares every local sealed segment that is due; never throws for one segment's problem. */
    public Report check() throws IOException {
        Map<String, Instant> compared = load();
        Map<String, Instant> kept = new TreeMap<>();
        Instant now = clock.instant();
        int done = 0;
        int notDue = 0;
        int notArchived = 0;
        long bytes = 0;
        List<String> findings = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (NodePartitions.Entry wal : NodePartitions.withSubdirectory(node.roots(), StorageNodeContract.WAL)) {
            for (Path local : sealedSegments(wal.directory())) {
                Optional<LsnRange> range = SegmentFileName.parse(
                                local.getFileName().toString())
                        .filter(SegmentFileName::isSealed)
                        .map(name ->
                                new LsnRange(name.firstLsn(), name.lastLsn().orElseThrow()));
                if (range.isEmpty()) {
                    continue;
                }
                String key = RepositoryLayout.walKey(wal.partition(), range.get());
                Instant last = compared.get(key);
                if (last != null && Duration.between(last, now).compareTo(period) < 0) {
                    kept.put(key, last);
                    notDue++;
                    continue;
                }
                try {
                    Optional<Outcome> outcome = compare(wal.partition(), range.get(), key, local);
                    if (outcome.isEmpty()) {
                        notArchived++;
                        continue;
                    }
                    bytes += outcome.get().bytes();
                    done++;
                    outcome.get().difference().ifPresent(findings::add);
                    kept.put(key, now);
                } catch (IOException e) {
                    errors.add(key + ": " + Errors.message(e));
                }
            }
        }
        save(kept);
        return new Report(done, notDue, notArchived, bytes, findings, errors);
    }

    private record Outcome(long bytes, Optional<String> difference) {}

    /** Empty when there is nothing to compare: no archived object, or no intact local copy any more. */
    private Optional<Outcome> compare(PartitionId partition, LsnRange range, String key, Path local)
            throws IOException {
        ObjectInfo archived;
        try {
            archived = store.head(key);
        } catch (ObjectNotFoundException notArchived) {
            return Optional.empty();
        } catch (ObjectCorruptException unreadable) {
            String finding = key + " differs from this node's copy " + local + ": the archived object's stored"
                    + " checksum is unreadable (" + Errors.message(unreadable) + ")";
            raise(partition, range, key, -1, Instant.EPOCH, finding);
            return Optional.of(new Outcome(0, Optional.of(finding)));
        }
        SegmentSummary mine;
        try {
            mine = SegmentReader.validate(local);
        } catch (NoSuchFileException deletedMeanwhile) {
            return Optional.empty(); // the node dropped it after it was archived
        } catch (SegmentCorruptException e) {
            LOG.warn("{}: this node's copy no longer validates ({}); not compared", local, Errors.message(e));
            return Optional.empty();
        }
        if (mine.byteSize() == archived.size() && mine.checksum().equals(archived.checksum())) {
            alerts.archivedObjectIntact(partition, key, clock.instant());
            return Optional.of(new Outcome(mine.byteSize(), Optional.empty()));
        }
        String finding = key + " differs from this node's copy " + local + " (archived " + archived.size() + " bytes "
                + archived.checksum() + ", local " + mine.byteSize() + " bytes " + mine.checksum() + ")";
        raise(partition, range, key, archived.size(), archived.lastModified(), finding);
        return Optional.of(new Outcome(mine.byteSize(), Optional.of(finding)));
    }

    private void raise(PartitionId partition, LsnRange range, String key, long size, Instant modified, String finding) {
        LOG.error("{}", finding);
        alerts.archiveCorrupt(
                partition,
                new ArchivedSegment(key, range, size, modified, "(from HEAD)"),
                ScrubAlerts.Damage.DIFFERS_FROM_NODE,
                finding,
                clock.instant());
    }

    private static List<Path> sealedSegments(Path walDir) throws IOException {
        try (Stream<Path> files = Files.list(walDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(SegmentFileName.SEALED_SUFFIX))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (NoSuchFileException gone) {
            return List.of();
        }
    }

    /** The state file: when each archived segment's key was last compared with this node's copy. */
    private record State(Map<String, Instant> compared) {}

    private Map<String, Instant> load() {
        if (!Files.isRegularFile(stateFile)) {
            return new HashMap<>();
        }
        try {
            return new HashMap<>(RepositoryJson.MAPPER
                    .readValue(Files.readAllBytes(stateFile), State.class)
                    .compared());
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} is unreadable ({}); every local segment is due", stateFile, Errors.message(e));
            return new HashMap<>();
        }
    }

    private void save(Map<String, Instant> compared) throws IOException {
        Files.createDirectories(stateFile.getParent());
        DurableFiles.replace(stateFile, RepositoryJson.PRETTY.writeValueAsBytes(new State(compared)));
    }
}
