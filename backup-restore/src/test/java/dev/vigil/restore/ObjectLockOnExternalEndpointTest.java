package dev.vigil.restore;

import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.UsingS3;

/**
 * Against the endpoint named by {@code VIGIL_TEST_S3_ENDPOINT} (Ceph RGW from {@code scripts/ceph-rgw.sh}, which
 * enforces governance locks); skipped when it is not set, or when {@code VIGIL_TEST_S3_LACKS} says object-lock.
 */
@UsingS3(S3ServerKind.EXTERNAL)
class ObjectLockOnExternalEndpointTest extends ObjectLockContract {}
