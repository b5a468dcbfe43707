package dev.vigil.testkit.s3;

import dev.vigil.core.io.Closer;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.S3Integrity;
import dev.vigil.core.store.S3ServerSideEncryption;
import dev.vigil.core.store.S3Settings;
import dev.vigil.store.s3.S3Stores;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * A fresh bucket on a running S3 server, for one test. Stores and the raw client opened through it are
 * closed after the test.
 */
public final class S3Endpoint implements AutoCloseable {

    private final S3Server server;
    private final String bucket;
    private final S3Client client;
    private final List<ObjectStore> opened = new ArrayList<>();

    S3Endpoint(S3Server server, String bucket) {
        this.server = server;
        this.bucket = bucket;
        this.client = S3Client.builder()
                .endpointOverride(server.endpoint())
                .region(Region.of(server.region()))
                .credentialsProvider(server.credentials())
                .forcePathStyle(true)
                // Checksums only where an operation requires them: several servers (Ceph RGW Pacific) refuse the
                // SDK's trailing checksums, which would fail a test before it tested anything.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
        client.createBucket(b -> b.bucket(bucket));
    }

    public S3ServerKind kind() {
        return server.kind();
    }

    public boolean has(S3ServerKind.Capability capability) {
        return server.kind().has(capability);
    }

    public URI endpoint() {
        return server.endpoint();
    }

    public String bucket() {
        return bucket;
    }

    public AwsCredentialsProvider credentials() {
        return server.credentials();
    }

    /**
     * Settings for a store on this bucket under {@code prefix}, path-style, with the server's region. On a server that
     * validates neither checksum headers nor Content-MD5 (moto), where Vigil's default ({@code auto}) refuses to
     * write, {@code checksum-header} is chosen explicitly, as an operator who accepts that would.
     */
    public S3Settings settings(String prefix) {
        S3Settings defaults = S3Settings.defaults(bucket, prefix).withEndpoint(server.endpoint(), true);
        return new S3Settings(
                defaults.bucket(),
                defaults.prefix(),
                defaults.endpoint(),
                server.region(),
                defaults.pathStyle(),
                defaults.profile(),
                server.kind().refusesDamagedPuts() ? defaults.integrity() : S3Integrity.CHECKSUM_HEADER,
                defaults.sdkChecksums(),
                defaults.multipartThreshold(),
                defaults.partSize(),
                defaults.maxAttempts(),
                defaults.connectTimeout(),
                defaults.socketTimeout(),
                S3ServerSideEncryption.NONE);
    }

    public ObjectStore openStore(String prefix) {
        return openStore(settings(prefix));
    }

    public ObjectStore openStore(S3Settings settings) {
        ObjectStore store = S3Stores.open(settings, server.credentials(), Clock.systemUTC());
        opened.add(store);
        return store;
    }

    /** The raw SDK client on this server, for checks and for changing objects behind Vigil's back. */
    public S3Client client() {
        return client;
    }

    /**
     * Replaces the bytes of an object behind Vigil's back, keeping its user metadata (and so the checksum
     * Vigil stored): what bit rot in the store or a careless operator would do.
     */
    public void replaceBytesKeepingMetadata(String fullKey, byte[] bytes) throws IOException {
        HeadObjectResponse head = client.headObject(h -> h.bucket(bucket).key(fullKey));
        Map<String, String> metadata = head.metadata();
        client.putObject(p -> p.bucket(bucket).key(fullKey).metadata(metadata), RequestBody.fromBytes(bytes));
    }

    @Override
    public void close() throws IOException {
        Closer closer = new Closer();
        closer.register(client);
        opened.forEach(closer::register); // the stores close first, newest first, then the raw client
        closer.close();
    }

    @Override
    public String toString() {
        return server.kind() + " bucket " + bucket + " at " + server.endpoint();
    }
}
