package dev.vigil.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.store.ObjectStore;
import dev.vigil.testkit.s3.S3Endpoint;
import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.UsingS3;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restore from a real S3 server (S3Proxy checks signatures and checksums): snapshot plus WAL tail. */
@UsingS3(S3ServerKind.S3PROXY)
class RestoreOnS3Test {

    @TempDir
    Path dir;

    @Test
    void aRestoreFromS3StartsAtTheSnapshotAndEqualsTheGroupsState(S3Endpoint endpoint) throws Exception {
        try (ObjectStore store = endpoint.openStore("vigil");
                RestoreFixture fixture = new RestoreFixture(dir, store)) {
            fixture.archive(6, 100);
            fixture.snapshotAt(300);
            RestoreResult result = fixture.restorer()
                    .restore(
                            new RestoreRequest(
                                    fixture.group.partition(),
                                    new RestoreTarget.ToLsn(555),
                                    dir.resolve("restored"),
                                    RestoreFormat.ROCKSDB,
                                    false),
                            RestoreProgress.SILENT);
            assertThat(result.verified()).isTrue();
            assertThat(result.snapshotLsn()).contains(300L);
            long[] applied = {0};
            assertThat(RestoreFixture.readRocksDb(result.output(), applied)).isEqualTo(fixture.expectedAt(555));
            assertThat(applied[0]).isEqualTo(555);
        }
    }
}
