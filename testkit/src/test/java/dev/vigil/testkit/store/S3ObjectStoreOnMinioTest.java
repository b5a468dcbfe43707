package dev.vigil.testkit.store;

import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.UsingS3;

/** The contract against MinIO; skipped where no Docker engine is reachable (as on CI). */
@UsingS3(S3ServerKind.MINIO)
class S3ObjectStoreOnMinioTest extends S3ObjectStoreContract {}
