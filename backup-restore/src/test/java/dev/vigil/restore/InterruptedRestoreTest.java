package dev.vigil.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.PartitionId;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.io.ProcessTag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore interrupted (the CLI interrupts it on SIGINT and SIGTERM) writes nothing to its target and removes its
 * work and staging directories; the leftovers of a restore whose process died are removed by the next restore on the
 * same host, while those of live processes and of other hosts are left alone.
 */
class InterruptedRestoreTest {

    @TempDir
    Path dir;

    private RestoreFixture fixture;
    private PartitionId partition;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new RestoreFixture(dir);
        partition = fixture.group.partition();
        fixture.archive(4, 100);
    }

    @AfterEach
    void tearDown() throws Exception {
        Thread.interrupted();
        fixture.close();
        fixture.store.close();
    }

    @Test
    void aRestoreInterruptedWhileReplayingWritesNothingAndLeavesNothing() throws Exception {
        Path target = dir.resolve("restored");
        RecordingProgress interruptMidReplay = RecordingProgress.interruptingAtLsn(lsn -> lsn >= 200);

        assertThatThrownBy(() -> fixture.restorer()
                        .restore(
                                new RestoreRequest(
                                        partition, new RestoreTarget.ToLsn(400), target, RestoreFormat.ROCKSDB, false),
                                interruptMidReplay))
                .isInstanceOfSatisfying(RestoreException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RestoreException.Kind.INTERRUPTED);
                    assertThat(e.getMessage())
                            .contains("interrupted while replaying LSNs 1..400")
                            .contains("Nothing was written to " + target)
                            .contains("is removed");
                });

        assertThat(Thread.interrupted())
                .as("the interrupt stays visible to the caller")
                .isTrue();
        assertThat(target).doesNotExist();
        assertThat(entries(dir.resolve("work").resolve("restore"))).isEmpty();
        assertThat(entries(dir)).noneMatch(name -> name.contains(".vigil-restore-"));
        assertThat(interruptMidReplay.phases).anyMatch(p -> p.contains("replaying LSNs 1..400"));
    }

    @Test
    void aRestoreInterruptedWhileLoadingASnapshotBlamesTheInterruptNotTheSnapshot() throws Exception {
        fixture.snapshotAt(300);
        Path target = dir.resolve("restored");
        RestoreProgress interruptAtTheStart = RecordingProgress.interruptingAtPhase(p -> p.startsWith("choosing"));

        assertThatThrownBy(() -> fixture.restorer()
                        .restore(
                                new RestoreRequest(
                                        partition, new RestoreTarget.ToLsn(400), target, RestoreFormat.ROCKSDB, false),
                                interruptAtTheStart))
                .isInstanceOfSatisfying(RestoreException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RestoreException.Kind.INTERRUPTED);
                    assertThat(e.getMessage()).contains("interrupted while choosing a starting point");
                });
        Thread.interrupted();

        assertThat(fixture.alerts.ofType(AlertType.SNAPSHOT_CORRUPT))
                .as("an interrupted load says nothing against the snapshot")
                .isEmpty();
        assertThat(target).doesNotExist();
        assertThat(entries(dir.resolve("work").resolve("restore"))).isEmpty();
        assertThat(entries(dir)).noneMatch(name -> name.contains(".vigil-restore-"));
    }

    @Test
    void aRestoreInterruptedWhileWritingTheOutputLeavesNothing() throws Exception {
        Path target = dir.resolve("restored");
        RestoreProgress interruptAtTheWrite = RecordingProgress.interruptingAtPhase(p -> p.startsWith("writing"));

        assertThatThrownBy(() -> fixture.restorer()
                        .restore(
                                new RestoreRequest(
                                        partition, new RestoreTarget.ToLsn(400), target, RestoreFormat.JSONL, false),
                                interruptAtTheWrite))
                .isInstanceOfSatisfying(
                        RestoreException.class, e -> assertThat(e.kind()).isEqualTo(RestoreException.Kind.INTERRUPTED));
        Thread.interrupted();

        assertThat(target).doesNotExist();
        assertThat(entries(dir.resolve("work").resolve("restore"))).isEmpty();
        assertThat(entries(dir)).noneMatch(name -> name.contains(".vigil-restore-"));
    }

    @Test
    void theNextRestoreRemovesWhatADeadRestoreLeftAndNothingElse() throws Exception {
        String dead = deadProcessSuffix();
        String live = ProcessTag.current().suffix();
        String elsewhere = "-" + ProcessHandle.current().pid() + "@another-host.example";
        Path restoreWork = dir.resolve("work").resolve("restore");
        Path deadWork =
                Files.createDirectories(restoreWork.resolve("p-1a2b" + dead).resolve("reference"));
        Files.write(deadWork.resolve("000009.sst"), new byte[100_000]);
        Path liveWork = Files.createDirectories(restoreWork.resolve("p-3c4d" + live));
        Path otherHostWork = Files.createDirectories(restoreWork.resolve("p-5e6f" + elsewhere));
        Path deadStaging = Files.createDirectories(dir.resolve(".old-target.vigil-restore-77" + dead));
        Path liveStaging = Files.createDirectories(dir.resolve(".old-target.vigil-restore-88" + live));
        Path unrelated = Files.createDirectories(dir.resolve("someone-else" + dead));
        // A target moved aside when replaced, and the process died before the new one was in place: the only copy.
        Path onlyCopy = Files.createDirectories(dir.resolve(".missing.vigil-replaced-99" + dead));
        // A target moved aside whose replacement is in place: the aside is garbage.
        Files.createDirectories(dir.resolve("present"));
        Path replacedAside = Files.createDirectories(dir.resolve(".present.vigil-replaced-98" + dead));
        Path target = dir.resolve("restored");
        RecordingProgress progress = RecordingProgress.recording();

        RestoreResult result = fixture.restorer()
                .restore(
                        new RestoreRequest(
                                partition, new RestoreTarget.ToLsn(300), target, RestoreFormat.ROCKSDB, false),
                        progress);

        assertThat(result.verified()).isTrue();
        assertThat(deadWork.getParent()).doesNotExist();
        assertThat(deadStaging).doesNotExist();
        assertThat(liveWork).exists();
        assertThat(otherHostWork).exists();
        assertThat(liveStaging).exists();
        assertThat(unrelated).exists();
        assertThat(onlyCopy).exists();
        assertThat(replacedAside).doesNotExist();
        assertThat(dir.resolve("present")).exists();
        assertThat(progress.phases)
                .anyMatch(p -> p.startsWith(
                        "removed the leftover of an interrupted restore: " + deadWork.getParent() + " (0.1 MB)"));
    }

    /** The tag of a process that ran on this host and has ended. */
    static String deadProcessSuffix() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return "-" + process.pid() + "@" + ProcessTag.current().host();
    }

    private static List<String> entries(Path directory) throws Exception {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.map(p -> p.getFileName().toString()).toList();
        }
    }
}
