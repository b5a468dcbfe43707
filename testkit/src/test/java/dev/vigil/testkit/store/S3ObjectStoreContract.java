package dev.vigil.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ChecksumMismatchException;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectCorruptException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStoreException;
import dev.vigil.core.store.PreconditionFailedException;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.store.S3Integrity;
import dev.vigil.core.store.S3Settings;
import dev.vigil.store.s3.S3Stores;
import dev.vigil.testkit.fault.FaultProxy;
import dev.vigil.testkit.s3.S3Endpoint;
import dev.vigil.testkit.s3.S3ServerKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.profiles.ProfileFile;

/** The contract on an S3 server, with a small multipart threshold so large objects go through parts. */
abstract class S3ObjectStoreContract extends ObjectStoreContract {

    static final String PREFIX = "repo/main";

    S3Endpoint endpoint;

    @BeforeEach
    void endpoint(S3Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    S3Settings settings() {
        return endpoint.settings(PREFIX).withMultipart(S3Settings.MIN_PART_SIZE, S3Settings.MIN_PART_SIZE);
    }

    @Override
    protected ObjectStore store() {
        return endpoint.openStore(settings());
    }

    @Override
    protected boolean atomicConditionalWrites() {
        return endpoint.has(S3ServerKind.Capability.ATOMIC_CONDITIONAL_WRITES);
    }

    @Override
    protected boolean atomicConditionalReplacements() {
        return endpoint.has(S3ServerKind.Capability.ATOMIC_CONDITIONAL_REPLACEMENTS);
    }

    @Override
    protected boolean validatesChecksums() {
        // With its default (auto), Vigil sends what the server validates, or checks the body itself before sending its
        // Content-MD5; only where the server validates neither and checksum-header was chosen is a damaged body stored.
        return endpoint.kind().refusesDamagedPuts();
    }

    @Override
    protected void corruptStoredBytes(String key, long offset) throws Exception {
        String fullKey = PREFIX + "/" + key;
        byte[] bytes = endpoint.client()
                .getObjectAsBytes(g -> g.bucket(endpoint.bucket()).key(fullKey))
                .asByteArray();
        bytes[(int) offset] ^= (byte) 0xff;
        endpoint.replaceBytesKeepingMetadata(fullKey, bytes);
    }

    @Test
    void aLargeObjectWrittenOnlyIfAbsentIsNeverReplacedEvenWhereConditionalCompletesAreIgnored() throws Exception {
        ObjectStore store = store(); // multipart from 5 MiB up
        byte[] first = randomBytes(6 * 1024 * 1024, 21);
        byte[] second = randomBytes(6 * 1024 * 1024, 22);
        store.put(new PutRequest(
                "k/large-once",
                ObjectBody.ofBytes(first),
                Checksum.of(ChecksumAlgorithm.CRC32C, first),
                Map.of("writer", "first"),
                true));

        assertThatThrownBy(() -> store.put(new PutRequest(
                        "k/large-once",
                        ObjectBody.ofBytes(second),
                        Checksum.of(ChecksumAlgorithm.CRC32C, second),
                        Map.of("writer", "second"),
                        true)))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(readAll(store, "k/large-once")).isEqualTo(first);
        assertThat(store.head("k/large-once").metadata()).containsEntry("writer", "first");
        assertThat(store.guarantees().rows())
                .anySatisfy(row -> assertThat(row.guarantee()).contains("completing a multipart upload"));
    }

    @Test
    void contentMd5IntegrityRoundTripsAndRejectsAWrongChecksum() throws Exception {
        ObjectStore store = endpoint.openStore(settings().withIntegrity(S3Integrity.CONTENT_MD5));
        byte[] bytes = randomBytes(7 * 1024 * 1024, 11);
        store.put(put("md5/large", bytes, true, Map.of()));
        store.put(put("md5/small", new byte[] {1, 2}, true, Map.of()));
        assertThat(readAll(store, "md5/large")).isEqualTo(bytes);
        assertThat(readAll(store, "md5/small")).containsExactly(1, 2);

        Checksum wrong = Checksum.of(ChecksumAlgorithm.CRC32C, new byte[] {9});
        assertThatThrownBy(() -> store.put(new PutRequest("md5/bad", ObjectBody.ofBytes(bytes), wrong, Map.of(), true)))
                .isInstanceOf(ChecksumMismatchException.class);
    }

    /**
     * Only a server's checksum error codes mean "the body does not match its checksum"; a refusal whose message merely
     * mentions a checksum header (moto's answer to a locked put without Content-MD5) is named as the server said it,
     * as permanent, and sent once.
     */
    @Test
    void onlyChecksumErrorCodesAreChecksumMismatchesOtherRefusalsAreNamedAndNotRetried() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                "http".equals(endpoint.endpoint().getScheme()), "the fault proxy speaks plain HTTP only");
        try (FaultProxy proxy = FaultProxy.start(endpoint.endpoint())) {
            ObjectStore store = endpoint.openStore(settings().withEndpoint(proxy.endpoint(), true));
            store.guarantees(); // the probe's requests come before the faults
            long putsBefore =
                    proxy.requests().stream().filter(FaultProxy.Request::isPut).count();
            byte[] bytes = randomBytes(1000, 3);
            proxy.failNext(
                    1,
                    400,
                    "InvalidRequest",
                    "Content-MD5 OR x-amz-checksum- HTTP header is required for Put"
                            + " Object requests with Object Lock parameters",
                    FaultProxy.Request::isPut);

            assertThatThrownBy(() -> store.put(put("refused/a", bytes, true, Map.of())))
                    .isInstanceOfSatisfying(ObjectStoreException.class, e -> {
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.getMessage())
                                .contains(
                                        "put refused/a failed: HTTP 400 InvalidRequest (Content-MD5 OR"
                                                + " x-amz-checksum- HTTP header is required",
                                        "retrying will not help");
                    });
            assertThat(proxy.requests().stream().filter(FaultProxy.Request::isPut))
                    .hasSize((int) putsBefore + 1);

            proxy.failNext(
                    1,
                    400,
                    "BadDigest",
                    "The Content-MD5 you specified did not match what we received.",
                    FaultProxy.Request::isPut);
            assertThatThrownBy(() -> store.put(put("refused/b", bytes, true, Map.of())))
                    .isInstanceOf(ChecksumMismatchException.class)
                    .hasMessageContaining("the body does not match its checksum (the server answered BadDigest");
            store.close();
        }
    }

    @Test
    void missingCredentialsAreOneSentenceSayingWhereToPutThem(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("credentials"), "");
        ProfileFile none = ProfileFile.builder()
                .content(empty)
                .type(ProfileFile.Type.CREDENTIALS)
                .build();
        // The SDK's own chain, with a provider that finds nothing: the message it throws lists every provider tried.
        AwsCredentialsProvider nothing = AwsCredentialsProviderChain.of(ProfileCredentialsProvider.builder()
                .profileFile(none)
                .profileName("vigil")
                .build());
        try (ObjectStore store = S3Stores.open(settings(), nothing, Clock.systemUTC())) {
            assertThatThrownBy(() -> store.head("any/key")).isInstanceOfSatisfying(ObjectStoreException.class, e -> {
                assertThat(e.retryable()).isFalse();
                assertThat(e.getMessage())
                        .endsWith("head any/key failed: no AWS credentials were found; set"
                                + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, name a profile of ~/.aws/credentials"
                                + " with repository.s3.profile, or run where an instance role provides them")
                        .doesNotContain("Provider");
            });
        }
    }

    @Test
    void anObjectWithoutVigilsChecksumIsNotTrusted() throws Exception {
        ObjectStore store = store();
        endpoint.client()
                .putObject(
                        p -> p.bucket(endpoint.bucket()).key(PREFIX + "/foreign/object"),
                        RequestBody.fromBytes(new byte[] {1, 2, 3}));

        assertThatThrownBy(() -> store.head("foreign/object"))
                .isInstanceOf(ObjectCorruptException.class)
                .hasMessageContaining("has no vigil-checksum metadata");
        assertThatThrownBy(() -> store.get("foreign/object")).isInstanceOf(ObjectCorruptException.class);
    }

    @Test
    void keysAreConfinedToTheStorePrefix() throws Exception {
        ObjectStore store = store();
        store.put(put("inside", new byte[] {1}, true, Map.of()));
        assertThat(endpoint.client()
                        .headObject(h -> h.bucket(endpoint.bucket()).key(PREFIX + "/inside"))
                        .contentLength())
                .isEqualTo(1);
        assertThat(store.describe()).isEqualTo("s3://" + endpoint.bucket() + "/" + PREFIX);
    }
}
