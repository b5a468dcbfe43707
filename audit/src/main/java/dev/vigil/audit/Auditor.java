package dev.vigil.audit;

import dev.vigil.core.store.ObjectListing;
import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectSummary;
import dev.vigil.tlog.Checkpoint;
import dev.vigil.tlog.NoteKeys;
import dev.vigil.tlog.SignedNote;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Proves that the repository is what its log says ({@code vigil audit}). It reads the entries in order (numbered 0,
 * 1, 2, … without a gap) into the tree, checks every stored checkpoint (signed by a trusted key, its root the log's
 * root at its size: an entry rewritten since shows here), then compares the latest entry of every key with the
 * repository: an object whose stored bytes hash differently is ALTERED, one the log never recorded INSERTED (PENDING
 * within the grace period: its writer may be logging it now), a logged object gone without a delete entry REMOVED.
 * Given the {@link AuditState} of an earlier audit it resumes: it reads only the entries appended since, and only the
 * objects listed differently since they were last found equal to their entry (a full audit reads every object). The
 * repository is read as stored (beneath encryption): no key is needed. Thread safe if the store is.
 */
public final class Auditor {

    /** Objects the log does not cover: the store probes' scratch objects. */
    private static final String PROBES = "probes/";

    /**
     * After every key the log writes (letters, digits, slashes): a listing that starts after {@code log/} + this skips
     * them; a key under {@code log/} above it is listed and skipped the same way, never judged.
     */
    private static final String LOG_KEYS_END = "~";

    private final ObjectStore store;
    private final List<NoteKeys.Verifier> trusted;
    private final Duration grace;
    private final Clock clock;
    private final LongConsumer pace;
    private final Progress progress;
    private final Optional<ObjectStore> witness;

    /** How far an audit is: objects compared of those listed, and the bytes read to hash them. */
    @FunctionalInterface
    public interface Progress {
        void compared(long objects, long listed, long bytesRead);
    }

    /** {@code grace}: how long an unlogged object may be in flight before it counts as inserted. */
    public Auditor(ObjectStore store, List<NoteKeys.Verifier> trusted, Duration grace, Clock clock) {
        this(store, trusted, grace, clock, bytes -> {}, (objects, listed, bytes) -> {});
    }

    /** As above; {@code pace} is given the bytes of each object before it is read (a rate limit), then progress. */
    public Auditor(
            ObjectStore store,
            List<NoteKeys.Verifier> trusted,
            Duration grace,
            Clock clock,
            LongConsumer pace,
            Progress progress) {
        this(store, trusted, grace, clock, pace, progress, Optional.empty());
    }

    private Auditor(
            ObjectStore store,
            List<NoteKeys.Verifier> trusted,
            Duration grace,
            Clock clock,
            LongConsumer pace,
            Progress progress,
            Optional<ObjectStore> witness) {
        this.store = store;
        this.trusted = List.copyOf(trusted);
        this.grace = grace;
        this.clock = clock;
        this.pace = pace;
        this.progress = progress;
        this.witness = witness;
    }

    /**
     * This auditor, also reading the checkpoints copied to {@code witness} ({@code audit.witness}): each is checked
     * as the repository's are, and one missing from the repository is REMOVED.
     */
    public Auditor withWitness(ObjectStore witness) {
        return new Auditor(store, trusted, grace, clock, pace, progress, Optional.of(witness));
    }

    /**
     * What an audit found: the log's size and root, the checkpoints checked, the objects compared, the findings; how
     * much it read (entries, objects hashed, their bytes); the state the next audit resumes from; and how many of the
     * checkpoints were the witness's ({@code -1} without a witness).
     */
    public record Report(
            long entries,
            byte[] root,
            int checkpoints,
            long objects,
            List<AuditFinding> findings,
            long entriesRead,
            long objectsHashed,
            long bytesHashed,
            boolean full,
            AuditState state,
            int witnessCheckpoints) {

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

    /** A full audit: every entry, every object. */
    public Report audit() throws IOException {
        return audit(Optional.empty());
    }

    /**
     * Resumes from {@code previous} (an earlier audit of this repository), or audits in full without it. A checkpoint
     * signed at a size the previous audit had read past, and not checked then, is checked by reading in full again.
     */
    public Report audit(Optional<AuditState> previous) throws IOException {
        Optional<AuditState> resumed = previous.filter(p -> p.repository().equals(store.describe()));
        try {
            try {
                return new Run(resumed.orElse(null)).audit();
            } catch (LateCheckpoint late) {
                return new Run(null).audit();
            }
        } catch (LateCheckpoint impossible) {
            throw new IllegalStateException(
                    "a full audit checks every checkpoint against the log it reads", impossible);
        }
    }

    /** A checkpoint the state cannot check: its size is below where the state resumes, and it was not checked then. */
    private static final class LateCheckpoint extends Exception {
        private static final long serialVersionUID = 1L;

        LateCheckpoint() {
            super(null, null, false, false);
        }
    }

    /** One audit's work. */
    private final class Run {
        private final @Nullable AuditState previous;
        private final LogState log;
        private final List<AuditFinding> findings = new ArrayList<>();
        private final Map<Long, String> checkpointRoots = new HashMap<>();
        private final Map<String, AuditState.Verified> verified = new HashMap<>();
        private Instant started = Instant.EPOCH;
        private long hashed;
        private long bytes;
        /** Checkpoints found in the witness; -1 without one. */
        private int witnessed = -1;

        Run(@Nullable AuditState previous) {
            this.previous = previous;
            this.log = previous == null ? new LogState() : LogState.resume(previous);
        }

        Report audit() throws IOException, LateCheckpoint {
            // The objects are listed before the log is read: an object stored before the listing was logged before
            // the log is read to its end, unless its writer is slow or died (pending within the grace period).
            started = clock.instant();
            // Entries that existed before the listing began: only these can show an object missing from it.
            List<Long> entries = LogReader.entryNumbersFrom(store, log.size());
            long before = log.size() + entries.size();
            List<ObjectSummary> listed = listObjects();
            long resumedAt = log.size();
            log.readOn(store, findings, entries);
            int checkpoints = checkpoints();
            long size = log.size();
            byte[] root = log.root();
            objects(listed, before);
            findings.sort((a, b) -> a.subject().compareTo(b.subject()));
            AuditState state = new AuditState(
                    store.describe(),
                    log.size(),
                    log.edge(),
                    checkpointRoots,
                    log.latestByKey(),
                    verified,
                    previous == null ? started : previous.fullAt());
            return new Report(
                    size,
                    root,
                    checkpoints,
                    listed.size(),
                    findings,
                    log.size() - resumedAt,
                    hashed,
                    bytes,
                    previous == null,
                    state,
                    witnessed);
        }

        /**
         * Every object but the log's and the probes', listed in key order; the log's keys (contiguous under
         * {@code log/}) are skipped over, not listed: the next page starts after the last key the log can have.
         */
        private List<ObjectSummary> listObjects() throws IOException {
            List<ObjectSummary> listed = new ArrayList<>();
            Optional<String> next = Optional.empty();
            do {
                ObjectListing page = store.list("", next, ObjectListing.MAX_KEYS);
                next = page.nextStartAfter();
                for (ObjectSummary object : page.objects()) {
                    if (LogLayout.isLog(object.key())) {
                        if (object.key().compareTo(LogLayout.PREFIX + LOG_KEYS_END) < 0) {
                            next = Optional.of(LogLayout.PREFIX + LOG_KEYS_END);
                            break;
                        }
                        continue; // a log key past the skip: not judged, like every log key
                    }
                    if (!object.key().startsWith(PROBES)) {
                        listed.add(object);
                    }
                }
            } while (next.isPresent());
            return listed;
        }

        private int checkpoints() throws IOException, LateCheckpoint {
            List<Long> sizes = LogReader.checkpointSizes(store);
            int checked = checkpoints(store, sizes, "checkpoint");
            if (witness.isPresent()) {
                List<Long> witnessed = LogReader.checkpointSizes(witness.get());
                for (long size : witnessed) {
                    if (!sizes.contains(size)) {
                        finding(
                                AuditFinding.Kind.REMOVED,
                                "checkpoint at size " + size,
                                "signed and copied to the witness "
                                        + witness.get().describe() + ", but gone from the" + " repository",
                                null);
                    }
                }
                this.witnessed = witnessed.size();
                checked += checkpoints(witness.get(), witnessed, "witness checkpoint");
            }
            return checked;
        }

        /** Checks the checkpoints of {@code sizes} in {@code source} against the log; returns how many. */
        private int checkpoints(ObjectStore source, List<Long> sizes, String label) throws IOException, LateCheckpoint {
            int checked = 0;
            for (long size : sizes) {
                checked++;
                String subject = label + " at size " + size;
                String text = new String(LogReader.read(source, LogLayout.checkpointKey(size)), StandardCharsets.UTF_8);
                Checkpoint checkpoint;
                try {
                    checkpoint = Checkpoint.parse(SignedNote.open(text, trusted).text());
                } catch (SignedNote.RejectedNoteException | IllegalArgumentException e) {
                    finding(AuditFinding.Kind.CHECKPOINT_FORGED, subject, String.valueOf(e.getMessage()), null);
                    continue;
                }
                byte[] root = rootAt(checkpoint.size());
                long logSize = log.size();
                if (checkpoint.size() != size) {
                    finding(
                            AuditFinding.Kind.LOG_FORKED,
                            subject,
                            "is stored as size " + size + " but signs size " + checkpoint.size(),
                            null);
                } else if (root == null) {
                    finding(
                            AuditFinding.Kind.LOG_FORKED,
                            subject,
                            "signs " + size + " entries but the log holds " + logSize + ": entries after " + logSize
                                    + " were removed",
                            null);
                } else if (!Arrays.equals(root, checkpoint.rootHash())) {
                    finding(
                            AuditFinding.Kind.LOG_REWRITTEN,
                            subject,
                            "signs root " + HexFormat.of().formatHex(checkpoint.rootHash()) + " but the log's entries"
                                    + " 0.." + (size - 1) + " hash to "
                                    + HexFormat.of().formatHex(root)
                                    + ": an entry was rewritten after it was signed",
                            null);
                } else {
                    checkpointRoots.put(size, Base64.getEncoder().encodeToString(root));
                }
            }
            return checked;
        }

        /** The log's root at {@code size}: read now, or as the previous audit checked it. */
        private byte @Nullable [] rootAt(long size) throws LateCheckpoint {
            byte[] root = log.rootAt(size);
            if (root != null || previous == null || size >= log.resumedAt()) {
                return root;
            }
            String checked = previous.checkpoints().get(size);
            if (checked == null) {
                throw new LateCheckpoint();
            }
            return Base64.getDecoder().decode(checked);
        }

        private void objects(List<ObjectSummary> listed, long before) throws IOException {
            Set<String> seen = new HashSet<>();
            List<ObjectSummary> unlogged = new ArrayList<>();
            long compared = 0;
            for (ObjectSummary object : listed) {
                LogEntry entry = log.latest(object.key());
                if (entry == null || entry.op() == LogEntry.Op.DELETE) {
                    unlogged.add(object);
                } else if (compare(object, entry)) {
                    seen.add(object.key());
                }
                progress.compared(++compared, listed.size(), bytes);
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
                    if (!compare(object, entry)) {
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
                            "logged (" + entry.size() + " bytes, by " + entry.writer() + ") and never logged as"
                                    + " deleted, but not in the repository",
                            OptionalLong.of(entry.seq()),
                            entry.time()));
                }
            }
        }

        /**
         * Compares one listed object with its latest put entry; false if it was deleted since it was listed (not
         * seen). An object listed as it was when an earlier audit found it equal to this same entry is not read.
         */
        private boolean compare(ObjectSummary object, LogEntry entry) throws IOException {
            AuditState.Verified before =
                    previous == null ? null : previous.verified().get(object.key());
            AuditState.Verified now =
                    new AuditState.Verified(entry.seq(), object.size(), object.lastModified(), object.version());
            if (now.equals(before)) {
                verified.put(object.key(), now);
                return true;
            }
            StoredHash read;
            try {
                pace.accept(object.size());
                read = StoredHash.of(store, object.key());
            } catch (ObjectNotFoundException deletedSinceListed) {
                return false;
            }
            hashed++;
            bytes += object.size();
            String stored = read.hex();
            if (stored.equals(entry.sha256())) {
                verified.put(object.key(), now);
                return true;
            }
            if (log.concurrent(stored, entry)) {
                return true;
            }
            // Its writer may have replaced it and be logging the new bytes now: catch up with the log once.
            log.readOn(store, findings);
            LogEntry latest = log.latest(object.key());
            if (latest != null
                    && latest.op() == LogEntry.Op.PUT
                    && (stored.equals(latest.sha256()) || log.concurrent(stored, latest))) {
                verified.put(
                        object.key(),
                        new AuditState.Verified(latest.seq(), object.size(), object.lastModified(), object.version()));
                return true;
            }
            if (!read.storedAt().isBefore(started.minus(grace))) {
                findings.add(new AuditFinding(
                        AuditFinding.Kind.PENDING,
                        object.key(),
                        "replaced at " + read.storedAt() + ", within the grace period of " + grace + ", by bytes"
                                + " no entry records yet (" + stored + "): its writer may be logging them"
                                + " now; checked again next time",
                        OptionalLong.of(entry.seq()),
                        entry.time()));
            } else {
                findings.add(new AuditFinding(
                        AuditFinding.Kind.ALTERED,
                        object.key(),
                        "its stored bytes hash to " + stored + " but the log recorded " + entry.sha256()
                                + " (" + entry.size() + " bytes, by " + entry.writer() + "); stored now "
                                + object.lastModified(),
                        OptionalLong.of(entry.seq()),
                        entry.time()));
            }
            return true;
        }

        private void finding(AuditFinding.Kind kind, String subject, String detail, @Nullable Instant loggedAt) {
            findings.add(new AuditFinding(kind, subject, detail, OptionalLong.empty(), loggedAt));
        }
    }
}
