package dev.vigil.store.s3;

import dev.vigil.core.Urls;
import dev.vigil.core.store.ChecksumMismatchException;
import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStoreException;
import dev.vigil.core.store.PreconditionFailedException;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.store.S3Settings;
import java.io.IOException;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What an S3 failure means for Vigil, as the store SPI's exceptions: not found, a failed precondition, a body that does
 * not match its checksum (by error code only), a refusal (credentials, permissions, a missing bucket, a request the
 * server will never accept: permanent), or an outage or throttling (retryable). Every message names the store, the
 * operation, the key and what to do. Stateless apart from the store it describes; thread safe.
 */
final class S3Errors {

    /**
     * The error codes with which a server says that a body does not match the checksum sent with it (by code, never
     * by the wording of a message: a refusal that merely mentions a checksum header is something else).
     */
    static final Set<String> CHECKSUM_REJECTIONS =
            Set.of("BadDigest", "InvalidDigest", "XAmzContentChecksumMismatch", "InvalidChecksum", "BadChecksum");

    /**
     * S3Mock answers a put whose well-formed checksum header does not match the body with a generic 400 saying the
     * header's value "is invalid" (AWS says BadDigest). Vigil always sends a well-formed value, so on a put that answer
     * can only mean a mismatch. This names one exact sentence about the header Vigil sent, not any mention of checksums.
     */
    private static final Pattern INVALID_CHECKSUM_VALUE = Pattern.compile(
            "Value for x-amz-checksum-(crc32c|crc32|crc64nvme|sha1|sha256) header is invalid",
            Pattern.CASE_INSENSITIVE);

    private final String description;
    private final S3Settings settings;

    S3Errors(String description, S3Settings settings) {
        this.description = description;
        this.settings = settings;
    }

    /** As {@link #translate}; a put that replaces only a given version of an object deleted since fails its condition. */
    IOException translatePut(S3Exception e, PutRequest request) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return request.ifMatch().isPresent() && e.statusCode() == 404 && !"NoSuchBucket".equals(code)
                ? new PreconditionFailedException(description, request.key())
                : translate(e, "put", request.key());
    }

    IOException translate(S3Exception e, String operation, String key) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        int status = e.statusCode();
        if (status == 404 && !"NoSuchBucket".equals(code)) {
            return new ObjectNotFoundException(description, key);
        }
        if (status == 412) {
            return new PreconditionFailedException(description, key);
        }
        String message = e.awsErrorDetails() == null
                ? e.getMessage()
                : e.awsErrorDetails().errorMessage();
        if ((code != null && CHECKSUM_REJECTIONS.contains(code))
                || (status == 400
                        && operation.startsWith("put")
                        && message != null
                        && INVALID_CHECKSUM_VALUE.matcher(message).find())) {
            return new ChecksumMismatchException(description, key, "the server answered " + code + ": " + message);
        }
        String what = description + ": " + operation + " " + key + " failed: HTTP " + status
                + (code == null ? "" : " " + code) + " (" + message + ")";
        if ("XAmzContentSHA256Mismatch".equals(code)) {
            // The payload hash in the request's signature, not the body's checksum: how the request was signed or
            // streamed, never damage to the bytes (those are checked by the checksum or Content-MD5 sent with them).
            return new ObjectStoreException(
                    what + "; the server could not match the request's signed payload hash: a signing or streaming"
                            + " problem of the request, not damage to the body. Over plain HTTP some servers (Ceph"
                            + " RGW) reject the AWS SDK's chunked signing for some bodies: use an https endpoint",
                    false,
                    e);
        }
        if (status == 403 || status == 401) {
            return new ObjectStoreException(
                    what + "; check the credentials (AWS default chain or the configured"
                            + " profile) and that they may " + operation + " in " + description,
                    false,
                    e);
        }
        if ("NoSuchBucket".equals(code)) {
            return new ObjectStoreException(what + "; create the bucket or fix repository.url", false, e);
        }
        if ((status == 400 && !"RequestTimeout".equals(code)) || status == 405 || status == 411 || status == 501) {
            return new ObjectStoreException(
                    what + "; the server refuses this request as it is (retrying will not help):"
                            + " check repository.s3 against what the server supports (docs/operations.md)",
                    false,
                    e);
        }
        boolean throttled = status == 429 || status == 503 || "SlowDown".equals(code);
        boolean retryable = throttled || status >= 500 || status == 409 || "RequestTimeout".equals(code);
        return new ObjectStoreException(
                what + (retryable ? " after " + settings.maxAttempts() + " attempts" : ""), retryable, throttled, e);
    }

    ObjectStoreException unreachable(SdkClientException e, String operation, String key) {
        if (isMissingCredentials(e)) {
            return new ObjectStoreException(
                    description + ": " + operation + " " + key + " failed: no AWS credentials were"
                            + " found"
                            + settings.profile()
                                    .map(p -> " for profile '" + p + "'")
                                    .orElse("") + "; set"
                            + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, name a profile of ~/.aws/credentials with"
                            + " repository.s3.profile, or run where an instance role provides them",
                    false,
                    null);
        }
        return new ObjectStoreException(
                description + ": " + operation + " " + key + " failed: " + e.getMessage()
                        + "; check that the endpoint "
                        + settings.endpoint().map(Urls::forDisplay).orElse("(AWS default)")
                        + " is reachable",
                true,
                e);
    }

    /** The SDK's provider chain found nothing: its message lists every provider it tried, which helps nobody. */
    static boolean isMissingCredentials(SdkClientException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        return message.startsWith("Unable to load credentials")
                || message.contains("contained no credentials for profile")
                || message.startsWith("Profile file contained no credentials");
    }
}
