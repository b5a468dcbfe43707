package dev.vigil.restore;

import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.UsingS3;

@UsingS3(S3ServerKind.S3MOCK)
class ObjectLockOnS3MockTest extends ObjectLockContract {}
