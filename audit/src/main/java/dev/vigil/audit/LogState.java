package dev.vigil.audit;

import dev.vigil.core.store.ObjectStore;
import dev.vigil.tlog.CompactRange;
import dev.vigil.tlog.MerkleHashes;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The log as an audit has read it so far: the tree over the entries read, the root at every size (to check
 * checkpoints), and the latest entry of every key. {@link #readOn} reads the entries stored since, so an audit can catch
 * up with writers that appended while it ran. Not thread safe: one audit owns it.
 */
final class LogState {

    /** How many of a key's latest puts are kept to recognise two writers' crossed replacements. */
    private static final int RECENT_PUTS = 8;
    /** How close two puts of one key must be logged to count as crossed, not as a rollback. */
    private static final Duration CONCURRENT = Duration.ofMinutes(1);

    private final CompactRange range;
    private final long resumedAt;
    private final Map<Long, byte[]> rootsAt = new HashMap<>();
    private final Map<String, LogEntry> latest;
    private final Map<String, List<LogEntry>> recent = new HashMap<>();
    private boolean broken;

    LogState() {
        this(CompactRange.empty(), new HashMap<>());
    }

    private LogState(CompactRange range, Map<String, LogEntry> latest) {
        this.range = range;
        this.resumedAt = range.size();
        this.latest = latest;
        rootsAt.put(range.size(), range.root());
    }

    /** The log as a previous audit read it: reading goes on from its size. */
    static LogState resume(AuditState state) {
        return new LogState(
                CompactRange.of(
                        state.size(),
                        state.edge().stream().map(Base64.getDecoder()::decode).toList()),
                new HashMap<>(state.latest()));
    }

    /** The size this state was resumed at (0 for a full read): roots of smaller sizes are not known here. */
    long resumedAt() {
        return resumedAt;
    }

    /** The right edge of the tree read so far, to save (base64). */
    List<String> edge() {
        return range.hashes().stream().map(Base64.getEncoder()::encodeToString).toList();
    }

    Map<String, LogEntry> latestByKey() {
        return Map.copyOf(latest);
    }

    long size() {
        return range.size();
    }

    byte[] root() {
        return range.root();
    }

    /** The root after the first {@code size} entries, if the log read that far. */
    byte @Nullable [] rootAt(long size) {
        return rootsAt.get(size);
    }

    /** The latest entry of {@code key}, or null if the log never named it. */
    @Nullable
    LogEntry latest(String key) {
        return latest.get(key);
    }

    Iterable<LogEntry> latestEntries() {
        return latest.values();
    }

    /**
     * Reads the entries stored after those read so far, up to the first gap (which is a finding: an entry was deleted;
     * nothing after it is read, now or later).
     */
    void readOn(ObjectStore store, List<AuditFinding> findings) throws IOException {
        readOn(store, findings, LogReader.entryNumbersFrom(store, range.size()));
    }

    /** As above, the entries {@code listed} (numbers from this state's size on, as just listed). */
    void readOn(ObjectStore store, List<AuditFinding> findings, List<Long> listed) throws IOException {
        if (broken) {
            return;
        }
        for (long seq : listed) {
            if (seq < range.size()) {
                continue;
            }
            if (seq != range.size()) {
                broken = true;
                findings.add(new AuditFinding(
                        AuditFinding.Kind.LOG_DAMAGED,
                        "log entry " + range.size(),
                        "missing (the next stored entry is " + seq + "): an entry was deleted; the log is read up to"
                                + " it",
                        OptionalLong.empty(),
                        null));
                return;
            }
            byte[] bytes = LogReader.read(store, LogLayout.entryKey(seq));
            range.append(MerkleHashes.leaf(bytes));
            rootsAt.put(range.size(), range.root());
            List<LogEntry> entries;
            try {
                entries = LogEntry.decodeAll(bytes);
            } catch (IOException | RuntimeException e) {
                findings.add(new AuditFinding(
                        AuditFinding.Kind.LOG_DAMAGED,
                        "log entry " + seq,
                        "not an entry (" + e.getMessage() + ")",
                        OptionalLong.of(seq),
                        null));
                continue;
            }
            for (LogEntry entry : entries) {
                read(entry, seq, findings);
            }
        }
    }

    /** One entry of the log object numbered {@code seq}: the latest of its key from now on. */
    private void read(LogEntry entry, long seq, List<AuditFinding> findings) {
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

    /**
     * Whether the stored bytes are those of another put of the key logged close to the latest: two writers replaced it
     * at once, and the store kept the one the log has just before the other (their puts and entries crossed). An older
     * version is not accepted: that is a rollback.
     */
    boolean concurrent(String stored, LogEntry latest) {
        return recent.getOrDefault(latest.key(), List.of()).stream()
                .anyMatch(e -> e.sha256().equals(stored)
                        && Duration.between(e.time(), latest.time()).compareTo(CONCURRENT) <= 0);
    }
}
