package dev.vigil.audit;

import dev.vigil.core.repository.ReportSealer;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.tlog.NoteKeys;
import dev.vigil.tlog.SignedNote;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Seals compliance reports with the repository's log: signs a checkpoint of the log as it is once the report is stored
 * (so every report is followed by a checkpoint), proves the inclusion of the report's own objects and of the evidence
 * it cites (the verdicts and restore drills stored in its period, and every acknowledgement) in that checkpoint's tree,
 * and signs the forms' SHA-256 with the checkpoint's size and root. {@link SealVerifier} checks the result offline.
 * Reads the whole log (as the checkpointer does). Thread safe if the store is.
 */
public final class ReportSeals implements ReportSealer {

    static final String NOTE_HEADER = SealDocument.FORMAT;

    private final ObjectStore store;
    private final NoteKeys.Signer signer;
    private final Checkpointer checkpointer;

    /** {@code store}: the repository as stored (beneath encryption and the log), where the log is. */
    public ReportSeals(ObjectStore store, NoteKeys.Signer signer, Checkpointer checkpointer) {
        this.store = store;
        this.signer = signer;
        this.checkpointer = checkpointer;
    }

    @Override
    public byte[] seal(String reportId, Instant periodStart, Map<String, byte[]> forms, List<String> storedKeys)
            throws IOException {
        LogSnapshot log = LogSnapshot.read(store);
        Checkpointer.Signed checkpoint = checkpointer.signed(log);
        Map<String, Latest> latest = new HashMap<>();
        for (long index = 0; index < log.size(); index++) {
            for (LogEntry entry : LogEntry.decodeAll(log.entry(index))) {
                latest.put(entry.key(), new Latest(index, entry));
            }
        }
        List<Latest> inOrder = new ArrayList<>(latest.values());
        inOrder.sort(Comparator.comparingLong(Latest::index)
                .thenComparing(l -> l.entry().key()));
        List<SealDocument.Evidence> evidence = new ArrayList<>();
        List<Long> proven = new ArrayList<>();
        for (Latest last : inOrder) {
            LogEntry entry = last.entry();
            String key = entry.key();
            long index = last.index();
            boolean cited = storedKeys.contains(key)
                    || (evidenceKind(key) && !entry.time().isBefore(periodStart))
                    || key.startsWith(RepositoryLayout.ACKS);
            if (entry.op() == LogEntry.Op.PUT && cited) {
                proven.add(index);
                evidence.add(new SealDocument.Evidence(
                        index,
                        key,
                        Base64.getEncoder().encodeToString(log.entry(index)),
                        log.inclusionProof(index).stream()
                                .map(Base64.getEncoder()::encodeToString)
                                .toList()));
            }
        }
        for (String key : storedKeys) {
            if (!latest.containsKey(key)) {
                throw new IOException("the report's object " + key + " is not in the log: it was stored without"
                        + " being logged, so the report cannot be sealed; run vigil audit");
            }
        }
        StringBuilder text = new StringBuilder(NOTE_HEADER)
                .append('\n')
                .append("report ")
                .append(reportId)
                .append('\n')
                .append("checkpoint ")
                .append(checkpoint.checkpoint().origin())
                .append(' ')
                .append(checkpoint.checkpoint().size())
                .append(' ')
                .append(Base64.getEncoder()
                        .encodeToString(checkpoint.checkpoint().rootHash()))
                .append('\n');
        for (Map.Entry<String, byte[]> form : new TreeMap<>(forms).entrySet()) {
            text.append("form ")
                    .append(form.getKey())
                    .append(' ')
                    .append(sha256(form.getValue()))
                    .append('\n');
        }
        text.append(evidenceLine(proven)).append('\n');
        String seal = SignedNote.sign(text.toString(), List.of(signer));
        return new SealDocument(SealDocument.FORMAT, reportId, seal, checkpoint.note(), evidence).encode();
    }

    /** A key's latest entry and the number of the log object it is in. */
    private record Latest(long index, LogEntry entry) {}

    /** The seal note's line that binds the set of entries proven: their count and the SHA-256 of their numbers. */
    static String evidenceLine(List<Long> indices) {
        StringBuilder numbers = new StringBuilder();
        indices.forEach(i -> numbers.append(i).append('\n'));
        return "evidence " + indices.size() + " " + sha256(numbers.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Verdicts and restore drills: what a report judges from, stored in its period. */
    private static boolean evidenceKind(String key) {
        return key.startsWith(RepositoryLayout.PARTITIONS) && (key.contains("/verdicts/") || key.contains("/drills/"));
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(LoggingObjectStore.sha256().digest(bytes));
    }
}
