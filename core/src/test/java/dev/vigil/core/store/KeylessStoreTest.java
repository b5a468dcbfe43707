package dev.vigil.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process without keys reads plaintext objects as before (through the store's own confirmed puts), refuses an
 * encrypted object by name, still re-hashes its stored bytes, and describes it in plaintext terms.
 */
class KeylessStoreTest {

    @TempDir
    Path dir;

    @Test
    void plaintextPassesEncryptedIsRefusedByNameAndStillReHashed() throws Exception {
        AtomicInteger confirmedPuts = new AtomicInteger();
        try (ObjectStore local = ObjectStores.localDirectory(dir, Clock.systemUTC())) {
            ObjectStore counting = new ForwardingObjectStore(local) {
                @Override
                public ObjectInfo putConfirmed(PutRequest request) throws java.io.IOException {
                    confirmedPuts.incrementAndGet();
                    return local.putConfirmed(request);
                }
            };
            ObjectStore keyless = EncryptedObjects.keyless(counting);
            byte[] plain = "{\"plain\":true}".getBytes(StandardCharsets.UTF_8);
            keyless.putConfirmed(put("plain.json", plain, Map.of()));
            byte[] encrypted = "VIGILENC\u0001\u0001 rest of an encrypted object".getBytes(StandardCharsets.ISO_8859_1);
            Checksum plainOfSecret = Checksum.of(ChecksumAlgorithm.CRC32C, new byte[] {1, 2, 3});
            local.put(put(
                    "secret.seg",
                    encrypted,
                    Map.of(
                            EncryptedObjects.KEY_ID_METADATA,
                            "k7",
                            EncryptedObjects.PLAIN_SIZE_METADATA,
                            "3",
                            EncryptedObjects.PLAIN_CHECKSUM_METADATA,
                            plainOfSecret.toString(),
                            "replica",
                            "r1")));

            assertThat(confirmedPuts).as("the delegate's own confirmed put").hasValue(1);
            try (ObjectStream in = keyless.get("plain.json")) {
                assertThat(in.readAllBytes()).isEqualTo(plain);
            }
            assertThatThrownBy(() -> keyless.get("secret.seg"))
                    .isInstanceOf(UndecryptableObjectException.class)
                    .hasMessageContaining("secret.seg is encrypted (key k7)")
                    .hasMessageContaining("no encryption: section");
            assertThatThrownBy(() -> keyless.get("secret.seg", new ByteRange(0, 4)))
                    .isInstanceOf(UndecryptableObjectException.class);
            assertThat(keyless.rehashStored("secret.seg").size()).isEqualTo(encrypted.length);
            // What a node without keys compares with its own copy: the plaintext's size and checksum, not the stored
            // bytes' (else every encrypted segment would look like a divergent copy).
            ObjectInfo head = keyless.head("secret.seg");
            assertThat(head.size()).isEqualTo(3);
            assertThat(head.checksum()).isEqualTo(plainOfSecret);
            assertThat(head.metadata()).containsExactly(Map.entry("replica", "r1"));
        }
    }

    private static PutRequest put(String key, byte[] bytes, Map<String, String> metadata) {
        return PutRequest.ifAbsent(
                key, ObjectBody.ofBytes(bytes), Checksum.of(ChecksumAlgorithm.CRC32C, bytes), metadata);
    }
}
