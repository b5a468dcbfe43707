package dev.vigil.cli;

import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.UsingS3;

@UsingS3(S3ServerKind.S3PROXY)
class S3EndToEndOnS3ProxyTest extends S3EndToEndContract {}
