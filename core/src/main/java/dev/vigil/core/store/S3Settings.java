package dev.vigil.core.store;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where and how to reach an S3 repository. Credentials are not part of it: they come from the AWS SDK's
 * default chain (environment, profile, instance role) or the named {@code profile}, and are never logged.
 *
 * @param bucket             bucket name
 * @param prefix             key prefix inside the bucket, without leading or trailing slash; may be empty
 * @param endpoint           endpoint override for S3-compatible stores (MinIO, Ceph RGW, ...)
 * @param region             signing region
 * @param pathStyle          path-style addressing ({@code host/bucket/key}), which most non-AWS stores need
 * @param profile            named profile of the shared AWS config files, instead of the default chain
 * @param integrity          how puts prove their bytes to the server
 * @param sdkChecksums       whether the SDK adds its own CRC trailers when not required; several
 *                           S3-compatible stores reject them, so the default is only when required
 * @param multipartThreshold objects at least this large are uploaded in parts
 * @param partSize           size of each part (5 MiB to 5 GiB); each part is buffered in memory while sent
 * @param maxAttempts        attempts per request, including the first, for transient failures
 * @param connectTimeout     TCP connect timeout
 * @param socketTimeout      read timeout on an established connection
 */
public record S3Settings(
        String bucket,
        String prefix,
        Optional<URI> endpoint,
        String region,
        boolean pathStyle,
        Optional<String> profile,
        S3Integrity integrity,
        SdkChecksums sdkChecksums,
        long multipartThreshold,
        int partSize,
        int maxAttempts,
        Duration connectTimeout,
        Duration socketTimeout,
        S3ServerSideEncryption serverSide) {

    /** When the AWS SDK computes and validates its own request/response checksums. */
    public enum SdkChecksums {
        WHEN_SUPPORTED,
        WHEN_REQUIRED
    }

    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

    public S3Settings {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("S3 bucket is required");
        }
        if (prefix.startsWith("/") || prefix.endsWith("/")) {
            throw new IllegalArgumentException("S3 prefix must not start or end with '/': " + prefix);
        }
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("S3 part size must be at least 5 MiB, was " + partSize);
        }
        if (multipartThreshold < partSize) {
            throw new IllegalArgumentException(
                    "multipart threshold " + multipartThreshold + " must be at least the part size " + partSize);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
    }

    /** Defaults for a bucket and prefix: region us-east-1, virtual-host addressing, 64 MiB threshold, 16 MiB parts. */
    public static S3Settings defaults(String bucket, String prefix) {
        return new S3Settings(
                bucket,
                prefix,
                Optional.empty(),
                "us-east-1",
                false,
                Optional.empty(),
                S3Integrity.AUTO,
                SdkChecksums.WHEN_REQUIRED,
                64L * 1024 * 1024,
                16 * 1024 * 1024,
                5,
                Duration.ofSeconds(10),
                Duration.ofSeconds(60),
                S3ServerSideEncryption.NONE);
    }

    public S3Settings withEndpoint(URI endpoint, boolean pathStyle) {
        return new S3Settings(
                bucket,
                prefix,
                Optional.of(endpoint),
                region,
                pathStyle,
                profile,
                integrity,
                sdkChecksums,
                multipartThreshold,
                partSize,
                maxAttempts,
                connectTimeout,
                socketTimeout,
                serverSide);
    }

    public S3Settings withIntegrity(S3Integrity integrity) {
        return new S3Settings(
                bucket,
                prefix,
                endpoint,
                region,
                pathStyle,
                profile,
                integrity,
                sdkChecksums,
                multipartThreshold,
                partSize,
                maxAttempts,
                connectTimeout,
                socketTimeout,
                serverSide);
    }

    public S3Settings withMultipart(long threshold, int partSize) {
        return new S3Settings(
                bucket,
                prefix,
                endpoint,
                region,
                pathStyle,
                profile,
                integrity,
                sdkChecksums,
                threshold,
                partSize,
                maxAttempts,
                connectTimeout,
                socketTimeout,
                serverSide);
    }

    /** These settings with {@code serverSide} asked of the server for every object. */
    public S3Settings withServerSide(S3ServerSideEncryption serverSide) {
        return new S3Settings(
                bucket,
                prefix,
                endpoint,
                region,
                pathStyle,
                profile,
                integrity,
                sdkChecksums,
                multipartThreshold,
                partSize,
                maxAttempts,
                connectTimeout,
                socketTimeout,
                serverSide);
    }

    /** {@code s3://bucket/prefix}. */
    public String describe() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
}
