package dev.vigil.restore;

import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.UsingS3;

/** Skipped where {@code python3 -m moto.server} is not available. */
@UsingS3(S3ServerKind.MOTO)
class ObjectLockOnMotoTest extends ObjectLockContract {}
