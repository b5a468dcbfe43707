package dev.vigil.store.s3;

import dev.vigil.core.store.ObjectKeys;
import dev.vigil.core.store.ObjectLockStatus;
import dev.vigil.core.store.ObjectStoreException;
import dev.vigil.core.store.RetentionLock;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.GetObjectLockConfigurationRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3 Object Lock: the bucket's configuration, an object's retain-until date (from HEAD, else GetObjectRetention, where
 * the server has it), and the confirmation that a locked put really is locked. Thread safe.
 */
final class S3ObjectLocks {

    private final S3Bucket bucket;

    S3ObjectLocks(S3Bucket bucket) {
        this.bucket = bucket;
    }

    Optional<Instant> retainedUntil(String key) throws IOException {
        ObjectKeys.validate(key);
        try {
            HeadObjectResponse head = bucket.s3()
                    .headObject(HeadObjectRequest.builder()
                            .bucket(bucket.bucket())
                            .key(bucket.keyPrefix() + key)
                            .build());
            if (head.objectLockRetainUntilDate() != null) {
                return Optional.of(head.objectLockRetainUntilDate());
            }
            // HEAD shows the date only to callers allowed s3:GetObjectRetention, and some servers never show it.
            try {
                var retention = bucket.s3()
                        .getObjectRetention(b -> b.bucket(bucket.bucket()).key(bucket.keyPrefix() + key))
                        .retention();
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
            String code =
                    e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if ("NoSuchObjectLockConfiguration".equals(code)
                    || "InvalidRequest".equals(code)
                    || (e.statusCode() == 404 && !"NoSuchKey".equals(code) && !"NoSuchBucket".equals(code))) {
                return Optional.empty(); // no retention on this object, or no Object Lock on this bucket
            }
            throw bucket.errors().translate(e, "read the Object Lock retention of", key);
        } catch (SdkClientException e) {
            throw bucket.errors().unreachable(e, "read the Object Lock retention of", key);
        }
    }

    /**
     * Reads back the lock a put asked for, and sets it explicitly when the server kept the object but dropped the
     * lock headers (S3Mock does); fails when the object still is not locked, because an archive that is believed
     * to be locked and is not is worse than one known to be unlocked.
     */
    void confirm(String key, RetentionLock lock) throws IOException {
        Optional<Instant> until = retainedUntil(key);
        // A lock's date is whole seconds (RetentionLock), as S3 keeps it, so the dates compare exactly.
        if (until.isPresent() && !until.get().isBefore(lock.until())) {
            return;
        }
        try {
            bucket.s3()
                    .putObjectRetention(b -> b.bucket(bucket.bucket())
                            .key(bucket.keyPrefix() + key)
                            .retention(r -> r.mode(mode(lock).toString()).retainUntilDate(lock.until())));
        } catch (S3Exception e) {
            throw new ObjectStoreException(
                    bucket.description() + ": " + key + " was stored but its Object Lock could not be set"
                            + " (HTTP " + e.statusCode() + ": " + e.getMessage()
                            + "); check that the bucket has Object Lock enabled"
                            + " and that Vigil may s3:PutObjectRetention",
                    false,
                    e);
        }
        Optional<Instant> confirmed = retainedUntil(key);
        if (confirmed.isEmpty() || confirmed.get().isBefore(lock.until())) {
            throw new ObjectStoreException(
                    bucket.description() + ": " + key + " was stored, but the server reports its Object Lock"
                            + " retained until "
                            + confirmed.map(Instant::toString).orElse("(none)") + " instead of " + lock.until()
                            + "; this store does not keep Object Lock: set retention.object-lock: false or use one that does",
                    false,
                    null);
        }
    }

    static ObjectLockMode mode(RetentionLock lock) {
        return lock.mode() == RetentionLock.Mode.COMPLIANCE ? ObjectLockMode.COMPLIANCE : ObjectLockMode.GOVERNANCE;
    }

    ObjectLockStatus status() throws IOException {
        try {
            var configuration = bucket.s3()
                    .getObjectLockConfiguration(GetObjectLockConfigurationRequest.builder()
                            .bucket(bucket.bucket())
                            .build())
                    .objectLockConfiguration();
            boolean enabled = configuration != null && configuration.objectLockEnabled() == ObjectLockEnabled.ENABLED;
            if (!enabled) {
                return new ObjectLockStatus(true, false, "Object Lock is not enabled on bucket " + bucket.bucket());
            }
            var rule =
                    configuration.rule() == null ? null : configuration.rule().defaultRetention();
            return new ObjectLockStatus(
                    true,
                    true,
                    "Object Lock enabled on bucket " + bucket.bucket()
                            + (rule == null
                                    ? ", no default retention"
                                    : ", default retention " + rule.modeAsString() + " "
                                            + (rule.days() != null ? rule.days() + " days" : rule.years() + " years")));
        } catch (S3Exception e) {
            String code =
                    e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if ("ObjectLockConfigurationNotFoundError".equals(code)
                    || (e.statusCode() == 404 && !"NoSuchBucket".equals(code))) {
                return new ObjectLockStatus(true, false, "Object Lock is not enabled on bucket " + bucket.bucket());
            }
            if (e.statusCode() == 403) {
                return new ObjectLockStatus(
                        true,
                        false,
                        "unknown: reading bucket " + bucket.bucket() + "'s Object Lock"
                                + " configuration was refused (HTTP 403; grant s3:GetBucketObjectLockConfiguration)");
            }
            if (e.statusCode() == 400 && "InvalidRequest".equals(code)) {
                // S3Mock answers so for a bucket created without Object Lock.
                return new ObjectLockStatus(
                        true,
                        false,
                        "Object Lock is not enabled on bucket " + bucket.bucket()
                                + " (the server answered HTTP 400 InvalidRequest)");
            }
            if (e.statusCode() == 501 || e.statusCode() == 400 || e.statusCode() == 405) {
                return ObjectLockStatus.unavailable(bucket.description() + " does not support Object Lock (HTTP "
                        + e.statusCode() + (code == null ? "" : " " + code) + ")");
            }
            throw bucket.errors().translate(e, "get the Object Lock configuration of", bucket.bucket());
        } catch (SdkClientException e) {
            throw bucket.errors().unreachable(e, "get the Object Lock configuration of", bucket.bucket());
        }
    }
}
