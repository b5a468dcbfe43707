package dev.vigil.core.store;

/**
 * How a put proves its bytes to an S3-compatible server, which rejects the upload if they do not match.
 * S3-compatible stores differ here, which is why it is configurable.
 */
public enum S3Integrity {
    /**
     * What the server validates, as probed ({@link StoreGuarantees}): checksum headers where it checks them, else
     * {@code Content-MD5} where it checks that; no writes where it checks neither. The default.
     */
    AUTO,
    /** {@code x-amz-checksum-crc32c} (or {@code -sha256}) with the caller's checksum: AWS, MinIO, S3Mock, S3Proxy. */
    CHECKSUM_HEADER,
    /** {@code Content-MD5}, computed from the body after checking it against the caller's checksum: the oldest, most widely supported. */
    CONTENT_MD5
}
