package dev.vigil.cli;

import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.UsingS3;

@UsingS3(S3ServerKind.S3MOCK)
class S3EndToEndOnS3MockTest extends S3EndToEndContract {}
