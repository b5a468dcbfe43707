package dev.vigil.cli;

import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.UsingS3;

@UsingS3(S3ServerKind.MOTO)
class S3EndToEndOnMotoTest extends S3EndToEndContract {}
