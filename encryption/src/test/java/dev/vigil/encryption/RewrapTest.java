package dev.vigil.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ByteRange;
import dev.vigil.core.store.ForwardingObjectStore;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectInfo;
import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PutRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil keys rewrap}'s engine: after a rotation every object ends under the active key with its content and
 * metadata unchanged, the old key can then go, a second run does nothing; only what was selected is touched; and
 * whatever a writer or retention does to an object while the rewrap runs, nothing is lost, rolled back, brought back
 * or left unreadable.
 */
class RewrapTest {

    private static final Instant T0 = Instant.parse("2026-12-07T08:00:00Z");
    private static final Rewrap.Progress QUIET = (key, action, bytes) -> {};

    @TempDir
    Path dir;

    private final SecureRandom random = new SecureRandom();

    @Test
    void afterARotationEveryObjectEndsUnderTheActiveKeyUnchangedAndTheOldKeyCanGo() throws Exception {
        ObjectStore raw = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC());
        Keyring first = Keyring.create("k1", T0, random);
        EncryptingObjectStore before = encrypting(raw, first, dir);
        Map<String, byte[]> contents = new HashMap<>();
        contents.put("partitions/p-1/wal/a.seg", bytes(9 * 1024 * 1024 + 17, 1)); // through a scratch file
        contents.put("partitions/p-1/verdicts/v.json", bytes(3_000, 2));
        contents.put("reports/2026-12-07/r.json", bytes(0, 3));
        for (Map.Entry<String, byte[]> e : contents.entrySet()) {
            before.put(put(e.getKey(), e.getValue(), Map.of("records", "100")));
        }

        Keyring rotated = first.rotate("k2", T0.plusSeconds(60), random);
        EncryptingObjectStore after = encrypting(raw, rotated, dir);
        Rewrap.Outcome outcome =
                new Rewrap(after, bytes -> {}).run(new Rewrap.Options(Optional.empty(), false, false), QUIET);

        assertThat(outcome.rewrapped()).isEqualTo(3);
        assertThat(outcome.complete()).isTrue();
        assertThat(outcome.bytesWritten()).isPositive();
        assertThat(outcome.bytesRead()).isEqualTo(storedBytes(raw));
        Keyring onlyNew =
                new Keyring(Keyring.VERSION, "k2", List.of(rotated.key("k2").orElseThrow()));
        EncryptingObjectStore withoutOldKey = encrypting(raw, onlyNew, dir);
        for (Map.Entry<String, byte[]> e : contents.entrySet()) {
            assertThat(withoutOldKey.checkKey(e.getKey()).keyId()).isEqualTo("k2");
            assertThat(read(withoutOldKey, e.getKey())).isEqualTo(e.getValue());
            assertThat(withoutOldKey.head(e.getKey()).metadata()).isEqualTo(Map.of("records", "100"));
        }

        Rewrap.Outcome again =
                new Rewrap(after, bytes -> {}).run(new Rewrap.Options(Optional.empty(), false, false), QUIET);
        assertThat(again.rewrapped()).as("a second run finds nothing to do").isZero();
        assertThat(again.alreadyActive()).isEqualTo(3);
        assertThat(again.bytesRead()).isZero();
    }

    @Test
    void onlyTheSelectedKeyIsRewrappedAndPlaintextOnlyWhenAsked() throws Exception {
        ObjectStore raw = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC());
        raw.put(put("old/plain.json", bytes(500, 4), Map.of()));
        Keyring k1 = Keyring.create("k1", T0, random);
        encrypting(raw, k1, dir).put(put("a/under-k1", bytes(500, 5), Map.of()));
        Keyring k2 = k1.rotate("k2", T0.plusSeconds(1), random);
        encrypting(raw, k2, dir).put(put("b/under-k2", bytes(500, 6), Map.of()));
        Keyring k3 = k2.rotate("k3", T0.plusSeconds(2), random);
        EncryptingObjectStore store = encrypting(raw, k3, dir);

        Rewrap.Outcome dry = new Rewrap(store, b -> {}).run(new Rewrap.Options(Optional.of("k1"), false, true), QUIET);
        assertThat(dry.rewrapped()).isEqualTo(1);
        assertThat(store.checkKey("a/under-k1").keyId())
                .as("a dry run changes nothing")
                .isEqualTo("k1");

        Rewrap.Outcome fromK1 =
                new Rewrap(store, b -> {}).run(new Rewrap.Options(Optional.of("k1"), false, false), QUIET);
        assertThat(fromK1.rewrapped()).isEqualTo(1);
        assertThat(fromK1.notSelected()).isEqualTo(1);
        assertThat(fromK1.plaintextLeft()).isEqualTo(1);
        assertThat(store.checkKey("a/under-k1").keyId()).isEqualTo("k3");
        assertThat(store.checkKey("b/under-k2").keyId()).isEqualTo("k2");
        assertThat(store.checkKey("old/plain.json").state()).isEqualTo(KeyCheck.State.PLAINTEXT);

        Rewrap.Outcome all = new Rewrap(store, b -> {}).run(new Rewrap.Options(Optional.empty(), true, false), QUIET);
        assertThat(all.rewrapped()).isEqualTo(2);
        assertThat(store.checkKey("old/plain.json").keyId()).isEqualTo("k3");
        assertThat(read(store, "old/plain.json")).isEqualTo(bytes(500, 4));
    }

    /** What another process does to one object while the rewrap runs, and when. */
    enum Interference {
        NONE,
        DELETE_BEFORE_HEADER,
        DELETE_BEFORE_PUT,
        OVERWRITE_BEFORE_HEADER,
        OVERWRITE_BEFORE_PUT
    }

    /**
     * Retention and writers interleaved with a rewrap at the two moments that matter (before it reads an object's
     * header, and just before its replacement lands): a deleted object stays deleted, a writer's newer version is kept,
     * everything else is rewrapped unchanged, and afterwards every object opens without the old key.
     */
    @Property(tries = 40)
    void retentionAndWritersDuringARewrapLoseNothingAndBringNothingBack(
            @ForAll @IntRange(min = 1, max = 12) int objects, @ForAll long seed) throws Exception {
        Path root = Files.createTempDirectory("rewrap-property-");
        try {
            SplittableRandom choices = new SplittableRandom(seed);
            ObjectStore raw = ObjectStores.localDirectory(root.resolve("repo"), Clock.systemUTC());
            Keyring k1 = Keyring.create("k1", T0, random);
            EncryptingObjectStore before = encrypting(raw, k1, root);
            Keyring k2 = k1.rotate("k2", T0.plusSeconds(1), random);
            EncryptingObjectStore writer = encrypting(raw, k2, root);
            Map<String, Interference> plan = new HashMap<>();
            Map<String, byte[]> expected = new HashMap<>();
            for (int i = 0; i < objects; i++) {
                String key = "partitions/p/wal/" + String.format("%03d", i) + ".seg";
                byte[] content = bytes(200 + choices.nextInt(5_000), choices.nextLong());
                before.put(put(key, content, Map.of("n", Integer.toString(i))));
                Interference interference = Interference.values()[choices.nextInt(Interference.values().length)];
                plan.put(key, interference);
                switch (interference) {
                    case NONE -> expected.put(key, content);
                    case OVERWRITE_BEFORE_HEADER, OVERWRITE_BEFORE_PUT -> expected.put(key, newer(key));
                    case DELETE_BEFORE_HEADER, DELETE_BEFORE_PUT -> {
                        // expected to stay deleted
                    }
                }
            }
            Interfering interfering = new Interfering(raw, writer, plan);
            EncryptingObjectStore rewrapping = encrypting(interfering, k2, root);

            Rewrap.Outcome outcome =
                    new Rewrap(rewrapping, b -> {}).run(new Rewrap.Options(Optional.empty(), false, false), QUIET);

            Keyring onlyK2 =
                    new Keyring(Keyring.VERSION, "k2", List.of(k2.key("k2").orElseThrow()));
            EncryptingObjectStore withoutK1 = encrypting(raw, onlyK2, root);
            List<String> stored = new ArrayList<>();
            raw.listAll("").forEachRemaining(o -> stored.add(o.key()));
            assertThat(stored).containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (Map.Entry<String, byte[]> e : expected.entrySet()) {
                assertThat(read(withoutK1, e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
            }
            long touched = plan.values().stream()
                    .filter(i -> i == Interference.DELETE_BEFORE_HEADER
                            || i == Interference.DELETE_BEFORE_PUT
                            || i == Interference.OVERWRITE_BEFORE_PUT)
                    .count();
            assertThat(outcome.changed()).hasSize((int) touched);
            assertThat(outcome.rewrapped())
                    .isEqualTo(plan.values().stream()
                            .filter(i -> i == Interference.NONE)
                            .count());
            Rewrap.Outcome again =
                    new Rewrap(withoutK1, b -> {}).run(new Rewrap.Options(Optional.empty(), false, false), QUIET);
            assertThat(again.complete()).isTrue();
            assertThat(again.rewrapped()).isZero();
        } finally {
            deleteRecursively(root);
        }
    }

    /** A store beneath the rewrap that lets another process act on an object at the planned moment, once. */
    private static final class Interfering extends ForwardingObjectStore {
        private final ObjectStore raw;
        private final EncryptingObjectStore writer;
        private final Map<String, Interference> plan;

        Interfering(ObjectStore raw, EncryptingObjectStore writer, Map<String, Interference> plan) {
            super(raw);
            this.raw = raw;
            this.writer = writer;
            this.plan = new HashMap<>(plan);
        }

        @Override
        public ObjectStream get(String key, ByteRange range) throws IOException {
            act(key, Interference.DELETE_BEFORE_HEADER, Interference.OVERWRITE_BEFORE_HEADER);
            return super.get(key, range);
        }

        @Override
        public ObjectInfo put(PutRequest request) throws IOException {
            if (request.ifMatch().isPresent()) {
                act(request.key(), Interference.DELETE_BEFORE_PUT, Interference.OVERWRITE_BEFORE_PUT);
            }
            return super.put(request);
        }

        private void act(String key, Interference delete, Interference overwrite) throws IOException {
            Interference planned = plan.getOrDefault(key, Interference.NONE);
            if (planned == delete) {
                plan.remove(key);
                raw.delete(key);
            } else if (planned == overwrite) {
                plan.remove(key);
                writer.put(PutRequest.overwrite(
                        key, ObjectBody.ofBytes(newer(key)), crc(newer(key)), Map.of("by", "writer")));
            }
        }

        @Override
        public void close() {
            // the test closes nothing: local directory stores hold no resources
        }
    }

    private static byte[] newer(String key) {
        return ("newer version of " + key).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private EncryptingObjectStore encrypting(ObjectStore raw, Keyring keyring, Path base) {
        return new EncryptingObjectStore(
                raw, new KeyringKeys(keyring, base.resolve("keyring.json"), random), "repo-1", base.resolve("scratch"));
    }

    private static PutRequest put(String key, byte[] content, Map<String, String> metadata) {
        return PutRequest.ifAbsent(key, ObjectBody.ofBytes(content), crc(content), metadata);
    }

    private static Checksum crc(byte[] content) {
        return Checksum.of(ChecksumAlgorithm.CRC32C, content);
    }

    private static byte[] bytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] read(ObjectStore store, String key) throws IOException {
        try (ObjectStream in = store.get(key)) {
            return in.readAllBytes();
        } catch (ObjectNotFoundException e) {
            throw new AssertionError(key + " is gone", e);
        }
    }

    private static long storedBytes(ObjectStore raw) throws IOException {
        long[] total = {0};
        raw.listAll("").forEachRemaining(o -> total[0] += o.size());
        return total[0];
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
