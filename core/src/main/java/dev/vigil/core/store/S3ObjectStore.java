package dev.vigil.core.store;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.checksum.Hasher;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectLockConfigurationRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * An {@link ObjectStore} on S3 or an S3-compatible server, through the AWS SDK for Java v2 (synchronous
 * client). The caller's checksum travels as {@code x-amz-checksum-crc32c}/{@code -sha256} (or, with
 * {@link S3Integrity#CONTENT_MD5}, is checked locally and replaced by {@code Content-MD5}) so the server
 * rejects a damaged upload, and is kept in {@code x-amz-meta-vigil-checksum} so every reader can re-hash.
 * "Only if absent" is {@code If-None-Match: *}. Objects from the multipart threshold up are uploaded in
 * parts, each buffered (bounded by the part size), checksummed and validated by the server; the upload is
 * aborted on any failure, so no partial object ever becomes visible. Thread safe.
 */
final class S3ObjectStore implements ObjectStore {

    /**
     * The error codes with which a server says that a body does not match the checksum sent with it (by code, never
     * by the wording of a message: a refusal that merely mentions a checksum header is something else).
     */
    static final java.util.Set<String> CHECKSUM_REJECTIONS = java.util.Set.of("BadDigest", "InvalidDigest",
            "XAmzContentChecksumMismatch", "XAmzContentSHA256Mismatch", "InvalidChecksum", "BadChecksum");

    /**
     * S3Mock answers a put whose well-formed checksum header does not match the body with a generic 400 saying the
     * header's value "is invalid" (AWS says BadDigest). Vigil always sends a well-formed value, so on a put that answer
     * can only mean a mismatch. This names one exact sentence about the header Vigil sent, not any mention of checksums.
     */
    private static final java.util.regex.Pattern INVALID_CHECKSUM_VALUE = java.util.regex.Pattern.compile(
            "Value for x-amz-checksum-(crc32c|crc32|crc64nvme|sha1|sha256) header is invalid",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    private final S3Client s3;
    private final S3Settings settings;
    private final String keyPrefix;
    private final String description;

    S3ObjectStore(S3Client s3, S3Settings settings) {
        this.s3 = s3;
        this.settings = settings;
        this.keyPrefix = settings.prefix().isEmpty() ? "" : settings.prefix() + "/";
        this.description = settings.describe();
    }

    @Override
    public ObjectInfo put(PutRequest request) throws IOException {
        String key = request.key();
        Map<String, String> metadata = new HashMap<>(request.metadata());
        metadata.put(ObjectKeys.CHECKSUM_METADATA, request.checksum().toString());
        try {
            if (request.body().length() >= settings.multipartThreshold()) {
                putMultipart(request, metadata);
            } else {
                putSingle(request, metadata);
            }
            if (request.lock().isPresent()) {
                confirmLock(key, request.lock().get());
            }
        } catch (S3Exception e) {
            throw translate(e, "put", key);
        } catch (SdkClientException e) {
            throw unreachable(e, "put", key);
        } catch (java.io.UncheckedIOException e) {
            throw new IOException(description + ": put " + key + " failed reading " + request.body().describe(), e.getCause());
        } catch (IllegalStateException e) {
            // The SDK's length-checking body stream raises this when the body ends before its announced length.
            throw new ChecksumMismatchException(description, key, "reading " + request.body().describe() + ": "
                    + e.getMessage());
        }
        return new ObjectInfo(key, request.body().length(), request.checksum(), request.metadata(), Instant.EPOCH);
    }

    private void putSingle(PutRequest request, Map<String, String> metadata) throws IOException {
        PutObjectRequest.Builder put = PutObjectRequest.builder()
                .bucket(settings.bucket())
                .key(keyPrefix + request.key())
                .contentLength(request.body().length())
                .metadata(metadata);
        if (request.ifAbsent()) {
            put.ifNoneMatch("*");
        }
        request.lock().ifPresent(lock -> put.objectLockMode(lockMode(lock)).objectLockRetainUntilDate(lock.until()));
        if (settings.integrity() == S3Integrity.CONTENT_MD5) {
            put.contentMD5(md5Checked(request, request.body().length()));
        } else if (request.checksum().algorithm() == ChecksumAlgorithm.CRC32C) {
            put.checksumCRC32C(request.checksum().base64());
        } else {
            put.checksumSHA256(request.checksum().base64());
        }
        if (request.lock().isPresent() && settings.integrity() == S3Integrity.CHECKSUM_HEADER) {
            // AWS documents that a put with an Object Lock retention needs Content-MD5 or x-amz-sdk-checksum-algorithm
            // (moto enforces it): name the algorithm of the checksum already sent, so the SDK computes nothing more.
            put.checksumAlgorithm(request.checksum().algorithm() == ChecksumAlgorithm.CRC32C
                    ? software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32_C
                    : software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.SHA256);
        }
        PutObjectResponse unused = s3.putObject(put.build(), RequestBody.fromContentProvider(
                () -> openUnchecked(request.body()), request.body().length(), "application/octet-stream"));
    }

    private void putMultipart(PutRequest request, Map<String, String> metadata) throws IOException {
        String s3Key = keyPrefix + request.key();
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder()
                .bucket(settings.bucket()).key(s3Key).metadata(metadata);
        request.lock().ifPresent(lock -> create.objectLockMode(lockMode(lock)).objectLockRetainUntilDate(lock.until()));
        if (settings.integrity() == S3Integrity.CHECKSUM_HEADER) {
            create.checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32_C);
        }
        String uploadId = s3.createMultipartUpload(create.build()).uploadId();
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            Hasher whole = request.checksum().algorithm().newHasher();
            byte[] buffer = new byte[settings.partSize()];
            long total = 0;
            try (InputStream body = request.body().open()) {
                for (int partNumber = 1; ; partNumber++) {
                    int filled = body.readNBytes(buffer, 0, buffer.length);
                    if (filled == 0 && partNumber > 1) {
                        break;
                    }
                    whole.update(buffer, 0, filled);
                    total += filled;
                    parts.add(uploadPart(s3Key, uploadId, partNumber, buffer, filled));
                    if (filled < buffer.length) {
                        break;
                    }
                }
            }
            Checksum actual = whole.finish();
            if (total != request.body().length() || !actual.equals(request.checksum())) {
                throw new ChecksumMismatchException(description, request.key(), "computed " + actual + " over " + total
                        + " bytes, expected " + request.checksum() + " over " + request.body().length());
            }
            CompleteMultipartUploadRequest.Builder complete = CompleteMultipartUploadRequest.builder()
                    .bucket(settings.bucket()).key(s3Key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts));
            if (request.ifAbsent()) {
                complete.ifNoneMatch("*");
            }
            s3.completeMultipartUpload(complete.build());
            completed = true;
        } finally {
            if (!completed) {
                abortQuietly(s3Key, uploadId);
            }
        }
    }

    private CompletedPart uploadPart(String s3Key, String uploadId, int partNumber, byte[] buffer, int length)
            throws IOException {
        UploadPartRequest.Builder part = UploadPartRequest.builder()
                .bucket(settings.bucket()).key(s3Key).uploadId(uploadId).partNumber(partNumber)
                .contentLength((long) length);
        CompletedPart.Builder done = CompletedPart.builder().partNumber(partNumber);
        if (settings.integrity() == S3Integrity.CONTENT_MD5) {
            part.contentMD5(base64(md5().digest(java.util.Arrays.copyOf(buffer, length))));
        } else {
            String crc = Checksum.of(ChecksumAlgorithm.CRC32C, java.util.Arrays.copyOf(buffer, length)).base64();
            part.checksumCRC32C(crc);
            done.checksumCRC32C(crc);
        }
        String etag = s3.uploadPart(part.build(), RequestBody.fromBytes(java.util.Arrays.copyOf(buffer, length))).eTag();
        return done.eTag(etag).build();
    }

    private void abortQuietly(String s3Key, String uploadId) {
        try {
            s3.abortMultipartUpload(AbortMultipartUploadRequest.builder()
                    .bucket(settings.bucket()).key(s3Key).uploadId(uploadId).build());
        } catch (SdkException e) {
            // Best effort: an upload left behind is invisible to readers and is aborted by the stale-upload sweep.
        }
    }

    @Override
    public ObjectStream get(String key) throws IOException {
        ResponseInputStream<GetObjectResponse> in = open(key, Optional.empty());
        GetObjectResponse response = in.response();
        try {
            ObjectInfo info = info(key, response.contentLength(), response.metadata(), response.lastModified());
            return ObjectStream.verified(in, description, info);
        } catch (IOException | RuntimeException e) {
            in.abort();
            throw e;
        }
    }

    @Override
    public ObjectStream get(String key, ByteRange range) throws IOException {
        ResponseInputStream<GetObjectResponse> in = open(key, Optional.of(range));
        GetObjectResponse response = in.response();
        try {
            long total = totalSize(response);
            ObjectInfo info = info(key, total, response.metadata(), response.lastModified());
            return ObjectStream.ranged(in, description, info, response.contentLength());
        } catch (IOException | RuntimeException e) {
            in.abort();
            throw e;
        }
    }

    private ResponseInputStream<GetObjectResponse> open(String key, Optional<ByteRange> range) throws IOException {
        ObjectKeys.validate(key);
        GetObjectRequest.Builder get = GetObjectRequest.builder().bucket(settings.bucket()).key(keyPrefix + key);
        range.ifPresent(r -> get.range("bytes=" + r.offset() + "-" + r.lastInclusive()));
        try {
            return s3.getObject(get.build());
        } catch (S3Exception e) {
            if (e.statusCode() == 416 && range.isPresent()) {
                throw new java.io.EOFException(description + ": range starting at " + range.get().offset()
                        + " is past the end of " + key);
            }
            throw translate(e, "get", key);
        } catch (SdkClientException e) {
            throw unreachable(e, "get", key);
        }
    }

    @Override
    public ObjectInfo head(String key) throws IOException {
        ObjectKeys.validate(key);
        try {
            HeadObjectResponse response = s3.headObject(HeadObjectRequest.builder()
                    .bucket(settings.bucket()).key(keyPrefix + key).build());
            return info(key, response.contentLength(), response.metadata(), response.lastModified());
        } catch (S3Exception e) {
            throw translate(e, "head", key);
        } catch (SdkClientException e) {
            throw unreachable(e, "head", key);
        }
    }

    @Override
    public ObjectListing list(String prefix, Optional<String> startAfter, int maxKeys) throws IOException {
        ObjectKeys.validatePrefix(prefix);
        ObjectListing.checkMaxKeys(maxKeys);
        ListObjectsV2Request.Builder list = ListObjectsV2Request.builder()
                .bucket(settings.bucket()).prefix(keyPrefix + prefix).maxKeys(maxKeys);
        startAfter.ifPresent(after -> list.startAfter(keyPrefix + after));
        try {
            ListObjectsV2Response response = s3.listObjectsV2(list.build());
            List<ObjectSummary> objects = new ArrayList<>();
            for (S3Object object : response.contents()) {
                objects.add(new ObjectSummary(object.key().substring(keyPrefix.length()), object.size(),
                        object.lastModified(), etag(object.eTag())));
            }
            boolean more = Boolean.TRUE.equals(response.isTruncated()) && !objects.isEmpty();
            return new ObjectListing(objects, more ? Optional.of(objects.getLast().key()) : Optional.empty());
        } catch (S3Exception e) {
            throw translate(e, "list", prefix);
        } catch (SdkClientException e) {
            throw unreachable(e, "list", prefix);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        ObjectKeys.validate(key);
        try {
            s3.deleteObject(DeleteObjectRequest.builder().bucket(settings.bucket()).key(keyPrefix + key).build());
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return;
            }
            throw translate(e, "delete", key);
        } catch (SdkClientException e) {
            throw unreachable(e, "delete", key);
        }
    }

    @Override
    public int abortIncompleteUploads(String prefix, Instant olderThan) throws IOException {
        ObjectKeys.validatePrefix(prefix);
        int aborted = 0;
        String keyMarker = null;
        String uploadIdMarker = null;
        try {
            while (true) {
                ListMultipartUploadsRequest.Builder list = ListMultipartUploadsRequest.builder()
                        .bucket(settings.bucket()).prefix(keyPrefix + prefix);
                if (keyMarker != null) {
                    list.keyMarker(keyMarker).uploadIdMarker(uploadIdMarker);
                }
                ListMultipartUploadsResponse response = s3.listMultipartUploads(list.build());
                for (MultipartUpload upload : response.uploads()) {
                    if (upload.initiated() != null && upload.initiated().isBefore(olderThan)) {
                        s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(settings.bucket())
                                .key(upload.key()).uploadId(upload.uploadId()).build());
                        aborted++;
                    }
                }
                if (!Boolean.TRUE.equals(response.isTruncated())) {
                    return aborted;
                }
                keyMarker = response.nextKeyMarker();
                uploadIdMarker = response.nextUploadIdMarker();
            }
        } catch (S3Exception e) {
            throw translate(e, "abort incomplete uploads under", prefix.isEmpty() ? "(all)" : prefix);
        } catch (SdkClientException e) {
            throw unreachable(e, "abort incomplete uploads under", prefix);
        }
    }

    @Override
    public Optional<Instant> retainedUntil(String key) throws IOException {
        ObjectKeys.validate(key);
        try {
            HeadObjectResponse head = s3.headObject(HeadObjectRequest.builder()
                    .bucket(settings.bucket()).key(keyPrefix + key).build());
            if (head.objectLockRetainUntilDate() != null) {
                return Optional.of(head.objectLockRetainUntilDate());
            }
            // HEAD shows the date only to callers allowed s3:GetObjectRetention, and some servers never show it.
            try {
                var retention = s3.getObjectRetention(b -> b.bucket(settings.bucket()).key(keyPrefix + key)).retention();
                return Optional.ofNullable(retention == null ? null : retention.retainUntilDate());
            } catch (SdkClientException e) {
                if (e.getMessage() != null && e.getMessage().contains("Could not parse")) {
                    // The server just answered the HEAD, so this is no outage: it has no GetObjectRetention and sent
                    // something else (moto sends the object). The HEAD, which showed no lock, is all it can tell.
                    return Optional.empty();
                }
                throw e;
            }
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if ("NoSuchObjectLockConfiguration".equals(code) || "InvalidRequest".equals(code)
                    || e.statusCode() == 404 && !"NoSuchKey".equals(code) && !"NoSuchBucket".equals(code)) {
                return Optional.empty(); // no retention on this object, or no Object Lock on this bucket
            }
            throw translate(e, "read the Object Lock retention of", key);
        } catch (SdkClientException e) {
            throw unreachable(e, "read the Object Lock retention of", key);
        }
    }

    /**
     * Reads back the lock a put asked for, and sets it explicitly when the server kept the object but dropped the
     * lock headers (S3Mock does); fails when the object still is not locked, because an archive that is believed
     * to be locked and is not is worse than one known to be unlocked.
     */
    private void confirmLock(String key, RetentionLock lock) throws IOException {
        Optional<Instant> until = retainedUntil(key);
        if (until.isPresent() && !until.get().isBefore(lock.until().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))) {
            return;
        }
        try {
            s3.putObjectRetention(b -> b.bucket(settings.bucket()).key(keyPrefix + key)
                    .retention(r -> r.mode(lockMode(lock).toString()).retainUntilDate(lock.until())));
        } catch (S3Exception e) {
            throw new ObjectStoreException(description + ": " + key + " was stored but its Object Lock could not be set"
                    + " (HTTP " + e.statusCode() + ": " + e.getMessage() + "); check that the bucket has Object Lock enabled"
                    + " and that Vigil may s3:PutObjectRetention", false, e);
        }
        Optional<Instant> confirmed = retainedUntil(key);
        if (confirmed.isEmpty() || confirmed.get().isBefore(lock.until().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))) {
            throw new ObjectStoreException(description + ": " + key + " was stored, but the server reports its Object Lock"
                    + " retained until " + confirmed.map(Instant::toString).orElse("(none)") + " instead of " + lock.until()
                    + "; this store does not keep Object Lock: set retention.object-lock: false or use one that does",
                    false, null);
        }
    }

    private static software.amazon.awssdk.services.s3.model.ObjectLockMode lockMode(RetentionLock lock) {
        return lock.mode() == RetentionLock.Mode.COMPLIANCE ? software.amazon.awssdk.services.s3.model.ObjectLockMode.COMPLIANCE
                : software.amazon.awssdk.services.s3.model.ObjectLockMode.GOVERNANCE;
    }

    @Override
    public ObjectLockStatus objectLock() throws IOException {
        try {
            var configuration = s3.getObjectLockConfiguration(GetObjectLockConfigurationRequest.builder()
                    .bucket(settings.bucket()).build()).objectLockConfiguration();
            boolean enabled = configuration != null && configuration.objectLockEnabled() == ObjectLockEnabled.ENABLED;
            if (!enabled) {
                return new ObjectLockStatus(true, false, "Object Lock is not enabled on bucket " + settings.bucket());
            }
            var rule = configuration.rule() == null ? null : configuration.rule().defaultRetention();
            return new ObjectLockStatus(true, true, "Object Lock enabled on bucket " + settings.bucket() + (rule == null
                    ? ", no default retention" : ", default retention " + rule.modeAsString() + " "
                    + (rule.days() != null ? rule.days() + " days" : rule.years() + " years")));
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if ("ObjectLockConfigurationNotFoundError".equals(code) || e.statusCode() == 404 && !"NoSuchBucket".equals(code)) {
                return new ObjectLockStatus(true, false, "Object Lock is not enabled on bucket " + settings.bucket());
            }
            if (e.statusCode() == 403) {
                return new ObjectLockStatus(true, false, "unknown: reading bucket " + settings.bucket() + "'s Object Lock"
                        + " configuration was refused (HTTP 403; grant s3:GetBucketObjectLockConfiguration)");
            }
            if (e.statusCode() == 400 && "InvalidRequest".equals(code)) {
                // S3Mock answers so for a bucket created without Object Lock.
                return new ObjectLockStatus(true, false, "Object Lock is not enabled on bucket " + settings.bucket()
                        + " (the server answered HTTP 400 InvalidRequest)");
            }
            if (e.statusCode() == 501 || e.statusCode() == 400 || e.statusCode() == 405) {
                return ObjectLockStatus.unavailable(description + " does not support Object Lock (HTTP " + e.statusCode()
                        + (code == null ? "" : " " + code) + ")");
            }
            throw translate(e, "get the Object Lock configuration of", settings.bucket());
        } catch (SdkClientException e) {
            throw unreachable(e, "get the Object Lock configuration of", settings.bucket());
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        s3.close();
    }

    private ObjectInfo info(String key, Long size, Map<String, String> s3Metadata, Instant lastModified)
            throws ObjectCorruptException {
        Map<String, String> metadata = new HashMap<>(s3Metadata);
        String checksum = metadata.remove(ObjectKeys.CHECKSUM_METADATA);
        if (checksum == null) {
            throw new ObjectCorruptException(description, key, "it has no " + ObjectKeys.CHECKSUM_METADATA
                    + " metadata: it was not written by Vigil, or its metadata was lost");
        }
        try {
            return new ObjectInfo(key, size == null ? -1 : size, Checksum.parse(checksum), metadata,
                    lastModified == null ? Instant.EPOCH : lastModified);
        } catch (IllegalArgumentException e) {
            throw new ObjectCorruptException(description, key, "its " + ObjectKeys.CHECKSUM_METADATA
                    + " metadata is malformed: " + e.getMessage());
        }
    }

    /** An ETag without the quotes S3 puts around it; "unknown" when a server sends none. */
    private static String etag(String etag) {
        if (etag == null || etag.isEmpty()) {
            return "unknown";
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }

    private static long totalSize(GetObjectResponse response) {
        String contentRange = response.contentRange();
        if (contentRange != null) {
            int slash = contentRange.lastIndexOf('/');
            if (slash >= 0 && !contentRange.endsWith("*")) {
                return Long.parseLong(contentRange.substring(slash + 1).trim());
            }
        }
        return response.contentLength();
    }

    /** Reads the body once, checking it against the caller's checksum, and returns its base64 MD5. */
    private String md5Checked(PutRequest request, long length) throws IOException {
        MessageDigest md5 = md5();
        Hasher hasher = request.checksum().algorithm().newHasher();
        long total = 0;
        try (InputStream in = request.body().open()) {
            byte[] buffer = new byte[256 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                md5.update(buffer, 0, n);
                hasher.update(buffer, 0, n);
                total += n;
            }
        }
        Checksum actual = hasher.finish();
        if (total != length || !actual.equals(request.checksum())) {
            throw new ChecksumMismatchException(description, request.key(), "computed " + actual + " over " + total
                    + " bytes, expected " + request.checksum() + " over " + length);
        }
        return base64(md5.digest());
    }

    private IOException translate(S3Exception e, String operation, String key) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        int status = e.statusCode();
        if (status == 404 && !"NoSuchBucket".equals(code)) {
            return new ObjectNotFoundException(description, key);
        }
        if (status == 412) {
            return new PreconditionFailedException(description, key);
        }
        String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        if (code != null && CHECKSUM_REJECTIONS.contains(code)
                || status == 400 && operation.startsWith("put") && message != null && INVALID_CHECKSUM_VALUE.matcher(message).find()) {
            return new ChecksumMismatchException(description, key, "the server answered " + code + ": " + message);
        }
        String what = description + ": " + operation + " " + key + " failed: HTTP " + status
                + (code == null ? "" : " " + code) + " (" + message + ")";
        if (status == 403 || status == 401) {
            return new ObjectStoreException(what + "; check the credentials (AWS default chain or the configured"
                    + " profile) and that they may " + operation + " in " + description, false, e);
        }
        if ("NoSuchBucket".equals(code)) {
            return new ObjectStoreException(what + "; create the bucket or fix repository.url", false, e);
        }
        if ((status == 400 && !"RequestTimeout".equals(code)) || status == 405 || status == 411 || status == 501) {
            return new ObjectStoreException(what + "; the server refuses this request as it is (retrying will not help):"
                    + " check repository.s3 against what the server supports (docs/operations.md)", false, e);
        }
        boolean throttled = status == 429 || status == 503 || "SlowDown".equals(code);
        boolean retryable = throttled || status >= 500 || status == 409 || "RequestTimeout".equals(code);
        return new ObjectStoreException(what + (retryable ? " after " + settings.maxAttempts() + " attempts" : ""),
                retryable, throttled, e);
    }

    private ObjectStoreException unreachable(SdkClientException e, String operation, String key) {
        if (isMissingCredentials(e)) {
            return new ObjectStoreException(description + ": " + operation + " " + key + " failed: no AWS credentials were"
                    + " found" + settings.profile().map(p -> " for profile '" + p + "'").orElse("") + "; set"
                    + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, name a profile of ~/.aws/credentials with"
                    + " repository.s3.profile, or run where an instance role provides them", false, null);
        }
        return new ObjectStoreException(description + ": " + operation + " " + key + " failed: " + e.getMessage()
                + "; check that the endpoint " + settings.endpoint().map(Object::toString).orElse("(AWS default)")
                + " is reachable", true, e);
    }

    /** The SDK's provider chain found nothing: its message lists every provider it tried, which helps nobody. */
    static boolean isMissingCredentials(SdkClientException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        return message.startsWith("Unable to load credentials") || message.contains("contained no credentials for profile")
                || message.startsWith("Profile file contained no credentials");
    }

    private static InputStream openUnchecked(ObjectBody body) {
        try {
            return body.open();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot open " + body.describe(), e);
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide MD5", e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
