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
        List<AuditFinding> findings = new ArrayList<>();
        Map<Long, byte[]> rootsAt = new HashMap<>();
        Map<String, LogEntry> latest = new HashMap<>();
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
        }
        int checkpoints = checkpoints(rootsAt, range.size(), findings);
        long objects = objects(latest, findings);
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

    private long objects(Map<String, LogEntry> latest, List<AuditFinding> findings) throws IOException {
        Instant pendingSince = clock.instant().minus(grace);
        Set<String> seen = new HashSet<>();
        long objects = 0;
        for (Iterator<ObjectSummary> it = store.listAll(""); it.hasNext(); ) {
            ObjectSummary object = it.next();
            if (LogLayout.isLog(object.key()) || object.key().startsWith(PROBES)) {
                continue;
            }
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
            String stored;
            try {
                stored = sha256(object.key());
            } catch (ObjectNotFoundException deletedSinceListed) {
                seen.remove(object.key());
                continue;
            }
            if (!stored.equals(entry.sha256())) {
                findings.add(new AuditFinding(
                        AuditFinding.Kind.ALTERED,
                        object.key(),
                        "its stored bytes hash to " + stored + " but the log recorded " + entry.sha256() + " ("
                                + entry.size() + " bytes, by " + entry.writer() + "); stored now "
                                + object.lastModified(),
                        OptionalLong.of(entry.seq()),
                        entry.time()));
            }
        }
        for (LogEntry entry : latest.values()) {
            if (entry.op() == LogEntry.Op.PUT
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

    /** The SHA-256 of an object's stored bytes, as the store holds them (its own checksum checked on the way). */
    private String sha256(String key) throws IOException {
        MessageDigest digest = LoggingObjectStore.sha256();
        try (ObjectStream in = store.get(key);
                InputStream body = in) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = body.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
