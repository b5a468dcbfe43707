package dev.vigil.store.s3;

import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.S3Settings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/** Opens S3 object stores (AWS, MinIO, any S3-compatible server) with the AWS SDK v2's synchronous client. */
public final class S3Stores {

    private S3Stores() {}

    /**
     * An S3 store whose credentials come from the named profile, or else the AWS SDK's default chain; {@code clock}
     * dates its probe of the server.
     */
    public static ObjectStore open(S3Settings settings, Clock clock) {
        return open(settings, Optional.empty(), clock);
    }

    /**
     * As {@link #open(S3Settings, Clock)}, remembering what the server was found to do ({@link ObjectStore#guarantees}) in
     * {@code probeCache} for a day, so that every short-lived command does not probe it again.
     */
    public static ObjectStore open(S3Settings settings, Optional<Path> probeCache, Clock clock) {
        AwsCredentialsProvider credentials = settings.profile().isPresent()
                ? ProfileCredentialsProvider.create(settings.profile().get())
                : DefaultCredentialsProvider.builder().build();
        return open(settings, credentials, probeCache, clock);
    }

    /** An S3 store with explicit credentials (tests, embedded servers). */
    public static ObjectStore open(S3Settings settings, AwsCredentialsProvider credentials, Clock clock) {
        return open(settings, credentials, Optional.empty(), clock);
    }

    /** An S3 store with explicit credentials, remembering its probe in {@code probeCache}. */
    public static ObjectStore open(
            S3Settings settings, AwsCredentialsProvider credentials, Optional<Path> probeCache, Clock clock) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                // A builder, not an instance: the SDK then closes the HTTP client with the S3 client.
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(settings.connectTimeout())
                        .socketTimeout(settings.socketTimeout())
                        .maxConnections(64))
                .requestChecksumCalculation(
                        settings.sdkChecksums() == S3Settings.SdkChecksums.WHEN_SUPPORTED
                                ? RequestChecksumCalculation.WHEN_SUPPORTED
                                : RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(
                        settings.sdkChecksums() == S3Settings.SdkChecksums.WHEN_SUPPORTED
                                ? ResponseChecksumValidation.WHEN_SUPPORTED
                                : ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(settings.maxAttempts())));
        settings.endpoint().ifPresent(builder::endpointOverride);
        S3Client main = builder.build();
        boolean plainHttp = settings.endpoint()
                .map(e -> "http".equalsIgnoreCase(e.getScheme()))
                .orElse(false);
        EmptyBodyClient emptyBodies = new EmptyBodyClient(
                main,
                plainHttp
                        ? () -> builder.serviceConfiguration(S3Configuration.builder()
                                        .chunkedEncodingEnabled(false)
                                        .build())
                                .build()
                        : null);
        return new S3ObjectStore(main, emptyBodies, settings, probeCache, clock);
    }
}
