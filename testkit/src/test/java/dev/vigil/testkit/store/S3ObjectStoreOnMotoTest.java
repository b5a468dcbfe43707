package dev.vigil.testkit.store;

import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.UsingS3;

/** The contract against moto's server (skipped where {@code python3 -m moto.server} is not available). */
@UsingS3(S3ServerKind.MOTO)
class S3ObjectStoreOnMotoTest extends S3ObjectStoreContract {}
