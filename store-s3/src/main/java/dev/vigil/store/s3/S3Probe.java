package dev.vigil.store.s3;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Finds out what an S3-compatible server does with the requests Vigil's safety rests on, instead of assuming AWS: with
 * a few objects of a few bytes under {@code <prefix>/probes/s3-<random>/}, it puts a body with a wrong
 * {@code x-amz-checksum-crc32c}, one with a wrong {@code Content-MD5}, an existing key again with
 * {@code If-None-Match: *}, completes a one-part multipart upload of an existing key with {@code If-None-Match: *},
 * puts an existing key with {@code If-Match} of another version and then of its own, and puts an empty object; then
 * deletes what it wrote (where it may). A dozen requests or so. Stateless.
 */
final class S3Probe {

    private static final Logger LOG = LoggerFactory.getLogger(S3Probe.class);

    private S3Probe() {}

    static S3Capabilities run(S3Bucket bucket, Instant now) throws IOException {
        String base = bucket.keyPrefix() + "probes/s3-" + UUID.randomUUID() + "/";
        List<String> written = new ArrayList<>();
        try {
            Replace replace = conditionalReplace(bucket, base + "conditional-replace", written);
            S3Capabilities found = new S3Capabilities(
                    server(bucket),
                    now,
                    refused(bucket, base + "checksum-header", written, Wrong.CHECKSUM_HEADER),
                    refused(bucket, base + "content-md5", written, Wrong.CONTENT_MD5),
                    conditionalPut(bucket, base + "conditional-put", written),
                    conditionalComplete(bucket, base + "conditional-complete", written),
                    replace.honoured(),
                    replace.unquoted(),
                    emptyObject(bucket, base + "empty", written));
            LOG.info("{}: probed what the server guarantees: {}", bucket.description(), found);
            return found;
        } catch (S3Exception e) {
            throw bucket.errors()
                    .translate(
                            e, "probe (put)", base.substring(bucket.keyPrefix().length()));
        } catch (SdkClientException e) {
            throw bucket.errors()
                    .unreachable(e, "probe", base.substring(bucket.keyPrefix().length()));
        } finally {
            for (String key : written) {
                try {
                    bucket.s3().deleteObject(d -> d.bucket(bucket.bucket()).key(key));
                } catch (S3Exception | SdkClientException e) {
                    // A bucket with Object Lock, or no delete permission: a few bytes stay under probes/.
                }
            }
        }
    }

    /** The endpoint and bucket, which a cached probe must match. */
    static String server(S3Bucket bucket) {
        return bucket.settings()
                        .endpoint()
                        .map(Object::toString)
                        .orElse("aws:" + bucket.settings().region()) + "/" + bucket.bucket();
    }

    private enum Wrong {
        CHECKSUM_HEADER,
        CONTENT_MD5
    }

    private static final byte[] BODY = "vigil probe".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER = "something else".getBytes(StandardCharsets.US_ASCII);

    /** A put whose integrity header describes other bytes: refused (400) is what Vigil needs. */
    private static S3Capabilities.Answer refused(S3Bucket bucket, String key, List<String> written, Wrong wrong) {
        PutObjectRequest.Builder put =
                PutObjectRequest.builder().bucket(bucket.bucket()).key(key).contentLength((long) BODY.length);
        if (wrong == Wrong.CHECKSUM_HEADER) {
            put.checksumCRC32C(Checksum.of(ChecksumAlgorithm.CRC32C, OTHER).base64());
        } else {
            put.contentMD5(md5(OTHER));
        }
        try {
            bucket.s3().putObject(put.build(), RequestBody.fromBytes(BODY));
            written.add(key);
            return new S3Capabilities.Answer(false, "stored, HTTP 200");
        } catch (S3Exception e) {
            return new S3Capabilities.Answer(e.statusCode() == 400, reply(e));
        }
    }

    private static S3Capabilities.Answer conditionalPut(S3Bucket bucket, String key, List<String> written) {
        plainPut(bucket, key, BODY);
        written.add(key);
        try {
            bucket.s3()
                    .putObject(
                            p -> p.bucket(bucket.bucket())
                                    .key(key)
                                    .ifNoneMatch("*")
                                    .contentMD5(md5(OTHER)), // a bucket with default retention requires it
                            RequestBody.fromBytes(OTHER));
            return new S3Capabilities.Answer(false, "replaced, HTTP 200");
        } catch (S3Exception e) {
            return new S3Capabilities.Answer(preconditionFailed(e), reply(e));
        }
    }

    private static S3Capabilities.Answer conditionalComplete(S3Bucket bucket, String key, List<String> written) {
        plainPut(bucket, key, BODY);
        written.add(key);
        String uploadId = bucket.s3()
                .createMultipartUpload(c -> c.bucket(bucket.bucket()).key(key))
                .uploadId();
        boolean settled = false;
        try {
            String etag = bucket.s3()
                    .uploadPart(
                            u -> u.bucket(bucket.bucket())
                                    .key(key)
                                    .uploadId(uploadId)
                                    .partNumber(1),
                            RequestBody.fromBytes(OTHER))
                    .eTag();
            bucket.s3()
                    .completeMultipartUpload(c -> c.bucket(bucket.bucket())
                            .key(key)
                            .uploadId(uploadId)
                            .ifNoneMatch("*")
                            .multipartUpload(m -> m.parts(CompletedPart.builder()
                                    .partNumber(1)
                                    .eTag(etag)
                                    .build())));
            settled = true;
            return new S3Capabilities.Answer(false, "replaced, HTTP 200");
        } catch (S3Exception e) {
            if (!preconditionFailed(e)) {
                return new S3Capabilities.Answer(false, reply(e));
            }
            // Refused: but is the existing object still there, unchanged, once the refused upload is aborted as Vigil
            // aborts it? (S3Mock 5.2 answers 412, then deletes the existing object with the aborted upload.)
            abort(bucket, key, uploadId);
            settled = true;
            return intact(bucket, key)
                    ? new S3Capabilities.Answer(true, reply(e))
                    : new S3Capabilities.Answer(
                            false, reply(e) + ", but aborting the refused upload lost the existing object");
        } finally {
            if (!settled) {
                abort(bucket, key, uploadId);
            }
        }
    }

    private static void abort(S3Bucket bucket, String key, String uploadId) {
        try {
            bucket.s3()
                    .abortMultipartUpload(
                            a -> a.bucket(bucket.bucket()).key(key).uploadId(uploadId));
        } catch (S3Exception | SdkClientException e) {
            // swept later by the stale-upload sweep
        }
    }

    /** Whether {@code key} still holds {@link #BODY}. */
    private static boolean intact(S3Bucket bucket, String key) {
        try {
            byte[] stored = bucket.s3()
                    .getObjectAsBytes(g -> g.bucket(bucket.bucket()).key(key))
                    .asByteArray();
            return java.util.Arrays.equals(stored, BODY);
        } catch (S3Exception e) {
            return false;
        }
    }

    private static S3Capabilities.Answer emptyObject(S3Bucket bucket, String key, List<String> written) {
        try {
            bucket.emptyBodies()
                    .get()
                    .putObject(
                            p -> p.bucket(bucket.bucket()).key(key).contentMD5(md5(new byte[0])),
                            RequestBody.fromBytes(new byte[0]));
            written.add(key);
            return new S3Capabilities.Answer(true, "stored");
        } catch (S3Exception e) {
            return new S3Capabilities.Answer(false, reply(e));
        }
    }

    /** Whether {@code If-Match} on a put is honoured, and whether only with the ETag unquoted. */
    private record Replace(S3Capabilities.Answer honoured, S3Capabilities.Answer unquoted) {}

    /**
     * A put with {@code If-Match} of another version must be refused (412), and one with the object's own ETag stored:
     * as the ETag was returned (quoted, as HTTP has it), or else unquoted (Ceph RGW Pacific matches only that).
     */
    private static Replace conditionalReplace(S3Bucket bucket, String key, List<String> written) {
        String etag = plainPut(bucket, key, BODY);
        written.add(key);
        S3Capabilities.Answer quoted = new S3Capabilities.Answer(false, "quoted ETags match");
        try {
            ifMatchPut(bucket, key, "\"0123456789abcdef0123456789abcdef\"");
            return new Replace(
                    new S3Capabilities.Answer(false, "replaced although another version was named, HTTP 200"), quoted);
        } catch (S3Exception e) {
            if (!preconditionFailed(e)) {
                return new Replace(new S3Capabilities.Answer(false, reply(e)), quoted);
            }
        }
        try {
            ifMatchPut(bucket, key, etag);
            return new Replace(new S3Capabilities.Answer(true, "HTTP 412, then HTTP 200 with its own ETag"), quoted);
        } catch (S3Exception e) {
            if (!preconditionFailed(e)) {
                return new Replace(new S3Capabilities.Answer(false, "HTTP 412, then " + reply(e)), quoted);
            }
        }
        try {
            ifMatchPut(bucket, key, S3Capabilities.unquoted(etag));
            return new Replace(
                    new S3Capabilities.Answer(true, "HTTP 412, then HTTP 200 with its own ETag unquoted"),
                    new S3Capabilities.Answer(true, "only unquoted ETags match (a quoted one: HTTP 412)"));
        } catch (S3Exception e) {
            return new Replace(
                    new S3Capabilities.Answer(false, "HTTP 412, but with its own ETag too: " + reply(e)), quoted);
        }
    }

    private static void ifMatchPut(S3Bucket bucket, String key, String etag) {
        bucket.s3()
                .putObject(
                        p -> p.bucket(bucket.bucket()).key(key).ifMatch(etag).contentMD5(md5(OTHER)),
                        RequestBody.fromBytes(OTHER));
    }

    private static String plainPut(S3Bucket bucket, String key, byte[] body) {
        return bucket.s3()
                .putObject(p -> p.bucket(bucket.bucket()).key(key).contentMD5(md5(body)), RequestBody.fromBytes(body))
                .eTag();
    }

    private static String md5(byte[] bytes) {
        return Base64.getEncoder().encodeToString(S3ObjectStore.md5().digest(bytes));
    }

    /** 412, or 409 (AWS: a conditional write racing another). */
    private static boolean preconditionFailed(S3Exception e) {
        return e.statusCode() == 412 || e.statusCode() == 409;
    }

    private static String reply(S3Exception e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return "HTTP " + e.statusCode() + (code == null || code.isBlank() ? "" : " " + code);
    }
}
