package dev.vigil.testkit.s3;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** A running S3 server tests can create buckets on. Closing it stops it. */
public interface S3Server extends AutoCloseable {

    S3ServerKind kind();

    URI endpoint();

    AwsCredentialsProvider credentials();

    String region();

    @Override
    void close();
}
