package dev.vigil.audit;

import dev.vigil.tlog.Checkpoint;
import dev.vigil.tlog.MerkleHashes;
import dev.vigil.tlog.MerkleProofs;
import dev.vigil.tlog.NoteKeys;
import dev.vigil.tlog.SignedNote;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checks a report's seal offline, with nothing but the seal, the report's files and the public key(s) an auditor
 * trusts: the seal note's signature, each report file's SHA-256 against the one signed, the checkpoint's signature and
 * that it is the one the seal names, and every piece of evidence's inclusion proof against the checkpoint's root (and
 * that the set of evidence is the one signed). No repository, no configuration, no network. Stateless.
 */
public final class SealVerifier {

    private SealVerifier() {}

    /** The verdict, most serious first; each maps to an exit code. */
    public enum Outcome {
        /** Every check passed. */
        VERIFIED,
        /** Evidence of tampering: a signature that does not verify, a changed file, a proof that fails. */
        TAMPERED,
        /** Not a seal, or nothing given to check against it. */
        BAD_INPUT,
        /** Well formed, but signed by no trusted key: nothing is proven either way. */
        UNCHECKABLE
    }

    /**
     * What was checked ({@code checked}, in order) and what failed ({@code problems}; empty when verified).
     *
     * @param evidence the number of log entries proven, by kind (report, verdict, drill, acknowledgement, other)
     */
    public record Result(
            Outcome outcome,
            String report,
            List<String> checked,
            List<String> problems,
            Map<String, Integer> evidence) {
        public Result {
            checked = List.copyOf(checked);
            problems = List.copyOf(problems);
            evidence = Map.copyOf(evidence);
        }
    }

    /**
     * Verifies {@code seal} for the report files given ({@code files}: by extension, html, json or parquet: their
     * bytes) against {@code trusted} keys.
     */
    public static Result verify(byte[] seal, Map<String, byte[]> files, List<NoteKeys.Verifier> trusted) {
        return verify(seal, files, trusted, Optional.empty());
    }

    /**
     * As above, and with {@code later} (a {@link LaterCheckpoint} document) also that the log at a later checkpoint
     * extends the one the report was sealed at: nothing it cites was rewritten or removed since.
     */
    public static Result verify(
            byte[] seal, Map<String, byte[]> files, List<NoteKeys.Verifier> trusted, Optional<byte[]> later) {
        Check check = new Check();
        try {
            return check.run(seal, files, trusted, later);
        } catch (Stop stop) {
            return check.result(stop.outcome);
        }
    }

    /** Ends the check early with an outcome (the problem is already recorded). */
    private static final class Stop extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Outcome outcome;

        Stop(Outcome outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }

    private static final class Check {
        private final List<String> checked = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private final Map<String, Integer> kinds = new TreeMap<>();
        private String report = "";
        private Outcome worst = Outcome.VERIFIED;

        Result result(Outcome outcome) {
            return new Result(outcome, report, checked, problems, kinds);
        }

        private Stop fail(Outcome outcome, String problem) {
            problems.add(problem);
            return new Stop(outcome);
        }

        private void tampered(String problem) {
            problems.add(problem);
            worst = Outcome.TAMPERED;
        }

        Result run(byte[] bytes, Map<String, byte[]> files, List<NoteKeys.Verifier> trusted, Optional<byte[]> later)
                throws Stop {
            SealDocument document;
            try {
                document = SealDocument.decode(bytes);
            } catch (IOException | RuntimeException e) {
                throw fail(Outcome.BAD_INPUT, "not a report seal (" + e.getMessage() + ")");
            }
            if (!SealDocument.FORMAT.equals(document.format())) {
                throw fail(
                        Outcome.BAD_INPUT,
                        "not a report seal of format " + SealDocument.FORMAT + " (it says " + document.format() + ")");
            }
            report = document.report();
            SignedNote sealNote = open(document.seal(), trusted, "the seal");
            checked.add("seal signed by " + String.join(", ", sealNote.verified()));
            Map<String, String> lines = lines(sealNote.text());
            if (!("report " + report).equals(lines.get("report"))) {
                tampered("the seal document names report " + report + " but the signed seal names "
                        + lines.get("report"));
            }
            forms(lines, files);
            SignedNote checkpointNote = open(document.checkpoint(), trusted, "the checkpoint");
            Checkpoint checkpoint;
            try {
                checkpoint = Checkpoint.parse(checkpointNote.text());
            } catch (IllegalArgumentException e) {
                throw fail(Outcome.TAMPERED, "the checkpoint is signed but not a checkpoint: " + e.getMessage());
            }
            String expected = "checkpoint " + checkpoint.origin() + " " + checkpoint.size() + " "
                    + Base64.getEncoder().encodeToString(checkpoint.rootHash());
            if (!expected.equals(lines.get("checkpoint"))) {
                tampered("the checkpoint given (" + expected + ") is not the one the seal signed ("
                        + lines.get("checkpoint") + ")");
            } else {
                checked.add("checkpoint of " + checkpoint.origin() + " at " + checkpoint.size() + " entries signed by "
                        + String.join(", ", checkpointNote.verified()) + ", the one the seal names");
            }
            evidence(document, checkpoint, lines.getOrDefault("evidence", "(none)"));
            if (later.isPresent()) {
                later(later.get(), checkpoint, trusted);
            }
            return result(worst);
        }

        private void later(byte[] bytes, Checkpoint sealed, List<NoteKeys.Verifier> trusted) throws Stop {
            LaterCheckpoint document;
            try {
                document = LaterCheckpoint.decode(bytes);
            } catch (IOException | RuntimeException e) {
                throw fail(Outcome.BAD_INPUT, "not a later checkpoint (" + e.getMessage() + ")");
            }
            if (!LaterCheckpoint.FORMAT.equals(document.format())) {
                throw fail(Outcome.BAD_INPUT, "not a later checkpoint of format " + LaterCheckpoint.FORMAT);
            }
            SignedNote note = open(document.checkpoint(), trusted, "the later checkpoint");
            Checkpoint checkpoint;
            List<byte[]> proof;
            try {
                checkpoint = Checkpoint.parse(note.text());
                proof = document.proof().stream()
                        .map(Base64.getDecoder()::decode)
                        .toList();
            } catch (IllegalArgumentException e) {
                throw fail(Outcome.TAMPERED, "the later checkpoint is signed but unreadable: " + e.getMessage());
            }
            if (!checkpoint.origin().equals(sealed.origin()) || document.from() != sealed.size()) {
                tampered("the later checkpoint (" + checkpoint.origin() + ", from " + document.from() + ") is not of"
                        + " the log the report was sealed at (" + sealed.origin() + " at " + sealed.size() + ")");
            } else if (!MerkleProofs.verifyConsistency(
                    sealed.size(), checkpoint.size(), sealed.rootHash(), checkpoint.rootHash(), proof)) {
                tampered("the log at the later checkpoint (" + checkpoint.size() + " entries) does not extend the log"
                        + " the report was sealed at (" + sealed.size() + " entries): it was rewritten or cut since,"
                        + " or the proof (" + proof.size() + " hashes) was altered");
            } else {
                checked.add("the log at " + checkpoint.size() + " entries (checkpoint signed by "
                        + String.join(", ", note.verified()) + ", " + String.join(", ", checkpoint.extensions())
                        + ") extends the log the report was sealed at: nothing it cites was rewritten or removed"
                        + " since");
            }
        }

        private SignedNote open(String note, List<NoteKeys.Verifier> trusted, String what) throws Stop {
            try {
                return SignedNote.open(note, trusted);
            } catch (SignedNote.RejectedNoteException e) {
                throw switch (e.reason()) {
                    case FORGED -> fail(Outcome.TAMPERED, what + ": " + e.getMessage());
                    case UNTRUSTED ->
                        fail(
                                Outcome.UNCHECKABLE,
                                what + ": " + e.getMessage() + "; ask for the log's public key"
                                        + " (vigil audit key) and give it with --public-key");
                    case MALFORMED -> fail(Outcome.BAD_INPUT, what + ": " + e.getMessage());
                };
            }
        }

        /** The seal note's lines by their first word ("form html" for forms). */
        private Map<String, String> lines(String text) {
            Map<String, String> lines = new LinkedHashMap<>();
            for (String line : text.split("\n", -1)) {
                String[] words = line.split(" ", -1);
                String name = words[0].equals("form") && words.length > 1 ? "form " + words[1] : words[0];
                lines.put(name, line);
            }
            return lines;
        }

        private void forms(Map<String, String> lines, Map<String, byte[]> files) throws Stop {
            int matched = 0;
            for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
                String signed = lines.get("form " + file.getKey());
                String actual = ReportSeals.sha256(file.getValue());
                if (signed == null) {
                    tampered("the report's " + file.getKey() + " file is not one the seal signed");
                } else if (!signed.equals("form " + file.getKey() + " " + actual)) {
                    tampered("the report's " + file.getKey() + " file was changed after it was sealed: its SHA-256 is "
                            + actual + ", the seal signed " + signed.substring(signed.lastIndexOf(' ') + 1));
                } else {
                    matched++;
                    checked.add("the report's " + file.getKey() + " file is the one signed (SHA-256 " + actual + ")");
                }
            }
            if (files.isEmpty()) {
                throw fail(Outcome.BAD_INPUT, "no report file given to check against the seal");
            }
            if (matched == 0 && worst == Outcome.VERIFIED) {
                throw fail(Outcome.BAD_INPUT, "none of the files given is a form of report " + report);
            }
        }

        private void evidence(SealDocument document, Checkpoint checkpoint, String signedLine) {
            List<Long> indices = document.evidence().stream()
                    .map(SealDocument.Evidence::index)
                    .toList();
            if (!ReportSeals.evidenceLine(indices).equals(signedLine)) {
                tampered("the seal's evidence is not the set that was signed (" + indices.size()
                        + " entries given; signed: " + signedLine + "): entries were removed or swapped");
            }
            int proven = 0;
            for (SealDocument.Evidence item : document.evidence()) {
                String subject = "log entry " + item.index() + " (" + item.key() + ")";
                byte[] entry;
                List<byte[]> proof;
                LogEntry decoded;
                try {
                    entry = Base64.getDecoder().decode(item.entry());
                    proof = item.proof().stream()
                            .map(Base64.getDecoder()::decode)
                            .toList();
                    decoded = entryOf(LogEntry.decodeAll(entry), item.key());
                } catch (IOException | RuntimeException e) {
                    tampered(subject + ": unreadable (" + e.getMessage() + ")");
                    continue;
                }
                if (!MerkleProofs.verifyInclusion(
                        item.index(), checkpoint.size(), MerkleHashes.leaf(entry), proof, checkpoint.rootHash())) {
                    tampered(subject + ": its inclusion proof (" + proof.size() + " hashes) does not lead to the"
                            + " checkpoint's root: the entry or its proof was altered or truncated");
                } else if (decoded.seq() != item.index() || !decoded.key().equals(item.key())) {
                    tampered(subject + ": the entry proven is entry " + decoded.seq() + " of " + decoded.key());
                } else {
                    proven++;
                    kinds.merge(kind(decoded.key(), document.report()), 1, Integer::sum);
                }
            }
            checked.add(proven + " of " + document.evidence().size() + " cited objects proven in the log at "
                    + checkpoint.size() + " entries " + kinds);
        }

        /** The latest entry of {@code key} in a log object (a lone entry, or a bundle), or its first if none is. */
        private static LogEntry entryOf(List<LogEntry> entries, String key) {
            LogEntry found = entries.getFirst();
            for (LogEntry entry : entries) {
                if (entry.key().equals(key)) {
                    found = entry;
                }
            }
            return found;
        }

        private static String kind(String key, String report) {
            if (key.contains("/verdicts/")) {
                return "verdicts";
            }
            if (key.contains("/drills/")) {
                return "drills";
            }
            if (key.startsWith("acks/")) {
                return "acknowledgements";
            }
            return key.contains(report) ? "report" : "other";
        }
    }
}
