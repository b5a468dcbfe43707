package dev.vigil.testkit.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStoreException;
import dev.vigil.store.s3.S3Stores;
import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.UsingS3;
import java.time.Clock;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The contract against S3Proxy: verifies SigV4 signatures, stores no checksums of its own. */
@UsingS3(S3ServerKind.S3PROXY)
class S3ObjectStoreOnS3ProxyTest extends S3ObjectStoreContract {

    @Test
    void wrongCredentialsAreReportedOnceClearlyAndNotAsRetryable() throws Exception {
        try (ObjectStore store = S3Stores.open(
                settings(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("vigil-test", "wrong-secret")),
                Clock.systemUTC())) {
            assertThatThrownBy(() -> store.head("anything"))
                    .isInstanceOfSatisfying(
                            ObjectStoreException.class,
                            e -> Assertions.assertThat(e.retryable()).isFalse())
                    .hasMessageContaining("HTTP 403")
                    .hasMessageContaining("check the credentials");
        }
    }
}
