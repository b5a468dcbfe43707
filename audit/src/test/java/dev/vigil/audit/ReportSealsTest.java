package dev.vigil.audit;

import static dev.vigil.audit.TestObjects.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.repository.RepositoryJson;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.PutRequest;
import dev.vigil.tlog.NoteKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report sealed with the log, then checked as an auditor would, offline, from the seal, the report's files and the
 * public key alone: verified as written; and each way to cheat (a changed report, a forged seal, a truncated proof,
 * evidence removed, another checkpoint, an unknown key, not a seal) named with its outcome.
 */
class ReportSealsTest {

    private static final Instant BEFORE = Instant.parse("2026-12-06T08:00:00Z");
    private static final Instant PERIOD = Instant.parse("2026-12-07T08:00:00Z");
    private static final Instant NOW = Instant.parse("2026-12-07T09:00:00Z");
    private static final String ORIGIN = "vigil-test/repo";
    private static final String JSON_KEY = "reports/2026-12-07/compliance-1.json";
    private static final String HTML_KEY = "reports/2026-12-07/compliance-1.html";

    @TempDir
    Path dir;

    private ObjectStore raw;
    private NoteKeys.Signer signer;
    private ReportSeals seals;
    private final byte[] json = "{\"id\":\"compliance-1\",\"compliant\":true}".getBytes(StandardCharsets.UTF_8);
    private final byte[] html = "<html>compliant</html>".getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void setUp() throws Exception {
        raw = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC());
        LogAppender appender = new LogAppender(raw);
        ObjectStore yesterday = logged(appender, BEFORE);
        ObjectStore today = logged(appender, NOW);
        put(yesterday, "partitions/p-1/verdicts/00000000000000000100/node-a.json", "old verdict");
        put(yesterday, "partitions/p-1/wal/00000000000000000001-00000000000000000100.seg", "records");
        put(today, "partitions/p-1/verdicts/00000000000000000200/node-a.json", "verdict");
        put(today, "partitions/p-1/drills/20261207T085000Z.json", "drill");
        put(yesterday, "acks/p-1/REPLICA_DIVERGED-1/20261206T080000.000Z-a.json", "ack");
        put(today, JSON_KEY, "stored json (maybe encrypted)");
        put(today, HTML_KEY, "stored html (maybe encrypted)");
        signer = NoteKeys.generate(ORIGIN, new SecureRandom());
        seals = new ReportSeals(raw, signer, new Checkpointer(raw, signer, ORIGIN, Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    private ObjectStore logged(LogAppender appender, Instant at) {
        return new LoggingObjectStore(
                raw, appender, Clock.fixed(at, ZoneOffset.UTC), "test/1", new LogIntents(dir.resolve("intents")));
    }

    private byte[] seal() throws Exception {
        return seals.seal("compliance-1", PERIOD, Map.of("json", json, "html", html), List.of(JSON_KEY, HTML_KEY));
    }

    private SealVerifier.Result verify(byte[] seal, Map<String, byte[]> files) {
        return SealVerifier.verify(seal, files, List.of(signer.verifier()));
    }

    @Test
    void aSealedReportVerifiesOfflineWithItsEvidenceProven() throws Exception {
        byte[] seal = seal();

        SealVerifier.Result result = verify(seal, Map.of("json", json, "html", html));

        assertThat(result.problems()).isEmpty();
        assertThat(result.outcome()).isEqualTo(SealVerifier.Outcome.VERIFIED);
        assertThat(result.report()).isEqualTo("compliance-1");
        // The verdict of the period, its drill, every acknowledgement and the report's two objects; not the verdict
        // stored before the period, nor the segment.
        assertThat(result.evidence())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("verdicts", 1, "drills", 1, "acknowledgements", 1, "report", 2));
        assertThat(result.checked())
                .anySatisfy(line -> assertThat(line).startsWith("seal signed by " + ORIGIN))
                .anySatisfy(line -> assertThat(line).contains("checkpoint of " + ORIGIN + " at 7 entries"));
        assertThat(raw.head("log/checkpoints/00000000000000000007").size())
                .as("sealing signs and stores a checkpoint")
                .isPositive();
    }

    /** Evidence logged in a bundle (group commit: one log object, several entries) is proven and audited alike. */
    @Test
    void evidenceLoggedInABundleIsProvenAndAuditsClean() throws Exception {
        String verdict = "partitions/p-2/verdicts/00000000000000000200/node-b.json";
        String drill = "partitions/p-2/drills/20261207T085500Z.json";
        List<LogEntry> bundle = new ArrayList<>();
        for (String key : List.of(verdict, drill)) {
            byte[] body = key.getBytes(StandardCharsets.UTF_8);
            raw.put(PutRequest.overwrite(
                    key, ObjectBody.ofBytes(body), Checksum.of(ChecksumAlgorithm.CRC32C, body), Map.of()));
            bundle.add(LogEntry.put(7, key, LoggingObjectStore.sha256().digest(body), body.length, NOW, "test/2"));
        }
        byte[] bytes = LogEntry.encodeAll(bundle);
        raw.put(PutRequest.ifAbsent(
                LogLayout.entryKey(7),
                ObjectBody.ofBytes(bytes),
                Checksum.of(ChecksumAlgorithm.SHA256, bytes),
                Map.of()));

        SealVerifier.Result result = verify(seal(), Map.of("json", json, "html", html));

        assertThat(result.problems()).isEmpty();
        assertThat(result.outcome()).isEqualTo(SealVerifier.Outcome.VERIFIED);
        assertThat(result.evidence())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("verdicts", 2, "drills", 2, "acknowledgements", 1, "report", 2));
        Auditor.Report audit = new Auditor(raw, List.of(signer.verifier()), Duration.ZERO, Clock.systemUTC()).audit();
        assertThat(audit.findings()).isEmpty();
        assertThat(audit.objects()).isEqualTo(9);
    }

    @Test
    void aReportChangedAfterSealingIsTampered() throws Exception {
        byte[] seal = seal();
        byte[] altered = new String(json, StandardCharsets.UTF_8)
                .replace("true", "false")
                .getBytes(StandardCharsets.UTF_8);

        SealVerifier.Result result = verify(seal, Map.of("json", altered));

        assertThat(result.outcome()).isEqualTo(SealVerifier.Outcome.TAMPERED);
        assertThat(result.problems())
                .singleElement()
                .asString()
                .contains("the report's json file was changed after it was sealed")
                .contains(ReportSeals.sha256(altered));
    }

    @Test
    void aForgedSealATruncatedProofAndRemovedEvidenceAreTampered() throws Exception {
        SealDocument document = SealDocument.decode(seal());

        SealDocument forged = new SealDocument(
                document.format(),
                document.report(),
                document.seal().replace("report compliance-1", "report compliance-2"),
                document.checkpoint(),
                document.evidence());
        SealVerifier.Result result = verify(forged.encode(), Map.of("json", json));
        assertThat(result.outcome()).isEqualTo(SealVerifier.Outcome.TAMPERED);
        assertThat(result.problems()).singleElement().asString().contains("the seal: the signature of " + ORIGIN);

        List<SealDocument.Evidence> truncated = new ArrayList<>(document.evidence());
        SealDocument.Evidence first = truncated.getFirst();
        truncated.set(
                0,
                new SealDocument.Evidence(
                        first.index(),
                        first.key(),
                        first.entry(),
                        first.proof().subList(0, first.proof().size() - 1)));
        result = verify(with(document, truncated).encode(), Map.of("json", json));
        assertThat(result.outcome()).isEqualTo(SealVerifier.Outcome.TAMPERED);
        assertThat(result.problems())
                .singleElement()
                .asString()
                .contains("log entry " + first.index() + " (" + first.key() + ")", "does not lead to the checkpoint");

        result = verify(
                with(
                                document,
                                document.evidence()
                                        .subList(1, document.evidence().size()))
                        .encode(),
                Map.of("json", json));
        assertThat(result.outcome()).isEqualTo(SealVerifier.Outcome.TAMPERED);
        assertThat(result.problems()).singleElement().asString().contains("not the set that was signed");
    }

    @Test
    void anotherCheckpointThanTheOneSealedIsTampered() throws Exception {
        SealDocument document = SealDocument.decode(seal());
        put(logged(new LogAppender(raw), NOW), "partitions/p-1/wal/later.seg", "later");
        String later = new Checkpointer(raw, signer, ORIGIN, Clock.systemUTC())
                .signed(LogSnapshot.read(raw))
                .note();

        SealDocument swapped =
                new SealDocument(document.format(), document.report(), document.seal(), later, document.evidence());
        SealVerifier.Result result = verify(swapped.encode(), Map.of("json", json));

        assertThat(result.outcome()).isEqualTo(SealVerifier.Outcome.TAMPERED);
        assertThat(result.problems()).first().asString().contains("is not the one the seal signed");
    }

    @Test
    void anUnknownKeyProvesNothingAndGarbageIsBadInput() throws Exception {
        byte[] seal = seal();
        NoteKeys.Verifier stranger =
                NoteKeys.generate(ORIGIN, new SecureRandom()).verifier();

        SealVerifier.Result unknown = SealVerifier.verify(seal, Map.of("json", json), List.of(stranger));
        assertThat(unknown.outcome()).isEqualTo(SealVerifier.Outcome.UNCHECKABLE);
        assertThat(unknown.problems()).singleElement().asString().contains("no trusted key signed", "--public-key");

        assertThat(verify("{\"not\":\"a seal\"}".getBytes(StandardCharsets.UTF_8), Map.of("json", json))
                        .outcome())
                .isEqualTo(SealVerifier.Outcome.BAD_INPUT);
        assertThat(verify(seal, Map.of()).outcome()).isEqualTo(SealVerifier.Outcome.BAD_INPUT);
        assertThat(RepositoryJson.MAPPER.readTree(seal).get("format").asText()).isEqualTo(SealDocument.FORMAT);
    }

    @Test
    void aLaterCheckpointProvesTheSealedLogWasOnlyExtendedAndARewriteSinceIsTampered() throws Exception {
        byte[] seal = seal();
        assertThat(LaterCheckpoint.sealedSize(seal)).isEqualTo(7);
        put(logged(new LogAppender(raw), NOW), "partitions/p-1/wal/later.seg", "later records");
        Checkpointer checkpointer = new Checkpointer(raw, signer, ORIGIN, Clock.systemUTC());

        byte[] later = LaterCheckpoint.prove(raw, checkpointer, LaterCheckpoint.sealedSize(seal));
        SealVerifier.Result extended =
                SealVerifier.verify(seal, Map.of("json", json), List.of(signer.verifier()), Optional.of(later));
        assertThat(extended.problems()).isEmpty();
        assertThat(extended.outcome()).isEqualTo(SealVerifier.Outcome.VERIFIED);
        assertThat(extended.checked())
                .last()
                .asString()
                .startsWith("the log at 8 entries")
                .contains("extends the log the report was sealed at");

        LaterCheckpoint document = LaterCheckpoint.decode(later);
        LaterCheckpoint cut = new LaterCheckpoint(
                document.format(),
                document.from(),
                document.checkpoint(),
                document.proof().subList(0, document.proof().size() - 1));
        SealVerifier.Result truncated = SealVerifier.verify(
                seal,
                Map.of("json", json),
                List.of(signer.verifier()),
                Optional.of(RepositoryJson.MAPPER.writeValueAsBytes(cut)));
        assertThat(truncated.outcome()).isEqualTo(SealVerifier.Outcome.TAMPERED);
        assertThat(truncated.problems()).singleElement().asString().contains("does not extend the log");

        // The evidence rewritten in the log after the seal: the next later checkpoint cannot extend the sealed one.
        byte[] entry = LogReader.read(raw, LogLayout.entryKey(2));
        LogEntry verdict = LogEntry.decode(entry);
        LogEntry rewritten = new LogEntry(
                verdict.seq(),
                verdict.op(),
                verdict.key(),
                ReportSeals.sha256("another verdict".getBytes(StandardCharsets.UTF_8)),
                verdict.size(),
                verdict.time(),
                verdict.writer());
        byte[] bytes = rewritten.encode();
        raw.put(PutRequest.overwrite(
                LogLayout.entryKey(2),
                ObjectBody.ofBytes(bytes),
                Checksum.of(ChecksumAlgorithm.CRC32C, bytes),
                Map.of()));
        SealVerifier.Result forked = SealVerifier.verify(
                seal,
                Map.of("json", json),
                List.of(signer.verifier()),
                Optional.of(LaterCheckpoint.prove(raw, checkpointer, 7)));
        assertThat(forked.outcome()).isEqualTo(SealVerifier.Outcome.TAMPERED);
        assertThat(forked.problems()).singleElement().asString().contains("it was rewritten or cut since");

        assertThatThrownBy(() -> LaterCheckpoint.prove(raw, checkpointer, 1_000))
                .as("a log shorter than the sealed checkpoint: entries were removed")
                .hasMessageContaining("fewer than the 1000 of the checkpoint to extend");
        assertThatThrownBy(() -> LaterCheckpoint.sealedSize("{\"format\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(java.io.IOException.class);
        assertThat(SealVerifier.verify(
                                seal,
                                Map.of("json", json),
                                List.of(signer.verifier()),
                                Optional.of("no".getBytes(StandardCharsets.UTF_8)))
                        .outcome())
                .isEqualTo(SealVerifier.Outcome.BAD_INPUT);
    }

    @Test
    void aReportObjectOutsideTheLogIsNotSealed() throws Exception {
        put(raw, "reports/2026-12-07/compliance-2.json", "stored behind the log's back");

        assertThatThrownBy(() -> seals.seal(
                        "compliance-2", PERIOD, Map.of("json", json), List.of("reports/2026-12-07/compliance-2.json")))
                .hasMessageContaining("reports/2026-12-07/compliance-2.json is not in the log");
    }

    private static SealDocument with(SealDocument document, List<SealDocument.Evidence> evidence) {
        return new SealDocument(document.format(), document.report(), document.seal(), document.checkpoint(), evidence);
    }
}
