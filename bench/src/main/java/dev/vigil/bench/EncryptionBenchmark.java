package dev.vigil.bench;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.checksum.Hasher;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.store.S3Settings;
import dev.vigil.encryption.EncryptingObjectStore;
import dev.vigil.encryption.Keyring;
import dev.vigil.encryption.KeyringKeys;
import dev.vigil.store.s3.S3Stores;
import dev.vigil.testkit.s3.S3Server;
import dev.vigil.testkit.s3.S3Servers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What client-side encryption costs: the same files put to and read back from S3Proxy on loopback, plain and through
 * the encrypting store, in the same run, plus {@code sha256sum} of the same bytes as the CPU baseline. Sequential, one
 * object at a time (the archiver's concurrency multiplies both sides alike). Run through {@code bench/run-encryption}.
 */
public final class EncryptionBenchmark {

    private static final int FILE_MIB = 64;

    private EncryptionBenchmark() {}

    public static void main(String[] args) throws Exception {
        long totalMib = Long.parseLong(BenchSupport.option(args, "--total-mib", "512"));
        int rounds = Integer.parseInt(BenchSupport.option(args, "--rounds", "2"));
        Path base = BenchSupport.scratch("vigil-encryption-bench");
        try (S3Server server = S3Servers.startS3ProxyOnDisk();
                S3Client s3 = S3Client.builder()
                        .endpointOverride(server.endpoint())
                        .region(Region.of(server.region()))
                        .credentialsProvider(server.credentials())
                        .forcePathStyle(true)
                        .build()) {
            s3.createBucket(b -> b.bucket("encryption"));
            S3Settings settings = S3Settings.defaults("encryption", "vigil").withEndpoint(server.endpoint(), true);
            List<Path> files = generate(base.resolve("files"), totalMib);
            double sha256sum = sha256sum(files);
            try (ObjectStore plain = S3Stores.open(settings, server.credentials(), Clock.systemUTC())) {
                SecureRandom random = new SecureRandom();
                Keyring keyring = Keyring.create("bench", Instant.now(), random);
                ObjectStore encrypted = new EncryptingObjectStore(
                        plain,
                        new KeyringKeys(keyring, base.resolve("keyring.json"), random),
                        "bench",
                        base.resolve("scratch"));
                for (int round = 1; round <= rounds; round++) {
                    double putPlain = put(plain, files, "plain-" + round);
                    double putEncrypted = put(encrypted, files, "encrypted-" + round);
                    double getPlain = get(plain, files, "plain-" + round);
                    double getEncrypted = get(encrypted, files, "encrypted-" + round);
                    System.out.printf(
                            Locale.ROOT,
                            "round %d, %d MiB in %d objects: put plain %.2f s, encrypted %.2f s (%.2fx);"
                                    + " get plain %.2f s, decrypted %.2f s (%.2fx); sha256sum %.2f s%n",
                            round,
                            totalMib,
                            files.size(),
                            putPlain,
                            putEncrypted,
                            putEncrypted / putPlain,
                            getPlain,
                            getEncrypted,
                            getEncrypted / getPlain,
                            sha256sum);
                    System.out.printf(
                            Locale.ROOT,
                            "  throughput: put plain %.0f MiB/s, encrypted %.0f MiB/s; get plain %.0f MiB/s,"
                                    + " decrypted %.0f MiB/s; sha256sum %.0f MiB/s%n",
                            totalMib / putPlain,
                            totalMib / putEncrypted,
                            totalMib / getPlain,
                            totalMib / getEncrypted,
                            totalMib / sha256sum);
                }
            }
        } finally {
            BenchSupport.delete(base);
        }
    }

    private static List<Path> generate(Path dir, long totalMib) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(42);
        byte[] block = new byte[1 << 20];
        for (int i = 0; i * (long) FILE_MIB < totalMib; i++) {
            Path file = dir.resolve(String.format(Locale.ROOT, "object-%03d", i));
            try (OutputStream out = Files.newOutputStream(file)) {
                for (int mib = 0; mib < Math.min(FILE_MIB, totalMib - (long) i * FILE_MIB); mib++) {
                    for (int b = 0; b < block.length; b += 8) {
                        long v = random.nextLong();
                        for (int k = 0; k < 8; k++) {
                            block[b + k] = (byte) (v >>> (8 * k));
                        }
                    }
                    out.write(block);
                }
            }
            files.add(file);
        }
        return files;
    }

    private static double put(ObjectStore store, List<Path> files, String prefix) throws IOException {
        List<Checksum> sums = new ArrayList<>();
        for (Path file : files) {
            sums.add(checksum(file));
        }
        long start = System.nanoTime();
        for (int i = 0; i < files.size(); i++) {
            store.putConfirmed(PutRequest.ifAbsent(
                    prefix + "/" + files.get(i).getFileName(), ObjectBody.ofFile(files.get(i)), sums.get(i), Map.of()));
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double get(ObjectStore store, List<Path> files, String prefix) throws IOException {
        long start = System.nanoTime();
        byte[] buffer = new byte[256 * 1024];
        for (Path file : files) {
            try (ObjectStream in = store.get(prefix + "/" + file.getFileName())) {
                while (in.read(buffer) >= 0) {
                    // read to the end: the stream verifies the checksum there
                }
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static Checksum checksum(Path file) throws IOException {
        Hasher hasher = ChecksumAlgorithm.SHA256.newHasher();
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                hasher.update(buffer, 0, n);
            }
        }
        return hasher.finish();
    }

    private static double sha256sum(List<Path> files) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sha256sum"));
        files.forEach(f -> command.add(f.toString()));
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (process.waitFor() != 0) {
            throw new IOException("sha256sum failed");
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
