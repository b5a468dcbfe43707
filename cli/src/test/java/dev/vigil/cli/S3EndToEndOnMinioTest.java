package dev.vigil.cli;

import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.UsingS3;

@UsingS3(S3ServerKind.MINIO)
class S3EndToEndOnMinioTest extends S3EndToEndContract {}
