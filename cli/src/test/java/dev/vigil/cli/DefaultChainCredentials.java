package dev.vigil.cli;

import dev.vigil.testkit.s3.S3Endpoint;

/**
 * Credentials where the AWS SDK's default chain finds them (the {@code aws.accessKeyId} and {@code aws.secretAccessKey}
 * system properties), for commands run in-process, so that configurations hold no secret. Closing clears them.
 */
final class DefaultChainCredentials implements AutoCloseable {

    private DefaultChainCredentials(String accessKey, String secretKey) {
        System.setProperty("aws.accessKeyId", accessKey);
        System.setProperty("aws.secretAccessKey", secretKey);
    }

    /** The endpoint's own credentials. */
    static DefaultChainCredentials of(S3Endpoint endpoint) {
        var credentials = endpoint.credentials().resolveCredentials();
        return new DefaultChainCredentials(credentials.accessKeyId(), credentials.secretAccessKey());
    }

    /** Credentials the server does not know. */
    static DefaultChainCredentials wrong() {
        return new DefaultChainCredentials("not-the-key", "not-the-secret");
    }

    @Override
    public void close() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }
}
