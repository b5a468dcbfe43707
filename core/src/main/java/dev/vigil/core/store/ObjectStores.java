package dev.vigil.core.store;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Opens object stores. */
public final class ObjectStores {

    private ObjectStores() {
    }

    /** A store in a local directory, created if missing. */
    public static ObjectStore localDirectory(Path root, Clock clock) throws IOException {
        return new LocalDirectoryObjectStore(root, clock);
    }

    /**
     * {@code store}, putting an Object Lock of {@code mode} on each new object whose key {@code lockable} accepts,
     * retained for {@code retention} from its put.
     */
    public static ObjectStore locking(ObjectStore store, RetentionLock.Mode mode, java.time.Duration retention,
                                      java.util.function.Predicate<String> lockable, Clock clock) {
        return new LockingObjectStore(store, mode, retention, lockable, clock);
    }

    /** An S3 store whose credentials come from the named profile, or else the AWS SDK's default chain. */
    public static ObjectStore s3(S3Settings settings) {
        AwsCredentialsProvider credentials = settings.profile().isPresent()
                ? ProfileCredentialsProvider.create(settings.profile().get())
                : DefaultCredentialsProvider.builder().build();
        return s3(settings, credentials);
    }

    /** An S3 store with explicit credentials (tests, embedded servers). */
    public static ObjectStore s3(S3Settings settings, AwsCredentialsProvider credentials) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                .httpClient(Apache5HttpClient.builder()
                        .connectionTimeout(settings.connectTimeout())
                        .socketTimeout(settings.socketTimeout())
                        .maxConnections(64)
                        .build())
                .requestChecksumCalculation(settings.sdkChecksums() == S3Settings.SdkChecksums.WHEN_SUPPORTED
                        ? RequestChecksumCalculation.WHEN_SUPPORTED : RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(settings.sdkChecksums() == S3Settings.SdkChecksums.WHEN_SUPPORTED
                        ? ResponseChecksumValidation.WHEN_SUPPORTED : ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(settings.maxAttempts())));
        settings.endpoint().ifPresent(builder::endpointOverride);
        return new S3ObjectStore(builder.build(), settings);
    }
}
