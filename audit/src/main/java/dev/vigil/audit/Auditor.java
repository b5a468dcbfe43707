package dev.vigil.audit;

import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.ObjectSummary;
import dev.vigil.tlog.Checkpoint;
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
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
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
        LogState log = new LogState();
        log.readOn(store, findings);
        int checkpoints = checkpoints(log, findings);
        long size = log.size();
        byte[] root = log.root();
        long objects = objects(listed, log, before, started, findings);
        return new Report(size, root, checkpoints, objects, findings);
    }

    private int checkpoints(LogState log, List<AuditFinding> findings) throws IOException {
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
            byte[] root = log.rootAt(checkpoint.size());
            long logSize = log.size();
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
            List<ObjectSummary> listed, LogState log, long before, Instant started, List<AuditFinding> findings)
            throws IOException {
        Set<String> seen = new HashSet<>();
        List<ObjectSummary> unlogged = new ArrayList<>();
        for (ObjectSummary object : listed) {
            LogEntry entry = log.latest(object.key());
            if (entry == null || entry.op() == LogEntry.Op.DELETE) {
                unlogged.add(object);
            } else if (compare(object, entry, log, started, findings)) {
                seen.add(object.key());
            }
        }
        if (!unlogged.isEmpty()) {
            // Their writers may have logged them while the audit read the others: catch up with the log once.
            log.readOn(store, findings);
        }
        Instant pendingSince = started.minus(grace);
        for (ObjectSummary object : unlogged) {
            seen.add(object.key());
            LogEntry entry = log.latest(object.key());
            if (entry != null && entry.op() == LogEntry.Op.PUT) {
                if (!compare(object, entry, log, started, findings)) {
                    seen.remove(object.key());
                }
                continue;
            }
            boolean pending = object.lastModified().isAfter(pendingSince);
            findings.add(new AuditFinding(
                    pending ? AuditFinding.Kind.PENDING : AuditFinding.Kind.INSERTED,
                    object.key(),
                    (entry == null ? "the log never recorded it" : "the log recorded its deletion")
                            + "; stored " + object.lastModified()
                            + (pending ? ", within the grace period of " + grace : ""),
                    entry == null ? OptionalLong.empty() : OptionalLong.of(entry.seq()),
                    entry == null ? null : entry.time()));
        }
        for (LogEntry entry : log.latestEntries()) {
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
        return listed.size();
    }

    /**
     * Compares one listed object with its latest put entry; false if it was deleted since it was listed (not seen).
     */
    private boolean compare(
            ObjectSummary object, LogEntry entry, LogState log, Instant started, List<AuditFinding> findings)
            throws IOException {
        Hashed stored;
        try {
            stored = sha256(object.key());
        } catch (ObjectNotFoundException deletedSinceListed) {
            return false;
        }
        if (stored.sha256().equals(entry.sha256())) {
            return true;
        }
        if (!stored.storedAt().isBefore(started)) {
            findings.add(new AuditFinding(
                    AuditFinding.Kind.PENDING,
                    object.key(),
                    "replaced while the audit ran (stored " + stored.storedAt() + "): its entry is checked next time",
                    OptionalLong.of(entry.seq()),
                    entry.time()));
        } else if (!log.concurrent(stored.sha256(), entry)) {
            findings.add(new AuditFinding(
                    AuditFinding.Kind.ALTERED,
                    object.key(),
                    "its stored bytes hash to " + stored.sha256() + " but the log recorded " + entry.sha256() + " ("
                            + entry.size() + " bytes, by " + entry.writer() + "); stored now "
                            + object.lastModified(),
                    OptionalLong.of(entry.seq()),
                    entry.time()));
        }
        return true;
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
