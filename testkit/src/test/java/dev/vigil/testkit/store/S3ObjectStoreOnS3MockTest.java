package dev.vigil.testkit.store;

import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.UsingS3;

/** The contract against Adobe S3Mock: stores and returns checksums, full multipart, no authentication. */
@UsingS3(S3ServerKind.S3MOCK)
class S3ObjectStoreOnS3MockTest extends S3ObjectStoreContract {}
