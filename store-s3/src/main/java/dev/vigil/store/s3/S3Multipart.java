package dev.vigil.store.s3;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.checksum.Hasher;
import dev.vigil.core.store.ChecksumMismatchException;
import dev.vigil.core.store.ObjectKeys;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.store.S3Integrity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Multipart uploads: a large object goes up in parts, each read once into one reused buffer of the part size,
 * checksummed over that buffer and sent from it (no copy), validated by the server; the whole body is checked against
 * the caller's checksum before the upload is completed, and the upload is aborted on any failure, so no partial object
 * ever becomes visible. Also aborts the incomplete uploads a crash left behind. Thread safe (one buffer per upload).
 */
final class S3Multipart {

    private final S3Bucket bucket;

    S3Multipart(S3Bucket bucket) {
        this.bucket = bucket;
    }

    void put(PutRequest request, Map<String, String> metadata, S3Integrity integrity) throws IOException {
        String s3Key = bucket.keyPrefix() + request.key();
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder()
                .bucket(bucket.bucket())
                .key(s3Key)
                .metadata(metadata);
        request.lock()
                .ifPresent(lock ->
                        create.objectLockMode(S3ObjectLocks.mode(lock)).objectLockRetainUntilDate(lock.until()));
        if (integrity == S3Integrity.CHECKSUM_HEADER) {
            create.checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32_C);
        }
        S3ServerSide.ask(bucket.settings().serverSide(), create);
        CreateMultipartUploadResponse created = bucket.s3().createMultipartUpload(create.build());
        String uploadId = created.uploadId();
        boolean completed = false;
        try {
            S3ServerSide.check(
                    bucket.settings().serverSide(),
                    bucket.description() + "/" + request.key(),
                    created.serverSideEncryption(),
                    created.ssekmsKeyId());
            List<CompletedPart> parts = new ArrayList<>();
            Hasher whole = request.checksum().algorithm().newHasher();
            byte[] buffer = new byte[bucket.settings().partSize()];
            long total = 0;
            try (InputStream body = request.body().open()) {
                for (int partNumber = 1; ; partNumber++) {
                    int filled = body.readNBytes(buffer, 0, buffer.length);
                    if (filled == 0 && partNumber > 1) {
                        break;
                    }
                    whole.update(buffer, 0, filled);
                    total += filled;
                    parts.add(uploadPart(s3Key, uploadId, partNumber, buffer, filled, integrity));
                    if (filled < buffer.length) {
                        break;
                    }
                }
            }
            Checksum actual = whole.finish();
            if (total != request.body().length() || !actual.equals(request.checksum())) {
                throw new ChecksumMismatchException(
                        bucket.description(),
                        request.key(),
                        "computed " + actual + " over " + total + " bytes, expected " + request.checksum() + " over "
                                + request.body().length());
            }
            CompleteMultipartUploadRequest.Builder complete = CompleteMultipartUploadRequest.builder()
                    .bucket(bucket.bucket())
                    .key(s3Key)
                    .uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts));
            if (request.ifAbsent()) {
                complete.ifNoneMatch("*");
            }
            bucket.s3().completeMultipartUpload(complete.build());
            completed = true;
        } finally {
            if (!completed) {
                abortQuietly(s3Key, uploadId);
            }
        }
    }

    private CompletedPart uploadPart(
            String s3Key, String uploadId, int partNumber, byte[] buffer, int length, S3Integrity integrity)
            throws IOException {
        UploadPartRequest.Builder part = UploadPartRequest.builder()
                .bucket(bucket.bucket())
                .key(s3Key)
                .uploadId(uploadId)
                .partNumber(partNumber)
                .contentLength((long) length);
        CompletedPart.Builder done = CompletedPart.builder().partNumber(partNumber);
        if (integrity == S3Integrity.CONTENT_MD5) {
            MessageDigest md5 = S3ObjectStore.md5();
            md5.update(buffer, 0, length);
            part.contentMD5(Base64.getEncoder().encodeToString(md5.digest()));
        } else {
            Hasher hasher = ChecksumAlgorithm.CRC32C.newHasher();
            hasher.update(buffer, 0, length);
            String crc = hasher.finish().base64();
            part.checksumCRC32C(crc);
            done.checksumCRC32C(crc);
        }
        String etag = bucket.s3()
                .uploadPart(
                        part.build(),
                        RequestBody.fromContentProvider(
                                () -> new ByteArrayInputStream(buffer, 0, length), length, "application/octet-stream"))
                .eTag();
        return done.eTag(etag).build();
    }

    private void abortQuietly(String s3Key, String uploadId) {
        try {
            bucket.s3()
                    .abortMultipartUpload(AbortMultipartUploadRequest.builder()
                            .bucket(bucket.bucket())
                            .key(s3Key)
                            .uploadId(uploadId)
                            .build());
        } catch (SdkException e) {
            // Best effort: an upload left behind is invisible to readers and is aborted by the stale-upload sweep.
        }
    }

    int abortIncomplete(String prefix, Instant olderThan) throws IOException {
        ObjectKeys.validatePrefix(prefix);
        int aborted = 0;
        String keyMarker = null;
        String uploadIdMarker = null;
        try {
            while (true) {
                ListMultipartUploadsRequest.Builder list = ListMultipartUploadsRequest.builder()
                        .bucket(bucket.bucket())
                        .prefix(bucket.keyPrefix() + prefix);
                if (keyMarker != null) {
                    list.keyMarker(keyMarker).uploadIdMarker(uploadIdMarker);
                }
                ListMultipartUploadsResponse response = bucket.s3().listMultipartUploads(list.build());
                for (MultipartUpload upload : response.uploads()) {
                    if (upload.initiated() != null && upload.initiated().isBefore(olderThan)) {
                        bucket.s3()
                                .abortMultipartUpload(AbortMultipartUploadRequest.builder()
                                        .bucket(bucket.bucket())
                                        .key(upload.key())
                                        .uploadId(upload.uploadId())
                                        .build());
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
            throw bucket.errors().translate(e, "abort incomplete uploads under", prefix.isEmpty() ? "(all)" : prefix);
        } catch (SdkClientException e) {
            throw bucket.errors().unreachable(e, "abort incomplete uploads under", prefix);
        }
    }
}
