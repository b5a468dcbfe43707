package dev.vigil.core.store;

import java.util.Optional;

/**
 * What S3 is asked to do to every object Vigil stores, on the server's side, in addition to (never instead of) the
 * client-side encryption of {@code encryption:}: nothing, SSE-S3 (AES256 under S3's keys), or SSE-KMS under a key,
 * optionally with an S3 Bucket Key (fewer KMS requests). Every put checks the answer: an object the server stored
 * without the encryption asked for is an error, never counted as stored.
 *
 * @param kmsKeyId  the KMS key of SSE-KMS; empty for the bucket's default KMS key (and for the other modes)
 * @param bucketKey with SSE-KMS, whether S3 uses a bucket key
 */
public record S3ServerSideEncryption(Mode mode, Optional<String> kmsKeyId, boolean bucketKey) {

    /** What S3 applies. */
    public enum Mode {
        NONE,
        SSE_S3,
        SSE_KMS
    }

    /** Nothing asked of the server. */
    public static final S3ServerSideEncryption NONE = new S3ServerSideEncryption(Mode.NONE, Optional.empty(), false);

    public S3ServerSideEncryption {
        if (mode != Mode.SSE_KMS && (kmsKeyId.isPresent() || bucketKey)) {
            throw new IllegalArgumentException("a KMS key id and a bucket key are for SSE-KMS only");
        }
    }

    /** For messages: {@code SSE-KMS (key arn:..., bucket key)}. */
    public String describe() {
        return switch (mode) {
            case NONE -> "none";
            case SSE_S3 -> "SSE-S3 (AES256)";
            case SSE_KMS ->
                "SSE-KMS (" + kmsKeyId.map(k -> "key " + k).orElse("the bucket's default KMS key")
                        + (bucketKey ? ", bucket key" : "") + ")";
        };
    }
}
