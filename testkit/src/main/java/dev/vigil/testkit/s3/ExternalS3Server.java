package dev.vigil.testkit.s3;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * An S3 endpoint the environment names: {@code VIGIL_TEST_S3_ENDPOINT} (for example the MinIO of
 * {@code docker-compose.yml}, {@code http://127.0.0.1:9000}), with {@code VIGIL_TEST_S3_ACCESS_KEY},
 * {@code VIGIL_TEST_S3_SECRET_KEY} and optionally {@code VIGIL_TEST_S3_REGION}. Tests create and use
 * buckets named {@code vigil-test-*} there. Closing it does nothing.
 */
final class ExternalS3Server implements S3Server {

    static final String ENDPOINT_VARIABLE = "VIGIL_TEST_S3_ENDPOINT";

    private final URI endpoint;
    private final AwsCredentialsProvider credentials;
    private final String region;

    private ExternalS3Server(URI endpoint, AwsCredentialsProvider credentials, String region) {
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.region = region;
    }

    static Optional<ExternalS3Server> fromEnvironment() {
        String endpoint = System.getenv(ENDPOINT_VARIABLE);
        if (endpoint == null || endpoint.isBlank()) {
            return Optional.empty();
        }
        String access = System.getenv("VIGIL_TEST_S3_ACCESS_KEY");
        String secret = System.getenv("VIGIL_TEST_S3_SECRET_KEY");
        if (access == null || secret == null) {
            throw new IllegalStateException(
                    ENDPOINT_VARIABLE + " is set but VIGIL_TEST_S3_ACCESS_KEY or" + " VIGIL_TEST_S3_SECRET_KEY is not");
        }
        String region =
                Optional.ofNullable(System.getenv("VIGIL_TEST_S3_REGION")).orElse("us-east-1");
        return Optional.of(new ExternalS3Server(
                URI.create(endpoint),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret)),
                region));
    }

    @Override
    public S3ServerKind kind() {
        return S3ServerKind.EXTERNAL;
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    @Override
    public String region() {
        return region;
    }

    @Override
    public void close() {
        // Not ours to stop.
    }
}
