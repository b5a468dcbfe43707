package dev.vigil.cli;

import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.UsingS3;

/**
 * The commands against the endpoint named by {@code VIGIL_TEST_S3_ENDPOINT} (Ceph RGW from
 * {@code scripts/ceph-rgw.sh}, for example); skipped when it is not set.
 */
@UsingS3(S3ServerKind.EXTERNAL)
class S3EndToEndOnExternalEndpointTest extends S3EndToEndContract {}
