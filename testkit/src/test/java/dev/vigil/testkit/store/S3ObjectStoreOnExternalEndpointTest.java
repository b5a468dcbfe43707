package dev.vigil.testkit.store;

import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.UsingS3;

/** The contract against the endpoint named by VIGIL_TEST_S3_ENDPOINT; skipped when it is not set. */
@UsingS3(S3ServerKind.EXTERNAL)
class S3ObjectStoreOnExternalEndpointTest extends S3ObjectStoreContract {}
