package dev.vigil.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.io.ProcessTag;
import dev.vigil.core.store.ByteRange;
import dev.vigil.core.store.ChecksumMismatchException;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectCorruptException;
import dev.vigil.core.store.ObjectInfo;
import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PutRequest;
import dev.vigil.testkit.store.StoredBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the repository holds with encryption on, and every way an encrypted object can fail to open: each named with
 * its object and key id, damage told apart from a key problem, and never a plaintext byte handed out unauthenticated.
 */
class EncryptingObjectStoreTest {

    private static final Instant T0 = Instant.parse("2026-12-07T05:00:00Z");
    private static final byte[] SECRET = "customer-4711 card 4111-1111-1111-1111".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final SecureRandom random = new SecureRandom();
    private ObjectStore raw;
    private Keyring keyring;
    private EncryptingObjectStore store;

    @BeforeEach
    void setUp() throws Exception {
        raw = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC());
        keyring = Keyring.create("k1", T0, random);
        store = encrypting(keyring, "repo-eu-1");
    }

    @AfterEach
    void tearDown() throws Exception {
        raw.close();
    }

    @Test
    void theRepositoryHoldsCiphertextWhoseChecksumCoversTheStoredBytes() throws Exception {
        byte[] plain = payload(100_000);
        ObjectInfo put = store.put(request("partitions/p1/wal/1-100.seg", plain, Map.of("replica", "r1")));

        byte[] stored = readAll(raw, "partitions/p1/wal/1-100.seg");
        assertThat(indexOf(stored, SECRET)).as("no plaintext in the repository").isNegative();
        assertThat(Arrays.copyOf(stored, 8)).isEqualTo("VIGILENC".getBytes(StandardCharsets.US_ASCII));
        ObjectInfo storedInfo = raw.head("partitions/p1/wal/1-100.seg");
        assertThat(storedInfo.checksum())
                .as("the store's checksum is the ciphertext's: re-hashing the bucket needs no key")
                .isEqualTo(Checksum.of(ChecksumAlgorithm.CRC32C, stored));
        assertThat(storedInfo.metadata()).containsEntry(EncryptingObjectStore.KEY_ID, "k1");

        ObjectInfo head = store.head("partitions/p1/wal/1-100.seg");
        assertThat(head.size()).isEqualTo(plain.length).isEqualTo(put.size());
        assertThat(head.checksum()).isEqualTo(Checksum.of(ChecksumAlgorithm.CRC32C, plain));
        assertThat(head.metadata()).containsExactly(Map.entry("replica", "r1"));
        assertThat(readAll(store, "partitions/p1/wal/1-100.seg")).isEqualTo(plain);
    }

    @Test
    void aBodyLargerThanMemoryIsEncryptedThroughAScratchFileThatIsRemoved() throws Exception {
        byte[] plain = payload((int) EncryptingObjectStore.IN_MEMORY_LIMIT + 3 * (1 << 20) + 17);
        Path file = Files.write(dir.resolve("segment"), plain);

        store.putConfirmed(PutRequest.ifAbsent(
                "big", ObjectBody.ofFile(file), Checksum.of(ChecksumAlgorithm.SHA256, plain), Map.of()));

        assertThat(readAll(store, "big")).isEqualTo(plain);
        try (Stream<Path> left = Files.list(dir.resolve("scratch"))) {
            assertThat(left).isEmpty();
        }
        try (ObjectStream part = store.get("big", new ByteRange(9L << 20, 100))) {
            assertThat(part.readAllBytes()).isEqualTo(Arrays.copyOfRange(plain, 9 << 20, (9 << 20) + 100));
        }
    }

    @Test
    void scratchFilesOfADeadProcessAreSweptAndThoseOfLiveOnesKept() throws Exception {
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Path dead = Files.write(
                scratch.resolve("encrypting-1.tmp-" + ended.pid() + "@"
                        + ProcessTag.current().host()),
                new byte[10]);
        Path live = Files.write(
                scratch.resolve("encrypting-2.tmp" + ProcessTag.current().suffix()), new byte[10]);

        assertThat(EncryptingObjectStore.sweepScratch(scratch))
                .extracting(r -> r.path())
                .containsExactly(dead);
        assertThat(dead).doesNotExist();
        assertThat(live).exists();
    }

    @Test
    void objectsWrittenBeforeEncryptionStayReadableAsTheyAre() throws Exception {
        byte[] plain = payload(5_000);
        raw.put(request("reports/old.json", plain, Map.of("kind", "report")));

        assertThat(readAll(store, "reports/old.json")).isEqualTo(plain);
        assertThat(store.head("reports/old.json").checksum()).isEqualTo(Checksum.of(ChecksumAlgorithm.CRC32C, plain));
    }

    @Test
    void aRotatedKeyringWritesUnderTheNewKeyAndStillOpensWhatTheOldOneWrote() throws Exception {
        store.put(request("a", payload(1_000), Map.of()));
        EncryptingObjectStore rotated = encrypting(keyring.rotate("k2", T0.plusSeconds(60), random), "repo-eu-1");

        rotated.put(request("b", payload(2_000), Map.of()));

        assertThat(raw.head("a").metadata()).containsEntry(EncryptingObjectStore.KEY_ID, "k1");
        assertThat(raw.head("b").metadata()).containsEntry(EncryptingObjectStore.KEY_ID, "k2");
        assertThat(readAll(rotated, "a")).isEqualTo(payload(1_000));
        assertThat(readAll(rotated, "b")).isEqualTo(payload(2_000));
    }

    @Test
    void aMissingKeyIsNamedWithTheObjectAndIsNotDamage() throws Exception {
        store.put(request("partitions/p1/verdicts/v.json", payload(300), Map.of()));
        Keyring other = Keyring.create("k9", T0, random);

        assertThatThrownBy(() -> readAll(encrypting(other, "repo-eu-1"), "partitions/p1/verdicts/v.json"))
                .isInstanceOf(KeyUnavailableException.class)
                .hasMessageContaining("partitions/p1/verdicts/v.json")
                .hasMessageContaining("key k1")
                .hasMessageContaining("it holds k9");
    }

    @Test
    void anotherKeyUnderTheSameIdIsAWrongKeyNamedWithTheObject() throws Exception {
        store.put(request("x", payload(300), Map.of()));
        Keyring impostor = Keyring.create("k1", T0, random);

        assertThatThrownBy(() -> readAll(encrypting(impostor, "repo-eu-1"), "x"))
                .isInstanceOf(WrongKeyException.class)
                .hasMessageContaining("x (its stored bytes intact)")
                .hasMessageContaining("key k1");
    }

    @Test
    void anObjectMovedToAnotherKeyOrRepositoryDoesNotOpen() throws Exception {
        byte[] plain = payload(4_000);
        store.put(request("partitions/p1/wal/1-10.seg", plain, Map.of()));
        byte[] stored = readAll(raw, "partitions/p1/wal/1-10.seg");
        Map<String, String> metadata = raw.head("partitions/p1/wal/1-10.seg").metadata();
        raw.put(PutRequest.ifAbsent(
                "partitions/p1/wal/11-20.seg",
                ObjectBody.ofBytes(stored),
                Checksum.of(ChecksumAlgorithm.CRC32C, stored),
                metadata));

        assertThatThrownBy(() -> readAll(store, "partitions/p1/wal/11-20.seg"))
                .isInstanceOf(WrongKeyException.class)
                .hasMessageContaining("partitions/p1/wal/11-20.seg");
        assertThatThrownBy(() -> readAll(encrypting(keyring, "repo-us-2"), "partitions/p1/wal/1-10.seg"))
                .isInstanceOf(WrongKeyException.class)
                .hasMessageContaining("encryption.repository-id");
    }

    @Test
    void aFlippedCiphertextBitIsDamageNamedByTheStoredChecksumNotAKeyProblem() throws Exception {
        byte[] plain = payload(3 * (1 << 20));
        store.put(request("s", plain, Map.of()));
        flipStoredByte("s", 2 * (1 << 20) + 5);

        assertThatThrownBy(() -> readAll(store, "s"))
                .isInstanceOf(ObjectCorruptException.class)
                .hasMessageContaining("s")
                .hasMessageContaining("stored (encrypted) bytes are damaged")
                .hasMessageContaining(
                        Checksum.of(ChecksumAlgorithm.CRC32C, plain).toString());
    }

    @Test
    void aDamagedHeaderIsDamage() throws Exception {
        store.put(request("h", payload(1_000), Map.of()));
        flipStoredByte("h", 9); // the cipher suite

        assertThatThrownBy(() -> readAll(store, "h"))
                .isInstanceOf(ObjectCorruptException.class)
                .hasMessageContaining("h");
    }

    @Test
    void aTruncatedCiphertextStoredWithAMatchingChecksumDoesNotAuthenticate() throws Exception {
        byte[] plain = payload(3 * (1 << 20));
        store.put(request("t", plain, Map.of()));
        byte[] stored = readAll(raw, "t");
        byte[] truncated = Arrays.copyOf(stored, stored.length - (1 << 20) - 16);
        Map<String, String> metadata = raw.head("t").metadata();
        raw.put(PutRequest.overwrite(
                "t", ObjectBody.ofBytes(truncated), Checksum.of(ChecksumAlgorithm.CRC32C, truncated), metadata));

        assertThatThrownBy(() -> readAll(store, "t"))
                .isInstanceOf(ObjectCorruptException.class)
                .hasMessageContaining("do not authenticate under key k1");
    }

    @Test
    void aBodyThatDoesNotMatchItsChecksumIsRefusedAndNothingIsStored() throws Exception {
        byte[] plain = payload(2_000);
        PutRequest lying = PutRequest.ifAbsent(
                "lie", ObjectBody.ofBytes(plain), Checksum.of(ChecksumAlgorithm.CRC32C, payload(1_999)), Map.of());

        assertThatThrownBy(() -> store.put(lying)).isInstanceOf(ChecksumMismatchException.class);
        assertThatThrownBy(() -> raw.head("lie")).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void aKeyCheckReadsOnlyHeadersAndNamesEachStateWithItsKeyId() throws Exception {
        raw.put(request("plain", payload(100), Map.of()));
        store.put(request("opens", payload(100), Map.of()));
        store.put(request("damaged", payload(100), Map.of()));
        flipStoredByte("damaged", 9);
        EncryptingObjectStore rotated = encrypting(keyring.rotate("k2", T0, random), "repo-eu-1");
        rotated.put(request("new", payload(100), Map.of()));
        // Only a k2, and not the k2 that wrapped "new" (every rotation draws fresh key material).
        Keyring.Key anotherK2 = keyring.rotate("k2", T0, random).key("k2").orElseThrow();
        EncryptingObjectStore onlyK2 = encrypting(new Keyring(Keyring.VERSION, "k2", List.of(anotherK2)), "repo-eu-1");

        assertThat(store.checkKey("plain").state()).isEqualTo(KeyCheck.State.PLAINTEXT);
        assertThat(store.checkKey("opens"))
                .extracting(KeyCheck::state, KeyCheck::keyId)
                .containsExactly(KeyCheck.State.OPENS, "k1");
        assertThat(store.checkKey("damaged").state()).isEqualTo(KeyCheck.State.HEADER_DAMAGED);
        assertThat(onlyK2.checkKey("opens"))
                .extracting(KeyCheck::state, KeyCheck::keyId)
                .containsExactly(KeyCheck.State.KEY_MISSING, "k1");
        assertThat(onlyK2.checkKey("new"))
                .as("another key under the id k2 than the one that wrapped it")
                .extracting(KeyCheck::state, KeyCheck::keyId)
                .containsExactly(KeyCheck.State.DOES_NOT_OPEN, "k2");
    }

    private EncryptingObjectStore encrypting(Keyring keys, String repositoryId) {
        return new EncryptingObjectStore(
                raw, new KeyringKeys(keys, dir.resolve("keyring.json"), random), repositoryId, dir.resolve("scratch"));
    }

    private void flipStoredByte(String key, long offset) throws IOException {
        StoredBytes.flip(dir.resolve("repo"), key, offset, 0x01);
    }

    private static PutRequest request(String key, byte[] bytes, Map<String, String> metadata) {
        return PutRequest.ifAbsent(
                key, ObjectBody.ofBytes(bytes), Checksum.of(ChecksumAlgorithm.CRC32C, bytes), metadata);
    }

    private static byte[] readAll(ObjectStore store, String key) throws IOException {
        try (ObjectStream in = store.get(key)) {
            return in.readAllBytes();
        }
    }

    /** Random bytes with the secret planted every 10,000 bytes. */
    private static byte[] payload(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        for (int at = 0; at + SECRET.length <= length; at += 10_000) {
            System.arraycopy(SECRET, 0, bytes, at, SECRET.length);
        }
        return bytes;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
