package dev.vigil.bench;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.ObjectSummary;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.store.S3Settings;
import dev.vigil.encryption.EncryptingObjectStore;
import dev.vigil.encryption.KeyAudit;
import dev.vigil.encryption.Keyring;
import dev.vigil.encryption.KeyringKeys;
import dev.vigil.encryption.Rewrap;
import dev.vigil.store.s3.S3Stores;
import dev.vigil.testkit.s3.S3Server;
import dev.vigil.testkit.s3.S3Servers;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What {@code vigil keys rewrap} costs: N encrypted objects on S3Proxy (loopback, on disk) under key k1, a rotation to
 * k2, then the rewrap, against the same run's baseline of reading every stored object back and writing it again
 * unchanged through the same S3 client (the transfer a rewrap cannot avoid: it re-uploads every body). Also the
 * key check of the same objects (what {@code schedule.key-check} costs). Sequential, one object at a time, as the
 * rewrap runs. Run through {@code bench/run-rewrap}.
 */
public final class RewrapBenchmark {

    private RewrapBenchmark() {}

    public static void main(String[] args) throws Exception {
        int objects = Integer.parseInt(BenchSupport.option(args, "--objects", "10000"));
        int objectKib = Integer.parseInt(BenchSupport.option(args, "--object-kib", "16"));
        Path base = BenchSupport.scratch("vigil-rewrap-bench");
        try (S3Server server = S3Servers.startS3ProxyOnDisk();
                S3Client s3 = S3Client.builder()
                        .endpointOverride(server.endpoint())
                        .region(Region.of(server.region()))
                        .credentialsProvider(server.credentials())
                        .forcePathStyle(true)
                        .build()) {
            s3.createBucket(b -> b.bucket("rewrap"));
            S3Settings settings = S3Settings.defaults("rewrap", "vigil").withEndpoint(server.endpoint(), true);
            try (ObjectStore raw = S3Stores.open(settings, server.credentials(), Clock.systemUTC())) {
                SecureRandom random = new SecureRandom();
                Keyring k1 = Keyring.create("k1", Instant.now(), random);
                EncryptingObjectStore before = encrypting(raw, k1, base, random);
                SplittableRandom content = new SplittableRandom(7);
                byte[] bytes = new byte[objectKib * 1024];
                long write = System.nanoTime();
                for (int i = 0; i < objects; i++) {
                    content.nextBytes(bytes);
                    before.put(PutRequest.ifAbsent(
                            String.format(Locale.ROOT, "partitions/p-%02d/wal/%08d.seg", i % 20, i),
                            ObjectBody.ofBytes(bytes),
                            Checksum.of(ChecksumAlgorithm.CRC32C, bytes),
                            Map.of()));
                }
                double written = seconds(write);

                double baseline = copyInPlace(raw);
                Keyring k2 = k1.rotate("k2", Instant.now(), random);
                EncryptingObjectStore after = encrypting(raw, k2, base, random);
                long cpu = BenchSupport.cpuNanos();
                long start = System.nanoTime();
                Rewrap.Outcome outcome = new Rewrap(after, b -> {})
                        .run(new Rewrap.Options(Optional.empty(), false, false), (key, action, size) -> {});
                double rewrap = seconds(start);
                double rewrapCpu = (BenchSupport.cpuNanos() - cpu) / 1e9;
                long check = System.nanoTime();
                KeyAudit.Result audit = KeyAudit.run(after);
                double keyCheck = seconds(check);
                if (!outcome.complete()
                        || outcome.rewrapped() != objects
                        || audit.byKey().getOrDefault("k2", 0) != objects) {
                    throw new IllegalStateException("rewrap incomplete: " + outcome + " / " + audit);
                }
                double mib = outcome.bytesRead() / 1048576.0;
                System.out.printf(
                        Locale.ROOT,
                        "%,d objects of %d KiB (%.1f MiB stored), written encrypted in %.1f s%n"
                                + "  baseline, every stored object read and written back unchanged: %.1f s (%.0f objects/s,"
                                + " %.1f MiB/s)%n"
                                + "  vigil keys rewrap: %.1f s (%.0f objects/s, %.1f MiB/s) = %.2fx the baseline's time;"
                                + " %.1f MiB read, %.1f MiB sent; CPU %.1f s%n"
                                + "  key check of the same objects (one ranged GET each): %.1f s (%.0f objects/s)%n",
                        objects,
                        objectKib,
                        mib,
                        written,
                        baseline,
                        objects / baseline,
                        mib / baseline,
                        rewrap,
                        objects / rewrap,
                        mib / rewrap,
                        rewrap / baseline,
                        mib,
                        outcome.bytesWritten() / 1048576.0,
                        rewrapCpu,
                        keyCheck,
                        objects / keyCheck);
            }
        } finally {
            BenchSupport.delete(base);
        }
    }

    /** Every stored object read back and written again unchanged, through the store beneath encryption. */
    private static double copyInPlace(ObjectStore raw) throws IOException {
        List<ObjectSummary> listed = new ArrayList<>();
        for (Iterator<ObjectSummary> it = raw.listAll(""); it.hasNext(); ) {
            listed.add(it.next());
        }
        long start = System.nanoTime();
        for (ObjectSummary object : listed) {
            byte[] stored;
            Map<String, String> metadata;
            Checksum checksum;
            try (ObjectStream in = raw.get(object.key())) {
                stored = in.readAllBytes();
                metadata = in.info().metadata();
                checksum = in.info().checksum();
            }
            raw.put(PutRequest.replacing(
                    object.key(), ObjectBody.ofBytes(stored), checksum, metadata, object.version()));
        }
        return seconds(start);
    }

    private static EncryptingObjectStore encrypting(ObjectStore raw, Keyring keyring, Path base, SecureRandom random) {
        return new EncryptingObjectStore(
                raw, new KeyringKeys(keyring, base.resolve("keyring.json"), random), "bench", base.resolve("scratch"));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
