package dev.vigil.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStoreException;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.store.S3Integrity;
import dev.vigil.core.store.S3ServerSideEncryption;
import dev.vigil.core.store.S3Settings;
import dev.vigil.store.s3.S3Stores;
import dev.vigil.testkit.fault.FaultProxy;
import dev.vigil.testkit.s3.MotoS3Server;
import dev.vigil.testkit.s3.S3Server;
import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.S3Servers;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Server-side encryption asked of S3 on every put, single and multipart, and checked in the answer: moto applies
 * SSE-S3 and SSE-KMS (what a HEAD then shows); S3Proxy ignores the request, and the put is refused, the object deleted.
 */
class S3ServerSideEncryptionTest {

    private static final int MIB = 1 << 20;

    @Test
    void motoAppliesSseS3AndSseKmsToSingleAndMultipartPuts() throws Exception {
        try (MotoS3Server moto = MotoS3Server.startRequired();
                S3Client s3 = client(moto);
                software.amazon.awssdk.services.kms.KmsClient kms =
                        software.amazon.awssdk.services.kms.KmsClient.builder()
                                .endpointOverride(moto.endpoint())
                                .region(Region.of(moto.region()))
                                .credentialsProvider(moto.credentials())
                                .build()) {
            s3.createBucket(b -> b.bucket("sse"));
            String key = kms.createKey(b -> b.description("sse")).keyMetadata().arn();
            for (S3ServerSideEncryption sse : new S3ServerSideEncryption[] {
                new S3ServerSideEncryption(S3ServerSideEncryption.Mode.SSE_S3, Optional.empty(), false),
                new S3ServerSideEncryption(S3ServerSideEncryption.Mode.SSE_KMS, Optional.of(key), true)
            }) {
                try (ObjectStore store = S3Stores.open(settings(moto, sse), moto.credentials(), Clock.systemUTC())) {
                    String prefix = sse.mode().name();
                    byte[] small = bytes(1000);
                    byte[] large = bytes(6 * MIB + 7);
                    store.putConfirmed(put(prefix + "/small", small));
                    store.putConfirmed(put(prefix + "/large", large));

                    for (String object : new String[] {"small", "large"}) {
                        HeadObjectResponse head =
                                s3.headObject(b -> b.bucket("sse").key("vigil/" + prefix + "/" + object));
                        assertThat(head.serverSideEncryption())
                                .as(prefix + "/" + object)
                                .isEqualTo(
                                        sse.mode() == S3ServerSideEncryption.Mode.SSE_S3
                                                ? ServerSideEncryption.AES256
                                                : ServerSideEncryption.AWS_KMS);
                    }
                    try (ObjectStream in = store.get(prefix + "/large")) {
                        assertThat(in.readAllBytes()).isEqualTo(large);
                    }
                }
            }
        }
    }

    /** S3Mock behind a proxy that drops the answer's encryption header: a server that ignores the request. */
    @Test
    void aServerThatIgnoresTheRequestIsRefusedAndTheObjectIsNotLeftBehind() throws Exception {
        try (S3Server mock = S3Servers.start(S3ServerKind.S3MOCK);
                FaultProxy ignoring =
                        FaultProxy.start(mock.endpoint()).dropResponseHeaders("x-amz-server-side-encryption");
                S3Client s3 = client(mock)) {
            s3.createBucket(b -> b.bucket("sse"));
            S3ServerSideEncryption sse =
                    new S3ServerSideEncryption(S3ServerSideEncryption.Mode.SSE_S3, Optional.empty(), false);
            S3Settings settings = S3Settings.defaults("sse", "vigil")
                    .withEndpoint(ignoring.endpoint(), true)
                    .withMultipart(5 * MIB, 5 * MIB)
                    .withIntegrity(S3Integrity.CHECKSUM_HEADER)
                    .withServerSide(sse);
            try (ObjectStore store = S3Stores.open(settings, mock.credentials(), Clock.systemUTC())) {
                assertThatThrownBy(() -> store.putConfirmed(put("partitions/p1/wal/1-10.seg", bytes(1000))))
                        .isInstanceOf(ObjectStoreException.class)
                        .hasMessageContaining("partitions/p1/wal/1-10.seg")
                        .hasMessageContaining("asked for server-side encryption SSE-S3 (AES256)")
                        .hasMessageContaining("the server answered none");
                assertThatThrownBy(() -> store.head("partitions/p1/wal/1-10.seg"))
                        .isInstanceOf(ObjectNotFoundException.class);
                assertThatThrownBy(() -> store.putConfirmed(put("big", bytes(6 * MIB))))
                        .isInstanceOf(ObjectStoreException.class)
                        .hasMessageContaining("asked for server-side encryption");
            }
        }
    }

    private static S3Settings settings(S3Server server, S3ServerSideEncryption sse) {
        return S3Settings.defaults("sse", "vigil")
                .withEndpoint(server.endpoint(), true)
                .withMultipart(5 * MIB, 5 * MIB)
                .withIntegrity(S3Integrity.CHECKSUM_HEADER)
                .withServerSide(sse);
    }

    private static S3Client client(S3Server server) {
        return S3Client.builder()
                .endpointOverride(server.endpoint())
                .region(Region.of(server.region()))
                .credentialsProvider(server.credentials())
                .forcePathStyle(true)
                .build();
    }

    private static PutRequest put(String key, byte[] bytes) {
        return PutRequest.ifAbsent(
                key, ObjectBody.ofBytes(bytes), Checksum.of(ChecksumAlgorithm.CRC32C, bytes), Map.of());
    }

    private static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }
}
