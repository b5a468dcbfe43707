package dev.vigil.cli;

import dev.vigil.testkit.s3.S3Endpoint;
import java.util.concurrent.Callable;

/**
 * Runs test code with credentials where the AWS SDK's default chain finds them (the {@code aws.accessKeyId} and
 * {@code aws.secretAccessKey} system properties), for commands run in-process, so that configurations hold no secret;
 * they are cleared afterwards.
 */
final class DefaultChainCredentials {

    private DefaultChainCredentials() {}

    /** {@code body} with the endpoint's own credentials. */
    static <T> T of(S3Endpoint endpoint, Callable<T> body) throws Exception {
        var credentials = endpoint.credentials().resolveCredentials();
        return with(credentials.accessKeyId(), credentials.secretAccessKey(), body);
    }

    /** {@code body} with credentials the server does not know. */
    static <T> T wrong(Callable<T> body) throws Exception {
        return with("not-the-key", "not-the-secret", body);
    }

    private static <T> T with(String accessKey, String secretKey, Callable<T> body) throws Exception {
        System.setProperty("aws.accessKeyId", accessKey);
        System.setProperty("aws.secretAccessKey", secretKey);
        try {
            return body.call();
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }
}
