package dev.vigil.audit;

import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.ObjectSummary;
import dev.vigil.tlog.Checkpoint;
import dev.vigil.tlog.CompactRange;
import dev.vigil.tlog.MerkleHashes;
import dev.vigil.tlog.NoteKeys;
import dev.vigil.tlog.SignedNote;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Proves that the repository is what its log says ({@code vigil audit}). It reads every entry in order (numbered 0,
 * 1, 2, … without a gap) into the tree, checks every stored checkpoint (signed by a trusted key, its root the log's
 * root at its size: an entry rewritten since shows here), then compares the latest entry of every key with the
 * repository: an object whose stored bytes hash differently is ALTERED, one the log never recorded INSERTED (PENDING
 * within the grace period: its writer may be logging it now), a logged object gone without a delete entry REMOVED.
 * It reads every object (a full audit; resuming from the last audited size is the next step). The repository is read
 * as stored (beneath encryption): no key is needed. Thread safe if the store is.
 */
public final class Auditor {

    /** Objects the log does not cover: the store probes' scratch objects. */
    private static final String PROBES = "probes/";
    /** How many of a key's latest puts are kept to recognise two writers' crossed replacements. */
    private static final int RECENT_PUTS = 8;
    /** How close two puts of one key must be logged to count as crossed, not as a rollback. */
    private static final Duration CONCURRENT = Duration.ofMinutes(1);

    private final ObjectStore store;
    private final List<NoteKeys.Verifier> trusted;
    private final Duration grace;
    private final Clock clock;

    /** {@code grace}: how long an unlogged object may be in flight before it counts as inserted. */
    public Auditor(ObjectStore store, List<NoteKeys.Verifier> trusted, Duration grace, Clock clock) {
        this.store = store;
        this.trusted = List.copyOf(trusted);
        this.grace = grace;
        this.clock = clock;
    }

    /** What an audit found: the log's size and root, the checkpoints checked, the objects compared, the findings. */
    public record Report(long entries, byte[] root, int checkpoints, long objects, List<AuditFinding> findings) {

        public Report {
            root = root.clone();
            findings = List.copyOf(findings);
        }

        @Override
        public byte[] root() {
            return root.clone();
        }

        public boolean clean() {
            return findings.stream().noneMatch(AuditFinding::tampering);
        }
    }

    public Report audit() throws IOException {
        // The objects are listed before the log is read: an object stored before the listing was logged before the
        // log is read to its end, unless its writer is slow or died (pending within the grace period).
        Instant started = clock.instant();
        // Entries that existed before the listing began: only these can show an object missing from it.
        long before = LogReader.entryNumbers(store).size();
        List<ObjectSummary> listed = new ArrayList<>();
        for (Iterator<ObjectSummary> it = store.listAll(""); it.hasNext(); ) {
            ObjectSummary object = it.next();
            if (!LogLayout.isLog(object.key()) && !object.key().startsWith(PROBES)) {
                listed.add(object);
            }
        }
        List<AuditFinding> findings = new ArrayList<>();
        Map<Long, byte[]> rootsAt = new HashMap<>();
        Map<String, LogEntry> latest = new HashMap<>();
        Map<String, List<LogEntry>> recent = new HashMap<>();
        CompactRange range = CompactRange.empty();
        rootsAt.put(0L, range.root());
        for (long seq : LogReader.entryNumbers(store)) {
            if (seq != range.size()) {
                findings.add(new AuditFinding(
                        AuditFinding.Kind.LOG_DAMAGED,
                        "log entry " + range.size(),
                        "missing (the next stored entry is " + seq + "): an entry was deleted; the log is read up to"
                                + " it",
                        OptionalLong.empty(),
                        null));
                break;
            }
            byte[] bytes = LogReader.read(store, LogLayout.entryKey(seq));
            range.append(MerkleHashes.leaf(bytes));
            rootsAt.put(range.size(), range.root());
            LogEntry entry;
            try {
                entry = LogEntry.decode(bytes);
            } catch (IOException | RuntimeException e) {
                findings.add(new AuditFinding(
                        AuditFinding.Kind.LOG_DAMAGED,
                        "log entry " + seq,
                        "not an entry (" + e.getMessage() + ")",
                        OptionalLong.of(seq),
                        null));
                continue;
            }
            if (entry.seq() != seq) {
                findings.add(new AuditFinding(
                        AuditFinding.Kind.LOG_DAMAGED,
                        "log entry " + seq,
                        "says it is entry " + entry.seq() + ": copied from elsewhere in the log",
                        OptionalLong.of(seq),
                        entry.time()));
            }
            latest.put(entry.key(), entry);
            if (entry.op() == LogEntry.Op.PUT) {
                List<LogEntry> puts = recent.computeIfAbsent(entry.key(), k -> new ArrayList<>());
                puts.add(entry);
                if (puts.size() > RECENT_PUTS) {
                    puts.removeFirst();
                }
            }
        }
        int checkpoints = checkpoints(rootsAt, range.size(), findings);
        long objects = objects(listed, latest, recent, before, started, findings);
        return new Report(range.size(), range.root(), checkpoints, objects, findings);
    }

    private int checkpoints(Map<Long, byte[]> rootsAt, long logSize, List<AuditFinding> findings) throws IOException {
        int checked = 0;
        for (long size : LogReader.checkpointSizes(store)) {
            checked++;
            String subject = "checkpoint at size " + size;
            String text = new String(LogReader.read(store, LogLayout.checkpointKey(size)), StandardCharsets.UTF_8);
            Checkpoint checkpoint;
            try {
                checkpoint = Checkpoint.parse(SignedNote.open(text, trusted).text());
            } catch (SignedNote.RejectedNoteException | IllegalArgumentException e) {
                findings.add(new AuditFinding(
                        AuditFinding.Kind.CHECKPOINT_FORGED,
                        subject,
                        String.valueOf(e.getMessage()),
                        OptionalLong.empty(),
                        null));
                continue;
            }
            byte[] root = rootsAt.get(checkpoint.size());
            if (checkpoint.size() != size) {
                findings.add(new AuditFinding(
                        AuditFinding.Kind.LOG_FORKED,
                        subject,
                        "is stored as size " + size + " but signs size " + checkpoint.size(),
                        OptionalLong.empty(),
                        null));
            } else if (root == null) {
                findings.add(new AuditFinding(
                        AuditFinding.Kind.LOG_FORKED,
                        subject,
                        "signs " + size + " entries but the log holds " + logSize + ": entries after " + logSize
                                + " were removed",
                        OptionalLong.empty(),
                        null));
            } else if (!Arrays.equals(root, checkpoint.rootHash())) {
                findings.add(new AuditFinding(
                        AuditFinding.Kind.LOG_REWRITTEN,
                        subject,
                        "signs root " + HexFormat.of().formatHex(checkpoint.rootHash()) + " but the log's entries 0.."
                                + (size - 1) + " hash to " + HexFormat.of().formatHex(root)
                                + ": an entry was rewritten after it was signed",
                        OptionalLong.empty(),
                        null));
            }
        }
        return checked;
    }

    private long objects(
            List<ObjectSummary> listed,
            Map<String, LogEntry> latest,
            Map<String, List<LogEntry>> recent,
            long before,
            Instant started,
            List<AuditFinding> findings)
            throws IOException {
        Instant pendingSince = started.minus(grace);
        Set<String> seen = new HashSet<>();
        long objects = 0;
        for (ObjectSummary object : listed) {
            objects++;
            seen.add(object.key());
            LogEntry entry = latest.get(object.key());
            if (entry == null || entry.op() == LogEntry.Op.DELETE) {
                boolean pending = object.lastModified().isAfter(pendingSince);
                findings.add(new AuditFinding(
                        pending ? AuditFinding.Kind.PENDING : AuditFinding.Kind.INSERTED,
                        object.key(),
                        (entry == null ? "the log never recorded it" : "the log recorded its deletion")
                                + "; stored " + object.lastModified()
                                + (pending ? ", within the grace period of " + grace : ""),
                        entry == null ? OptionalLong.empty() : OptionalLong.of(entry.seq()),
                        entry == null ? null : entry.time()));
                continue;
            }
            Hashed stored;
            try {
                stored = sha256(object.key());
            } catch (ObjectNotFoundException deletedSinceListed) {
                seen.remove(object.key());
                continue;
            }
            if (!stored.sha256().equals(entry.sha256()) && !stored.storedAt().isBefore(started)) {
                findings.add(new AuditFinding(
                        AuditFinding.Kind.PENDING,
                        object.key(),
                        "replaced while the audit ran (stored " + stored.storedAt()
                                + "): its entry is checked next time",
                        OptionalLong.of(entry.seq()),
                        entry.time()));
            } else if (!stored.sha256().equals(entry.sha256()) && !concurrent(stored.sha256(), entry, recent)) {
                findings.add(new AuditFinding(
                        AuditFinding.Kind.ALTERED,
                        object.key(),
                        "its stored bytes hash to " + stored.sha256() + " but the log recorded " + entry.sha256() + " ("
                                + entry.size() + " bytes, by " + entry.writer() + "); stored now "
                                + object.lastModified(),
                        OptionalLong.of(entry.seq()),
                        entry.time()));
            }
        }
        for (LogEntry entry : latest.values()) {
            if (entry.op() == LogEntry.Op.PUT
                    && entry.seq() < before
                    && !seen.contains(entry.key())
                    && !entry.key().startsWith(PROBES)) {
                findings.add(new AuditFinding(
                        AuditFinding.Kind.REMOVED,
                        entry.key(),
                        "logged (" + entry.size() + " bytes, by " + entry.writer() + ") and never logged as deleted,"
                                + " but not in the repository",
                        OptionalLong.of(entry.seq()),
                        entry.time()));
            }
        }
        findings.sort((a, b) -> a.subject().compareTo(b.subject()));
        return objects;
    }

    /**
     * Whether the stored bytes are those of another put of the key logged close to the latest: two writers replaced it
     * at once, and the store kept the one the log has just before the other (their puts and entries crossed). An older
     * version is not accepted: that is a rollback.
     */
    private static boolean concurrent(String stored, LogEntry latest, Map<String, List<LogEntry>> recent) {
        return recent.getOrDefault(latest.key(), List.of()).stream()
                .anyMatch(e -> e.sha256().equals(stored)
                        && Duration.between(e.time(), latest.time()).compareTo(CONCURRENT) <= 0);
    }

    private record Hashed(String sha256, Instant storedAt) {}

    /** The SHA-256 of an object's stored bytes as the store holds them now (its own checksum checked on the way). */
    private Hashed sha256(String key) throws IOException {
        MessageDigest digest = LoggingObjectStore.sha256();
        Instant storedAt;
        try (ObjectStream in = store.get(key);
                InputStream body = in) {
            storedAt = in.info().lastModified();
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = body.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return new Hashed(HexFormat.of().formatHex(digest.digest()), storedAt);
    }
}
