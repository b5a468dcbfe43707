package dev.vigil.testkit.s3;

import java.util.EnumSet;
import java.util.Locale;
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
    /**
     * Whatever {@code VIGIL_TEST_S3_ENDPOINT} points at: a full S3 implementation but for what
     * {@code VIGIL_TEST_S3_LACKS} declares (capabilities in lower case with hyphens, comma-separated, e.g. Ceph RGW
     * Pacific's {@code validates-checksum-header,conditional-complete,part-number-get}).
     */
    EXTERNAL;

    /** The environment variable that declares what an external endpoint lacks. */
    public static final String LACKS_VARIABLE = "VIGIL_TEST_S3_LACKS";

    /** Features S3-compatible servers differ on. */
    public enum Capability {
        STORES_CHECKSUMS,
        /** A put whose checksum header does not match its body is refused (moto and Ceph RGW store it anyway). */
        VALIDATES_CHECKSUM_HEADER,
        /** A put whose Content-MD5 does not match its body is refused (moto stores it anyway). */
        VALIDATES_CONTENT_MD5,
        /**
         * Completing a multipart upload with {@code If-None-Match: *} fails on an existing key (Ceph RGW Pacific
         * replaces the object).
         */
        CONDITIONAL_COMPLETE,
        VERIFIES_SIGNATURES,
        PART_NUMBER_GET,
        OBJECT_LOCK,
        /**
         * {@code If-None-Match: *} is honoured on a bucket with Object Lock (so versioning) too; Ceph RGW Pacific
         * ignores it there and stores a new version.
         */
        CONDITIONAL_PUT_WITH_OBJECT_LOCK,
        /**
         * Concurrent {@code If-None-Match: *} PUTs of one key have exactly one winner. S3Mock 5.2.0 checks and
         * then writes: in a probe of 100 races of 6 writers, 55 had several winners.
         */
        ATOMIC_CONDITIONAL_WRITES,
        /**
         * Concurrent {@code If-Match} PUTs of one version have exactly one winner. S3Proxy 2.x honours If-Match but
         * checks and then writes: 3 of 6 concurrent writers won in a probe.
         */
        ATOMIC_CONDITIONAL_REPLACEMENTS
    }

    public boolean has(Capability capability) {
        if (this == EXTERNAL && declaredLacking().contains(capability)) {
            return false;
        }
        return capabilities().contains(capability);
    }

    /** Whether a put with a wrong checksum, of the kind Vigil sends to this server by default, is refused. */
    public boolean refusesDamagedPuts() {
        return has(Capability.VALIDATES_CHECKSUM_HEADER) || has(Capability.VALIDATES_CONTENT_MD5);
    }

    private static Set<Capability> declaredLacking() {
        String lacks = System.getenv(LACKS_VARIABLE);
        if (lacks == null || lacks.isBlank()) {
            return Set.of();
        }
        Set<Capability> declared = EnumSet.noneOf(Capability.class);
        for (String name : lacks.split(",", -1)) {
            String trimmed = name.trim();
            if (!trimmed.isEmpty()) {
                try {
                    declared.add(
                            Capability.valueOf(trimmed.toUpperCase(Locale.ROOT).replace('-', '_')));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(
                            LACKS_VARIABLE + " names '" + trimmed + "', which is not one of "
                                    + java.util.Arrays.toString(Capability.values()) + " (lower case with hyphens)",
                            e);
                }
            }
        }
        return declared;
    }

    private Set<Capability> capabilities() {
        return switch (this) {
            case DEFAULT -> Set.of();
            case S3MOCK ->
                // It refuses a conditional complete (412), but aborting the refused upload deletes the existing object.
                Set.of(
                        Capability.STORES_CHECKSUMS,
                        Capability.VALIDATES_CHECKSUM_HEADER,
                        Capability.VALIDATES_CONTENT_MD5,
                        Capability.PART_NUMBER_GET);
            case S3PROXY ->
                Set.of(
                        Capability.VERIFIES_SIGNATURES,
                        Capability.VALIDATES_CHECKSUM_HEADER,
                        Capability.VALIDATES_CONTENT_MD5,
                        Capability.CONDITIONAL_COMPLETE,
                        Capability.ATOMIC_CONDITIONAL_WRITES);
            case MINIO ->
                Set.of(
                        Capability.STORES_CHECKSUMS,
                        Capability.VALIDATES_CHECKSUM_HEADER,
                        Capability.VALIDATES_CONTENT_MD5,
                        Capability.CONDITIONAL_COMPLETE,
                        Capability.VERIFIES_SIGNATURES,
                        Capability.PART_NUMBER_GET,
                        Capability.OBJECT_LOCK,
                        Capability.CONDITIONAL_PUT_WITH_OBJECT_LOCK,
                        Capability.ATOMIC_CONDITIONAL_WRITES,
                        Capability.ATOMIC_CONDITIONAL_REPLACEMENTS);
            case MOTO ->
                Set.of(
                        Capability.OBJECT_LOCK,
                        Capability.CONDITIONAL_PUT_WITH_OBJECT_LOCK,
                        Capability.CONDITIONAL_COMPLETE,
                        Capability.ATOMIC_CONDITIONAL_WRITES,
                        Capability.ATOMIC_CONDITIONAL_REPLACEMENTS);
            case EXTERNAL ->
                Set.of(
                        Capability.OBJECT_LOCK,
                        Capability.CONDITIONAL_PUT_WITH_OBJECT_LOCK,
                        Capability.STORES_CHECKSUMS,
                        Capability.VALIDATES_CHECKSUM_HEADER,
                        Capability.VALIDATES_CONTENT_MD5,
                        Capability.CONDITIONAL_COMPLETE,
                        Capability.VERIFIES_SIGNATURES,
                        Capability.PART_NUMBER_GET,
                        Capability.ATOMIC_CONDITIONAL_WRITES,
                        Capability.ATOMIC_CONDITIONAL_REPLACEMENTS);
        };
    }
}
