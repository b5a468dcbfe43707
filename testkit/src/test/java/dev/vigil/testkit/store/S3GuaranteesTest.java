package dev.vigil.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStoreException;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.store.S3Integrity;
import dev.vigil.core.store.StoreGuarantees;
import dev.vigil.store.s3.S3Stores;
import dev.vigil.testkit.s3.S3Endpoint;
import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.S3ServerKind.Capability;
import dev.vigil.testkit.s3.UsingS3;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe finds on every real server what the test kit declares it does (so neither drifts), Vigil chooses by what
 * it found, refuses to write where its default cannot keep uploads honest, and remembers the probe for a day.
 */
class S3GuaranteesTest {

    @TempDir
    Path dir;

    private static StoreGuarantees.Row row(StoreGuarantees guarantees, String containing) {
        return guarantees.rows().stream()
                .filter(r -> r.guarantee().contains(containing))
                .findFirst()
                .orElseThrow();
    }

    private static void foundAsDeclared(S3Endpoint endpoint) throws Exception {
        StoreGuarantees guarantees = endpoint.openStore("repo").guarantees();
        S3ServerKind kind = endpoint.kind();
        assertThat(guarantees.probedAt()).isPresent();
        assertThat(row(guarantees, "x-amz-checksum-*").found())
                .startsWith(kind.has(Capability.VALIDATES_CHECKSUM_HEADER) ? "yes" : "NO");
        assertThat(row(guarantees, "Content-MD5").found())
                .startsWith(kind.has(Capability.VALIDATES_CONTENT_MD5) ? "yes" : "NO");
        assertThat(row(guarantees, "refuses a put of an existing key").found()).startsWith("yes");
        assertThat(row(guarantees, "completing a multipart upload").found())
                .startsWith(kind.has(Capability.CONDITIONAL_COMPLETE) ? "yes" : "NO");
        assertThat(row(guarantees, "empty object").found()).startsWith("yes");
        assertThat(guarantees.refusal()).isEmpty();
        assertThat(guarantees.table().getFirst()).startsWith("guarantee ").contains(" found ", " Vigil");
    }

    @Test
    @UsingS3(S3ServerKind.S3MOCK)
    void s3Mock(S3Endpoint endpoint) throws Exception {
        foundAsDeclared(endpoint);
    }

    @Test
    @UsingS3(S3ServerKind.S3PROXY)
    void s3Proxy(S3Endpoint endpoint) throws Exception {
        foundAsDeclared(endpoint);
    }

    @Test
    @UsingS3(S3ServerKind.EXTERNAL)
    void anExternalEndpointSuchAsCephRgw(S3Endpoint endpoint) throws Exception {
        foundAsDeclared(endpoint);
    }

    /**
     * On a bucket with Object Lock (versioned) a server may honour {@code If-None-Match: *} no longer (Ceph RGW Pacific
     * stores a new version): the probe runs per bucket, and Vigil refuses to write there rather than risk an archived
     * object overwritten.
     */
    @Test
    @UsingS3(S3ServerKind.EXTERNAL)
    void onABucketWithObjectLockConditionalPutsAreProbedAgain(S3Endpoint endpoint) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(endpoint.has(Capability.OBJECT_LOCK), "no Object Lock declared");
        String bucket = endpoint.bucket() + "-locked";
        endpoint.client().createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
        dev.vigil.core.store.S3Settings plain = endpoint.settings("repo");
        dev.vigil.core.store.S3Settings locked = new dev.vigil.core.store.S3Settings(
                bucket,
                plain.prefix(),
                plain.endpoint(),
                plain.region(),
                plain.pathStyle(),
                plain.profile(),
                plain.integrity(),
                plain.sdkChecksums(),
                plain.multipartThreshold(),
                plain.partSize(),
                plain.maxAttempts(),
                plain.connectTimeout(),
                plain.socketTimeout(),
                plain.serverSide());
        StoreGuarantees guarantees = endpoint.openStore(locked).guarantees();
        if (endpoint.has(Capability.CONDITIONAL_PUT_WITH_OBJECT_LOCK)) {
            assertThat(row(guarantees, "refuses a put of an existing key").found())
                    .startsWith("yes");
            assertThat(guarantees.refusal()).isEmpty();
        } else {
            assertThat(row(guarantees, "refuses a put of an existing key").found())
                    .isEqualTo("NO (replaced, HTTP 200)");
            assertThat(guarantees.refusal())
                    .hasValueSatisfying(why -> assertThat(why)
                            .contains(
                                    "does not refuse a put with If-None-Match: * of an existing key",
                                    "Vigil does not" + " write to it"));
        }
    }

    /**
     * moto validates neither checksum headers nor Content-MD5: with the default (auto) Vigil writes nothing and says
     * which setting overrides it; with checksum-header chosen it writes, and warns.
     */
    @Test
    @UsingS3(S3ServerKind.MOTO)
    void onAServerThatValidatesNeitherTheDefaultRefusesAndAnExplicitChoiceWarns(S3Endpoint endpoint) throws Exception {
        foundAsDeclared(endpoint); // with checksum-header, as the test kit opens it there
        ObjectStore auto = endpoint.openStore(endpoint.settings("auto").withIntegrity(S3Integrity.AUTO));
        StoreGuarantees refused = auto.guarantees();
        assertThat(refused.refusal())
                .hasValueSatisfying(why -> assertThat(why)
                        .contains("validates neither x-amz-checksum-* (stored, HTTP 200) nor Content-MD5 (stored,"
                                + " HTTP 200)")
                        .contains("set checksum-header or content-md5 to write anyway"));
        byte[] bytes = "x".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> auto.put(PutRequest.ifAbsent(
                        "k/refused",
                        ObjectBody.ofBytes(bytes),
                        Checksum.of(ChecksumAlgorithm.CRC32C, bytes),
                        Map.of())))
                .isInstanceOfSatisfying(
                        ObjectStoreException.class,
                        e -> assertThat(e.retryable()).isFalse())
                .hasMessageContaining("put k/refused refused: ");
        assertThatThrownBy(() -> auto.head("k/refused")).isInstanceOf(ObjectNotFoundException.class);

        StoreGuarantees chosen = endpoint.openStore("chosen").guarantees();
        assertThat(chosen.warnings())
                .singleElement()
                .asString()
                .startsWith("repository.s3.integrity is checksum-header, but the server stores a put whose"
                        + " x-amz-checksum-* does not match its body");
    }

    @Test
    @UsingS3(S3ServerKind.S3PROXY)
    void aProbeIsRememberedForADayInTheCacheFileAndNotRepeated(S3Endpoint endpoint) throws Exception {
        Path cache = dir.resolve("state/s3-probe.properties");
        try (ObjectStore first = S3Stores.open(
                endpoint.settings("repo"), endpoint.credentials(), Optional.of(cache), Clock.systemUTC())) {
            first.guarantees();
        }
        assertThat(Files.readString(cache))
                .contains("server=", String.valueOf(endpoint.endpoint().getPort()), "checksumHeader.holds=true");
        // A cached answer is used as is: rewrite it and the next store believes it (without probing again).
        Files.writeString(
                cache, Files.readString(cache).replace("emptyObject.reply=stored", "emptyObject.reply=from the cache"));
        try (ObjectStore second = S3Stores.open(
                endpoint.settings("repo"), endpoint.credentials(), Optional.of(cache), Clock.systemUTC())) {
            assertThat(row(second.guarantees(), "empty object").found()).isEqualTo("yes (from the cache)");
        }
    }
}
