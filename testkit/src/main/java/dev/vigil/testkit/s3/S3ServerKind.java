package dev.vigil.testkit.s3;

import java.util.Set;

/**
 * The S3 servers tests can run against, with what each does and does not do (see {@code docs/testing.md}).
 * {@link #DEFAULT} picks the best available: an external endpoint named by {@code VIGIL_TEST_S3_ENDPOINT},
 * else MinIO when a Docker engine is reachable, else S3Mock.
 */
public enum S3ServerKind {
    DEFAULT,
    /** Adobe S3Mock, run from its {@code exec} jar: stores checksums, full multipart, no authentication. */
    S3MOCK,
    /** S3Proxy with its in-memory backend, run from its standalone jar: verifies SigV4, stores no checksums. */
    S3PROXY,
    /** MinIO in a container (needs Docker): the closest to AWS, including Object Lock. */
    MINIO,
    /**
     * moto's server ({@code python3 -m moto.server}), where Python has moto: Object Lock (dates kept, not enforced),
     * atomic conditional writes; it neither validates checksums on ingest nor stores them.
     */
    MOTO,
    /** Whatever {@code VIGIL_TEST_S3_ENDPOINT} points at; assumed to be a full S3 implementation. */
    EXTERNAL;

    /** Features S3-compatible servers differ on. */
    public enum Capability {
        STORES_CHECKSUMS,
        /** A put whose checksum header does not match its body is refused (moto stores it anyway). */
        VALIDATES_CHECKSUMS,
        VERIFIES_SIGNATURES,
        PART_NUMBER_GET,
        OBJECT_LOCK,
        /**
         * Concurrent {@code If-None-Match: *} PUTs of one key have exactly one winner. S3Mock 5.2.0 checks and
         * then writes: in a probe of 100 races of 6 writers, 55 had several winners.
         */
        ATOMIC_CONDITIONAL_WRITES
    }

    public boolean has(Capability capability) {
        return capabilities().contains(capability);
    }

    private Set<Capability> capabilities() {
        return switch (this) {
            case DEFAULT -> Set.of();
            case S3MOCK ->
                Set.of(Capability.STORES_CHECKSUMS, Capability.VALIDATES_CHECKSUMS, Capability.PART_NUMBER_GET);
            case S3PROXY ->
                Set.of(
                        Capability.VERIFIES_SIGNATURES,
                        Capability.VALIDATES_CHECKSUMS,
                        Capability.ATOMIC_CONDITIONAL_WRITES);
            case MINIO ->
                Set.of(
                        Capability.STORES_CHECKSUMS,
                        Capability.VALIDATES_CHECKSUMS,
                        Capability.VERIFIES_SIGNATURES,
                        Capability.PART_NUMBER_GET,
                        Capability.OBJECT_LOCK,
                        Capability.ATOMIC_CONDITIONAL_WRITES);
            case MOTO -> Set.of(Capability.OBJECT_LOCK, Capability.ATOMIC_CONDITIONAL_WRITES);
            case EXTERNAL ->
                Set.of(
                        Capability.STORES_CHECKSUMS,
                        Capability.VALIDATES_CHECKSUMS,
                        Capability.VERIFIES_SIGNATURES,
                        Capability.PART_NUMBER_GET,
                        Capability.ATOMIC_CONDITIONAL_WRITES);
        };
    }
}
