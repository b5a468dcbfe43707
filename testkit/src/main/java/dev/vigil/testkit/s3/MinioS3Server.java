package dev.vigil.testkit.s3;

import java.net.URI;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MinIOContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** MinIO in a Testcontainers container. Only constructed after {@link #dockerAvailable()} said yes. */
final class MinioS3Server implements S3Server {

    private static final String IMAGE = "minio/minio:RELEASE.2025-09-07T16-13-09Z";

    private final MinIOContainer container;

    private MinioS3Server(MinIOContainer container) {
        this.container = container;
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static MinioS3Server start() {
        MinIOContainer container = new MinIOContainer(IMAGE);
        container.start();
        return new MinioS3Server(container);
    }

    @Override
    public S3ServerKind kind() {
        return S3ServerKind.MINIO;
    }

    @Override
    public URI endpoint() {
        return URI.create(container.getS3URL());
    }

    @Override
    public AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(
                AwsBasicCredentials.create(container.getUserName(), container.getPassword()));
    }

    @Override
    public String region() {
        return "us-east-1";
    }

    @Override
    public void close() {
        container.stop();
    }
}
