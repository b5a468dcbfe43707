package dev.vigil.cli.config;

import dev.vigil.core.Urls;
import dev.vigil.core.config.RepositoryLocation;
import dev.vigil.core.store.S3Integrity;
import dev.vigil.core.store.S3ServerSideEncryption;
import dev.vigil.core.store.S3Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Binds {@code repository}: a local directory or an S3 bucket (with its {@code s3} settings), each rule at its key. */
final class RepositorySection {

    private static final String CREDENTIALS_ADVICE = "give them through the AWS default chain (AWS_ACCESS_KEY_ID and"
            + " AWS_SECRET_ACCESS_KEY in the environment, ~/.aws/credentials, an instance role) or name a profile with"
            + " repository.s3.profile";

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private RepositorySection() {}

    static Optional<RepositoryLocation> bind(ConfigNode section) {
        if (!section.requireObject()) {
            return Optional.empty();
        }
        Optional<String> url = section.requiredString("url");
        ConfigNode s3 = section.child("s3");
        section.rejectUnknownKeys();
        if (url.isEmpty()) {
            return Optional.empty();
        }
        String shown = Urls.forDisplay(url.get());
        URI uri;
        try {
            uri = new URI(url.get());
        } catch (URISyntaxException e) {
            section.child("url").problem("'" + shown + "' is not a valid URL: " + e.getReason());
            return Optional.empty();
        }
        boolean credentialsInUrl = Urls.hasUserInfo(url.get());
        if (credentialsInUrl) {
            section.child("url")
                    .problem("'" + shown + "' carries credentials (user:password@), which do not belong in"
                            + " the configuration file: " + CREDENTIALS_ADVICE);
        }
        if ("file".equals(uri.getScheme())) {
            if (!s3.isMissing()) {
                s3.problem("only applies to s3:// repositories");
            }
            if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getAuthority() != null) {
                section.child("url").problem("'" + shown + "': a local repository URL is file:///absolute/path");
                return Optional.empty();
            }
            return Optional.of(
                    new RepositoryLocation.Local(Path.of(uri.getPath()).normalize()));
        }
        if ("s3".equals(uri.getScheme())) {
            String bucket = uri.getHost() == null ? uri.getAuthority() : uri.getHost();
            if (bucket == null || !BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
                section.child("url")
                        .problem("'" + shown + "': '" + bucket + "' is not a valid bucket name (3-63"
                                + " characters from [a-z0-9.-], starting and ending with a letter or digit)");
                return Optional.empty();
            }
            String prefix = uri.getPath() == null
                    ? ""
                    : uri.getPath().replaceAll("^/+", "").replaceAll("/+$", "");
            Optional<RepositoryLocation> location = s3(s3, bucket, prefix).map(RepositoryLocation.S3::new);
            return credentialsInUrl ? Optional.empty() : location;
        }
        section.child("url").problem("'" + shown + "': the scheme must be file:// or s3://");
        return Optional.empty();
    }

    private static Optional<S3Settings> s3(ConfigNode section, String bucket, String prefix) {
        S3Settings defaults = S3Settings.defaults(bucket, prefix);
        if (!section.isMissing() && !section.requireObject()) {
            return Optional.empty();
        }
        Optional<URI> endpoint = section.uri("endpoint", CREDENTIALS_ADVICE);
        String region = section.string("region", defaults.region());
        boolean pathStyle = section.bool("path-style", endpoint.isPresent());
        Optional<String> profile = section.optionalString("profile");
        S3Integrity integrity = section.enumeration("integrity", defaults.integrity());
        S3Settings.SdkChecksums sdk = section.enumeration("sdk-checksums", defaults.sdkChecksums());
        long threshold = section.size("multipart-threshold", defaults.multipartThreshold());
        long partSize = section.size("part-size", defaults.partSize());
        int attempts = section.integer("max-attempts", defaults.maxAttempts(), 1, 20);
        Duration connect = section.duration("connect-timeout", defaults.connectTimeout());
        Duration socket = section.duration("socket-timeout", defaults.socketTimeout());
        S3ServerSideEncryption.Mode sseMode =
                section.enumeration("server-side-encryption", S3ServerSideEncryption.Mode.NONE);
        Optional<String> sseKey = section.optionalString("sse-kms-key-id");
        boolean bucketKey = section.bool("bucket-key", false);
        if (sseMode != S3ServerSideEncryption.Mode.SSE_KMS && (sseKey.isPresent() || bucketKey)) {
            section.child(sseKey.isPresent() ? "sse-kms-key-id" : "bucket-key")
                    .problem("only with server-side-encryption: sse-kms");
        }
        for (String secret :
                List.of("access-key", "secret-key", "access-key-id", "secret-access-key", "session-token")) {
            if (section.has(secret)) {
                section.child(secret)
                        .problem("credentials do not belong in the configuration file: " + CREDENTIALS_ADVICE);
            }
        }
        section.rejectUnknownKeys();
        if (partSize < S3Settings.MIN_PART_SIZE || partSize > 5L * 1024 * 1024 * 1024) {
            section.child("part-size").problem("must be between 5MiB and 5GiB, was " + partSize + " bytes");
            return Optional.empty();
        }
        if (threshold < partSize) {
            section.child("multipart-threshold").problem("must be at least part-size (" + partSize + " bytes)");
            return Optional.empty();
        }
        return Optional.of(new S3Settings(
                bucket,
                prefix,
                endpoint,
                region,
                pathStyle,
                profile,
                integrity,
                sdk,
                threshold,
                (int) partSize,
                attempts,
                connect,
                socket,
                sseMode == S3ServerSideEncryption.Mode.SSE_KMS
                        ? new S3ServerSideEncryption(sseMode, sseKey, bucketKey)
                        : new S3ServerSideEncryption(sseMode, Optional.empty(), false)));
    }
}
