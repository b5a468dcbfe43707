package dev.vigil.store.s3;

import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.S3Settings;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Opens S3 object stores (AWS, MinIO, any S3-compatible server) with the AWS SDK v2's synchronous client. */
public final class S3Stores {

    private S3Stores() {}

    /** An S3 store whose credentials come from the named profile, or else the AWS SDK's default chain. */
    public static ObjectStore open(S3Settings settings) {
        AwsCredentialsProvider credentials = settings.profile().isPresent()
                ? ProfileCredentialsProvider.create(settings.profile().get())
                : DefaultCredentialsProvider.builder().build();
        return open(settings, credentials);
    }

    /** An S3 store with explicit credentials (tests, embedded servers). */
    public static ObjectStore open(S3Settings settings, AwsCredentialsProvider credentials) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                .httpClient(Apache5HttpClient.builder()
                        .connectionTimeout(settings.connectTimeout())
                        .socketTimeout(settings.socketTimeout())
                        .maxConnections(64)
                        .build())
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
        return new S3ObjectStore(builder.build(), settings);
    }
}
