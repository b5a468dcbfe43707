package dev.vigil.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.io.DirectoryLock;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.testkit.tools.RequiredTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One restore per target, a verified result never replaced behind the operator's back, and an output a node on an
 * older RocksDB can open.
 */
class RestoreTargetTest {

    @TempDir
    Path dir;

    private ObjectStore store;
    private RestoreFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        store = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC());
        fixture = new RestoreFixture(dir, store);
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
        store.close();
    }

    private RestoreRequest request(long lsn, Path target, int formatVersion) {
        return new RestoreRequest(
                fixture.group.partition(),
                new RestoreTarget.ToLsn(lsn),
                target,
                RestoreFormat.ROCKSDB,
                false,
                false,
                formatVersion);
    }

    @Test
    void aSecondRestoreIntoATargetBeingRestoredIntoRefusesNamingTheFirst() throws Exception {
        fixture.archive(3, 100);
        Path target = dir.resolve("restored");
        try (DirectoryLock first = DirectoryLock.acquireBeside(
                target, "restore target", "vigil restore of partition p-0001 into " + target, Instant.now())) {
            assertThatThrownBy(() -> fixture.restorer().restore(request(300, target, 5), RestoreProgress.SILENT))
                    .isInstanceOfSatisfying(
                            RestoreException.class, e -> assertThat(e.kind()).isEqualTo(RestoreException.Kind.USAGE))
                    .hasMessageContaining("restore target " + target + " is already in use by this process")
                    .hasMessageContaining("vigil restore of partition p-0001 into " + target)
                    .hasMessageContaining("wait for that restore to end, or restore into another --target");
            assertThat(first.isHeld()).isTrue();
        }
        assertThat(target).doesNotExist();
        RestoreResult after = fixture.restorer().restore(request(300, target, 5), RestoreProgress.SILENT);
        assertThat(after.verified()).isTrue();
    }

    @Test
    void aTargetFilledWhileTheRestoreRanIsLeftAloneAndTheVerifiedResultKeptBesideIt() throws Exception {
        fixture.archive(3, 100);
        Path target = dir.resolve("restored");
        RestoreProgress filling = new RestoreProgress() {
            @Override
            public void replayed(long from, long to, long lsn, long bytes) {}

            @Override
            public void phase(String text) {
                if (text.startsWith("reading the written")) {
                    try {
                        // Something else writes the target after the check at the start, before the install.
                        Files.createDirectories(target);
                        Files.writeString(target.resolve("someone-elses.txt"), "theirs");
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        };
        assertThatThrownBy(() -> fixture.restorer().restore(request(300, target, 5), filling))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("target " + target + " was filled by something else while the restore ran")
                .hasMessageContaining(".verified-")
                .hasMessageContaining("--force");
        assertThat(Files.readString(target.resolve("someone-elses.txt"))).isEqualTo("theirs");
        try (Stream<Path> siblings = Files.list(dir)) {
            List<Path> kept = siblings.filter(p -> p.getFileName().toString().startsWith("restored.verified-"))
                    .toList();
            assertThat(kept).hasSize(1);
            long[] applied = {0};
            assertThat(RestoreFixture.readRocksDb(kept.getFirst(), applied)).isEqualTo(fixture.expectedAt(300));
            assertThat(applied[0]).isEqualTo(300);
        }
    }

    @Test
    void theRestoredDatabaseOpensWithDebiansRocksDb78Tools() throws Exception {
        Path ldb = RequiredTool.find("ldb", "apt-get install rocksdb-tools");
        Path sstDump = RequiredTool.find("sst_dump", "apt-get install rocksdb-tools");
        fixture.archive(4, 100);
        fixture.snapshotAt(200); // tables that come from a snapshot load and from the replay after it
        Path target = dir.resolve("for-an-old-node");
        RestoreResult result = fixture.restorer().restore(request(400, target, 5), RestoreProgress.SILENT);
        assertThat(result.verified()).isTrue();
        try (Stream<Path> files = Files.list(target)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("OPTIONS-"));
        }

        Run scan = run(ldb.toString(), "--db=" + target, "scan", "--hex", "--max_keys=100000");
        assertThat(scan.exitCode()).as(scan.output()).isZero();
        long keys = scan.output()
                .lines()
                .filter(l -> l.matches("0x[0-9A-F]* : 0x[0-9A-F]*"))
                .count();
        assertThat(keys).isEqualTo(fixture.expectedAt(400).size() + 1); // and the applied-LSN key
        try (Stream<Path> files = Files.list(target)) {
            for (Path table : files.filter(f -> f.toString().endsWith(".sst")).toList()) {
                Run check = run(sstDump.toString(), "--file=" + table, "--command=check", "--verify_checksum");
                assertThat(check.exitCode()).as(check.output()).isZero();
                assertThat(check.output()).doesNotContain("Corrupt", "unsupported");
            }
        }

        // The newest format, asked for explicitly, is exactly what such a node cannot read: the default matters.
        Path newest = dir.resolve("for-a-new-node");
        assertThat(fixture.restorer()
                        .restore(request(400, newest, 7), RestoreProgress.SILENT)
                        .verified())
                .isTrue();
        Run refused = run(ldb.toString(), "--db=" + newest, "scan", "--max_keys=1");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("format_version");
    }

    private record Run(int exitCode, String output) {}

    private static Run run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }
}
