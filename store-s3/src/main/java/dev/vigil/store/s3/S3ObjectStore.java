package dev.vigil.store.s3;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.checksum.Hasher;
import dev.vigil.core.store.ByteRange;
import dev.vigil.core.store.ChecksumMismatchException;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectCorruptException;
import dev.vigil.core.store.ObjectInfo;
import dev.vigil.core.store.ObjectKeys;
import dev.vigil.core.store.ObjectListing;
import dev.vigil.core.store.ObjectLockStatus;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStoreException;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.ObjectSummary;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.store.S3Integrity;
import dev.vigil.core.store.S3Settings;
import dev.vigil.core.store.StoreGuarantees;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

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

    private final S3Client s3;
    private final S3Settings settings;
    private final String keyPrefix;
    private final String description;
    private final S3Errors errors;
    private final S3Multipart multipart;
    private final S3ObjectLocks locks;
    private final S3Bucket bucket;
    private final S3ServerProbe server;

    S3ObjectStore(
            S3Client s3, EmptyBodyClient emptyBodies, S3Settings settings, Optional<Path> probeCache, Clock clock) {
        this.bucket = S3Bucket.of(s3, emptyBodies, settings);
        this.server = new S3ServerProbe(this.bucket, probeCache, clock);
        this.s3 = s3;
        this.settings = settings;
        this.keyPrefix = this.bucket.keyPrefix();
        this.description = this.bucket.description();
        this.errors = this.bucket.errors();
        this.multipart = new S3Multipart(this.bucket);
        this.locks = new S3ObjectLocks(this.bucket);
    }

    @Override
    public ObjectInfo put(PutRequest request) throws IOException {
        return store(request).info();
    }

    /**
     * A single-part put whose response echoes the checksum it was sent is confirmed by the service, which computed it
     * over the bytes it received (and would have refused the put had they differed): no HEAD. Otherwise (multipart,
     * Content-MD5, a server that echoes nothing) a HEAD reports what is stored.
     */
    @Override
    public ObjectInfo putConfirmed(PutRequest request) throws IOException {
        Stored stored = store(request);
        return stored.confirmedByService() ? stored.info() : head(request.key());
    }

    /** What a put stored, and whether the service's response proves it. */
    private record Stored(ObjectInfo info, boolean confirmedByService) {}

    private Stored store(PutRequest request) throws IOException {
        String key = request.key();
        ObjectKeys.validate(key);
        S3Capabilities server = this.server.capabilities();
        Optional<String> refusal = server.refusal(description, settings, request);
        if (refusal.isPresent()) {
            throw new ObjectStoreException(description + ": put " + key + " refused: " + refusal.get(), false, null);
        }
        S3Integrity integrity = server.integrity(settings).orElseThrow();
        long length = request.body().length();
        boolean parts = server.multipart(settings, length, request);
        if (!parts && length > S3Capabilities.MAX_SINGLE_PUT) {
            throw new ObjectStoreException(
                    description + ": put " + key + " refused: " + length + " bytes, more than a single put carries (5"
                            + " GiB), and this server does not honour If-None-Match: * on completing a multipart"
                            + " upload, so it cannot be written only if absent in parts",
                    false,
                    null);
        }
        boolean confirmed = false;
        Map<String, String> metadata = new HashMap<>(request.metadata());
        metadata.put(ObjectKeys.CHECKSUM_METADATA, request.checksum().toString());
        try {
            if (parts) {
                multipart.put(request, metadata, integrity);
            } else {
                confirmed = putSingle(request, metadata, integrity, server);
            }
            if (request.lock().isPresent()) {
                locks.confirm(key, request.lock().get());
            }
        } catch (S3Exception e) {
            throw errors.translatePut(e, request);
        } catch (SdkClientException e) {
            throw errors.unreachable(e, "put", key);
        } catch (UncheckedIOException e) {
            throw new IOException(
                    description + ": put " + key + " failed reading "
                            + request.body().describe(),
                    e.getCause());
        } catch (IllegalStateException e) {
            // The SDK's length-checking body stream raises this when the body ends before its announced length.
            throw new ChecksumMismatchException(
                    description, key, "reading " + request.body().describe() + ": " + e.getMessage());
        }
        return new Stored(
                new ObjectInfo(key, request.body().length(), request.checksum(), request.metadata(), Instant.EPOCH),
                confirmed);
    }

    /** Whether the service's response carries the very checksum that was sent (so it validated the bytes). */
    static boolean echoes(PutObjectResponse response, Checksum sent) {
        String echoed =
                sent.algorithm() == ChecksumAlgorithm.CRC32C ? response.checksumCRC32C() : response.checksumSHA256();
        return echoed != null && echoed.equals(sent.base64());
    }

    @Override
    public StoreGuarantees guarantees() throws IOException {
        return server.capabilities().guarantees(description, settings);
    }

    /** @return whether the service confirmed the bytes by echoing the checksum header */
    private boolean putSingle(
            PutRequest request, Map<String, String> metadata, S3Integrity integrity, S3Capabilities server)
            throws IOException {
        PutObjectRequest.Builder put = PutObjectRequest.builder()
                .bucket(settings.bucket())
                .key(keyPrefix + request.key())
                .contentLength(request.body().length())
                .metadata(metadata);
        if (request.ifAbsent()) {
            put.ifNoneMatch("*");
        }
        request.ifMatch().map(server::ifMatch).ifPresent(put::ifMatch);
        request.lock()
                .ifPresent(
                        lock -> put.objectLockMode(S3ObjectLocks.mode(lock)).objectLockRetainUntilDate(lock.until()));
        if (integrity == S3Integrity.CONTENT_MD5) {
            put.contentMD5(md5Checked(request, request.body().length()));
        } else if (request.checksum().algorithm() == ChecksumAlgorithm.CRC32C) {
            put.checksumCRC32C(request.checksum().base64());
        } else {
            put.checksumSHA256(request.checksum().base64());
        }
        if (request.lock().isPresent() && integrity == S3Integrity.CHECKSUM_HEADER) {
            // AWS documents that a put with an Object Lock retention needs Content-MD5 or x-amz-sdk-checksum-algorithm
            // (moto enforces it): name the algorithm of the checksum already sent, so the SDK computes nothing more.
            put.checksumAlgorithm(
                    request.checksum().algorithm() == ChecksumAlgorithm.CRC32C
                            ? software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32_C
                            : software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.SHA256);
        }
        S3ServerSide.ask(settings.serverSide(), put);
        S3Client client = request.body().length() == 0 ? bucket.emptyBodies().get() : s3;
        PutObjectResponse response = client.putObject(
                put.build(),
                RequestBody.fromContentProvider(
                        () -> openUnchecked(request.body()), request.body().length(), "application/octet-stream"));
        try {
            S3ServerSide.check(
                    settings.serverSide(),
                    locate(request.key()),
                    response.serverSideEncryption(),
                    response.ssekmsKeyId());
        } catch (ObjectStoreException e) {
            // Stored without the encryption asked for: never left to pass for an archived object on the next pass.
            try {
                delete(request.key());
            } catch (IOException | RuntimeException notDeleted) {
                e.addSuppressed(notDeleted);
            }
            throw e;
        }
        return integrity == S3Integrity.CHECKSUM_HEADER && echoes(response, request.checksum());
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
        GetObjectRequest.Builder get =
                GetObjectRequest.builder().bucket(settings.bucket()).key(keyPrefix + key);
        range.ifPresent(r -> get.range("bytes=" + r.offset() + "-" + r.lastInclusive()));
        try {
            return s3.getObject(get.build());
        } catch (S3Exception e) {
            if (e.statusCode() == 416 && range.isPresent()) {
                throw new EOFException(
                        description + ": range starting at " + range.get().offset() + " is past the end of " + key);
            }
            throw errors.translate(e, "get", key);
        } catch (SdkClientException e) {
            throw errors.unreachable(e, "get", key);
        }
    }

    @Override
    public ObjectInfo head(String key) throws IOException {
        ObjectKeys.validate(key);
        try {
            HeadObjectResponse response = s3.headObject(HeadObjectRequest.builder()
                    .bucket(settings.bucket())
                    .key(keyPrefix + key)
                    .build());
            return info(key, response.contentLength(), response.metadata(), response.lastModified());
        } catch (S3Exception e) {
            throw errors.translate(e, "head", key);
        } catch (SdkClientException e) {
            throw errors.unreachable(e, "head", key);
        }
    }

    @Override
    public ObjectListing list(String prefix, Optional<String> startAfter, int maxKeys) throws IOException {
        ObjectKeys.validatePrefix(prefix);
        ObjectListing.checkMaxKeys(maxKeys);
        ListObjectsV2Request.Builder list = ListObjectsV2Request.builder()
                .bucket(settings.bucket())
                .prefix(keyPrefix + prefix)
                .maxKeys(maxKeys);
        startAfter.ifPresent(after -> list.startAfter(keyPrefix + after));
        try {
            ListObjectsV2Response response = s3.listObjectsV2(list.build());
            List<ObjectSummary> objects = new ArrayList<>();
            for (S3Object object : response.contents()) {
                objects.add(new ObjectSummary(
                        object.key().substring(keyPrefix.length()),
                        object.size(),
                        object.lastModified(),
                        etag(object.eTag())));
            }
            boolean more = Boolean.TRUE.equals(response.isTruncated()) && !objects.isEmpty();
            return new ObjectListing(
                    objects, more ? Optional.of(objects.getLast().key()) : Optional.empty());
        } catch (S3Exception e) {
            throw errors.translate(e, "list", prefix);
        } catch (SdkClientException e) {
            throw errors.unreachable(e, "list", prefix);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        ObjectKeys.validate(key);
        try {
            s3.deleteObject(DeleteObjectRequest.builder()
                    .bucket(settings.bucket())
                    .key(keyPrefix + key)
                    .build());
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return;
            }
            throw errors.translate(e, "delete", key);
        } catch (SdkClientException e) {
            throw errors.unreachable(e, "delete", key);
        }
    }

    @Override
    public int abortIncompleteUploads(String prefix, Instant olderThan) throws IOException {
        return multipart.abortIncomplete(prefix, olderThan);
    }

    @Override
    public Optional<Instant> retainedUntil(String key) throws IOException {
        return locks.retainedUntil(key);
    }

    @Override
    public ObjectLockStatus objectLock() throws IOException {
        return locks.status();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        try {
            bucket.emptyBodies().close();
        } finally {
            s3.close();
        }
    }

    private ObjectInfo info(String key, Long size, Map<String, String> s3Metadata, Instant lastModified)
            throws ObjectCorruptException {
        Map<String, String> metadata = new HashMap<>(s3Metadata);
        String checksum = metadata.remove(ObjectKeys.CHECKSUM_METADATA);
        if (checksum == null) {
            throw new ObjectCorruptException(
                    description,
                    key,
                    "it has no " + ObjectKeys.CHECKSUM_METADATA
                            + " metadata: it was not written by Vigil, or its metadata was lost");
        }
        try {
            return new ObjectInfo(
                    key,
                    size == null ? -1 : size,
                    Checksum.parse(checksum),
                    metadata,
                    lastModified == null ? Instant.EPOCH : lastModified);
        } catch (IllegalArgumentException e) {
            throw new ObjectCorruptException(
                    description,
                    key,
                    "its " + ObjectKeys.CHECKSUM_METADATA + " metadata is malformed: " + e.getMessage());
        }
    }

    /** An ETag without the quotes S3 puts around it; "unknown" when a server sends none. */
    private static String etag(String etag) {
        if (etag == null || etag.isEmpty()) {
            return "unknown";
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1)
                : etag;
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
            throw new ChecksumMismatchException(
                    description,
                    request.key(),
                    "computed " + actual + " over " + total + " bytes, expected " + request.checksum() + " over "
                            + length);
        }
        return base64(md5.digest());
    }

    private static InputStream openUnchecked(ObjectBody body) {
        try {
            return body.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + body.describe(), e);
        }
    }

    static MessageDigest md5() {
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
