package dev.vigil.bench;

import dev.vigil.audit.AuditState;
import dev.vigil.audit.Auditor;
import dev.vigil.audit.Checkpointer;
import dev.vigil.audit.LogAppender;
import dev.vigil.audit.LogIntents;
import dev.vigil.audit.LoggingObjectStore;
import dev.vigil.audit.ReportSeals;
import dev.vigil.audit.SealDocument;
import dev.vigil.audit.SealVerifier;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.repository.RepositoryJson;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.ObjectSummary;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.store.S3Settings;
import dev.vigil.store.s3.S3Stores;
import dev.vigil.testkit.s3.S3Server;
import dev.vigil.testkit.s3.S3Servers;
import dev.vigil.tlog.NoteKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What {@code vigil audit} and report seals cost, on S3Proxy (loopback, on disk), each against a baseline measured in
 * the same run: (1) N small objects (default 100,000 of 1 KiB) written through the log, then a full audit, and a
 * resumed one with nothing new, against listing the bucket and GETting every object once; (2) 1 GiB in 16 MiB objects,
 * a full audit against GETting the same bytes and hashing them with SHA-256 (what {@code sha256sum} of a download
 * does); (3) a report sealed over the log of (1), citing 1% of its objects as verdicts: the seal's size, its proofs'
 * length, and the time to verify it offline. Sequential, as the audit runs. Run through {@code bench/run-audit}.
 */
public final class AuditBenchmark {

    private static final String ORIGIN = "bench/audit";

    private AuditBenchmark() {}

    public static void main(String[] args) throws Exception {
        int objects = Integer.parseInt(BenchSupport.option(args, "--objects", "100000"));
        int objectKib = Integer.parseInt(BenchSupport.option(args, "--object-kib", "1"));
        int gib = Integer.parseInt(BenchSupport.option(args, "--gib", "1"));
        Path base = BenchSupport.scratch("vigil-audit-bench");
        try (S3Server server = S3Servers.startS3ProxyOnDisk();
                S3Client s3 = S3Client.builder()
                        .endpointOverride(server.endpoint())
                        .region(Region.of(server.region()))
                        .credentialsProvider(server.credentials())
                        .forcePathStyle(true)
                        .build()) {
            NoteKeys.Signer signer = NoteKeys.generate(ORIGIN, new SecureRandom());
            s3.createBucket(b -> b.bucket("writes"));
            try (ObjectStore raw = open(server, "writes")) {
                writes(raw, base, Math.min(objects, 2000), objectKib);
            }
            s3.createBucket(b -> b.bucket("many"));
            try (ObjectStore raw = open(server, "many")) {
                many(raw, base, signer, objects, objectKib);
            }
            s3.createBucket(b -> b.bucket("large"));
            try (ObjectStore raw = open(server, "large")) {
                large(raw, base, signer, gib);
            }
        } finally {
            BenchSupport.delete(base);
        }
    }

    private static ObjectStore open(S3Server server, String bucket) throws IOException {
        S3Settings settings = S3Settings.defaults(bucket, "vigil").withEndpoint(server.endpoint(), true);
        return S3Stores.open(settings, server.credentials(), Clock.systemUTC());
    }

    private static LoggingObjectStore logged(ObjectStore raw, Path base) {
        return new LoggingObjectStore(
                raw,
                new LogAppender(raw),
                Clock.systemUTC(),
                LoggingObjectStore.thisProcess(),
                new LogIntents(base.resolve("intents")));
    }

    /** The cost of logging a small put: the same objects written raw, then through the log. */
    private static void writes(ObjectStore raw, Path base, int objects, int objectKib) throws Exception {
        LoggingObjectStore logged = logged(raw, base);
        byte[] bytes = new byte[objectKib * 1024];
        new SplittableRandom(5).nextBytes(bytes);
        Checksum checksum = Checksum.of(ChecksumAlgorithm.CRC32C, bytes);
        double[] seconds = new double[2];
        for (int round = 0; round < 2; round++) { // the first round warms both paths up
            for (int path = 0; path < 2; path++) {
                ObjectStore store = path == 0 ? raw : logged;
                long start = System.nanoTime();
                for (int i = 0; i < objects; i++) {
                    store.put(PutRequest.overwrite(
                            String.format(Locale.ROOT, "w/%d/%d/%08d", round, path, i),
                            ObjectBody.ofBytes(bytes),
                            checksum,
                            Map.of()));
                }
                seconds[path] = seconds(start);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%,d puts of %d KiB: raw %.1f s (%.2f ms each), through the log %.1f s (%.2f ms each) = %.2fx the raw"
                        + " rate; the log adds %.2f ms per put%n",
                objects,
                objectKib,
                seconds[0],
                seconds[0] * 1000 / objects,
                seconds[1],
                seconds[1] * 1000 / objects,
                seconds[0] / seconds[1],
                (seconds[1] - seconds[0]) * 1000 / objects);
    }

    private static void many(ObjectStore raw, Path base, NoteKeys.Signer signer, int objects, int objectKib)
            throws Exception {
        LoggingObjectStore logged = logged(raw, base);
        SplittableRandom content = new SplittableRandom(11);
        byte[] bytes = new byte[objectKib * 1024];
        Instant periodStart = Instant.now();
        long write = System.nanoTime();
        for (int i = 0; i < objects; i++) {
            content.nextBytes(bytes);
            String key = i % 100 == 0
                    ? String.format(Locale.ROOT, "partitions/p-%02d/verdicts/%08d/node-a.json", i % 20, i)
                    : String.format(Locale.ROOT, "partitions/p-%02d/wal/%08d.seg", i % 20, i);
            logged.put(PutRequest.ifAbsent(
                    key, ObjectBody.ofBytes(bytes), Checksum.of(ChecksumAlgorithm.CRC32C, bytes), Map.of()));
        }
        double written = seconds(write);
        Checkpointer checkpointer = new Checkpointer(raw, signer, ORIGIN, Clock.systemUTC());
        long sign = System.nanoTime();
        checkpointer.checkpoint();
        double signed = seconds(sign);

        double baseline = readEverything(raw, false);
        long list = System.nanoTime();
        long keys = 0;
        for (Iterator<ObjectSummary> it = raw.listAll("partitions/"); it.hasNext(); it.next()) {
            keys++;
        }
        double listing = seconds(list);
        Auditor auditor = new Auditor(raw, List.of(signer.verifier()), Duration.ofMinutes(15), Clock.systemUTC());
        long cpu = BenchSupport.cpuNanos();
        long start = System.nanoTime();
        Auditor.Report full = auditor.audit();
        double fullSeconds = seconds(start);
        double fullCpu = (BenchSupport.cpuNanos() - cpu) / 1e9;
        Path stateFile = base.resolve("audit-state.json.gz");
        full.state().save(stateFile);
        long resume = System.nanoTime();
        Auditor.Report resumed = auditor.audit(AuditState.load(stateFile));
        double resumedSeconds = seconds(resume);
        if (!full.clean() || !resumed.clean() || resumed.objectsHashed() != 0 || full.objects() != objects) {
            throw new IllegalStateException("audit not clean: " + full.findings() + " / " + resumed.findings());
        }
        System.out.printf(
                Locale.ROOT,
                "%,d objects of %d KiB written through the log in %.1f s (%.0f objects/s); checkpoint of %,d entries"
                        + " signed in %.1f s%n"
                        + "  baseline, list the bucket and GET every object once: %.1f s (%.0f objects/s); listing the"
                        + " %,d keys alone: %.1f s%n"
                        + "  vigil audit, full: %.1f s = %.2fx the baseline (%.1f s per 100,000 objects); CPU %.1f s%n"
                        + "  vigil audit, resumed with nothing new: %.1f s (%.1f s per 100,000 objects); state file %,d"
                        + " KiB%n",
                objects,
                objectKib,
                written,
                objects / written,
                full.entries(),
                signed,
                baseline,
                objects / baseline,
                keys,
                listing,
                fullSeconds,
                fullSeconds / baseline,
                fullSeconds * 100_000 / objects,
                fullCpu,
                resumedSeconds,
                resumedSeconds * 100_000 / objects,
                java.nio.file.Files.size(stateFile) / 1024);
        seal(raw, logged, signer, checkpointer, periodStart);
    }

    private static void seal(
            ObjectStore raw,
            LoggingObjectStore logged,
            NoteKeys.Signer signer,
            Checkpointer checkpointer,
            Instant periodStart)
            throws Exception {
        Map<String, byte[]> forms = new TreeMap<>();
        List<String> keys = new ArrayList<>();
        for (String form : List.of("html", "json", "parquet")) {
            byte[] bytes = ("report form " + form).repeat(1000).getBytes(StandardCharsets.UTF_8);
            String key = "reports/2026-12-07/compliance-bench." + form;
            logged.put(PutRequest.overwrite(
                    key, ObjectBody.ofBytes(bytes), Checksum.of(ChecksumAlgorithm.CRC32C, bytes), Map.of()));
            forms.put(form, bytes);
            keys.add(key);
        }
        long start = System.nanoTime();
        byte[] seal = new ReportSeals(raw, signer, checkpointer).seal("compliance-bench", periodStart, forms, keys);
        double sealSeconds = seconds(start);
        SealDocument document = RepositoryJson.MAPPER.readValue(seal, SealDocument.class);
        int proofHashes = document.evidence().stream()
                .mapToInt(e -> e.proof().size())
                .max()
                .orElse(0);
        double[] verify = new double[7];
        for (int i = 0; i < verify.length; i++) {
            long v = System.nanoTime();
            SealVerifier.Result result = SealVerifier.verify(seal, forms, List.of(signer.verifier()));
            verify[i] = seconds(v);
            if (result.outcome() != SealVerifier.Outcome.VERIFIED) {
                throw new IllegalStateException("seal not verified: " + result.problems());
            }
        }
        Arrays.sort(verify);
        System.out.printf(
                Locale.ROOT,
                "  report seal over that log: %,d pieces of evidence proven, at most %d hashes per proof; seal %,d KiB"
                        + " (%,d bytes per piece of evidence); sealing (reads the whole log) %.1f s; offline"
                        + " verification %.1f ms (median of %d)%n",
                document.evidence().size(),
                proofHashes,
                seal.length / 1024,
                seal.length / Math.max(1, document.evidence().size()),
                sealSeconds,
                verify[verify.length / 2] * 1000,
                verify.length);
    }

    private static void large(ObjectStore raw, Path base, NoteKeys.Signer signer, int gib) throws Exception {
        LoggingObjectStore logged = logged(raw, base);
        int count = gib * 64;
        byte[] bytes = new byte[16 * 1024 * 1024];
        SplittableRandom content = new SplittableRandom(13);
        for (int i = 0; i < count; i++) {
            content.nextBytes(bytes);
            logged.put(PutRequest.ifAbsent(
                    String.format(Locale.ROOT, "partitions/p-00/wal/%08d.seg", i),
                    ObjectBody.ofBytes(bytes),
                    Checksum.of(ChecksumAlgorithm.CRC32C, bytes),
                    Map.of()));
        }
        new Checkpointer(raw, signer, ORIGIN, Clock.systemUTC()).checkpoint();
        double baseline = readEverything(raw, true);
        Auditor auditor = new Auditor(raw, List.of(signer.verifier()), Duration.ofMinutes(15), Clock.systemUTC());
        long cpu = BenchSupport.cpuNanos();
        long start = System.nanoTime();
        Auditor.Report full = auditor.audit();
        double seconds = seconds(start);
        double auditCpu = (BenchSupport.cpuNanos() - cpu) / 1e9;
        if (!full.clean() || full.objects() != count) {
            throw new IllegalStateException("audit not clean: " + full.findings());
        }
        double mib = count * 16.0;
        System.out.printf(
                Locale.ROOT,
                "%d GiB in %d objects of 16 MiB: baseline, GET every object and SHA-256 it: %.1f s (%.0f MiB/s)%n"
                        + "  vigil audit, full: %.1f s (%.0f MiB/s) = %.2fx the baseline (%.1f s per GiB); CPU %.1f s%n",
                gib,
                count,
                baseline,
                mib / baseline,
                seconds,
                mib / seconds,
                seconds / baseline,
                seconds / gib,
                auditCpu);
    }

    /** Lists the bucket and GETs every object once (hashing it with SHA-256 when {@code hash}); seconds taken. */
    private static double readEverything(ObjectStore raw, boolean hash) throws Exception {
        long start = System.nanoTime();
        List<ObjectSummary> listed = new ArrayList<>();
        for (Iterator<ObjectSummary> it = raw.listAll("partitions/"); it.hasNext(); ) {
            listed.add(it.next());
        }
        byte[] buffer = new byte[64 * 1024];
        for (ObjectSummary object : listed) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (ObjectStream in = raw.get(object.key());
                    InputStream body = in) {
                for (int n; (n = body.read(buffer)) >= 0; ) {
                    if (hash) {
                        digest.update(buffer, 0, n);
                    }
                }
            }
        }
        return seconds(start);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
