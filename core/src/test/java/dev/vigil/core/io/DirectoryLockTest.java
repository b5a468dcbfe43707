package dev.vigil.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One owner per directory, in this process and across processes, named when refused. */
class DirectoryLockTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aSecondOwnerInTheSameProcessIsRefusedUntilTheFirstReleases() throws Exception {
        Path work = dir.resolve("work");
        try (DirectoryLock first = DirectoryLock.acquire(work, "work directory", "vigil daemon for node a", NOW)) {
            assertThat(first.isHeld()).isTrue();
            assertThat(Files.readString(first.file())).startsWith("vigil daemon for node a (pid ");
            assertThatThrownBy(() -> DirectoryLock.acquire(work, "work directory", "vigil scrub", NOW))
                    .isInstanceOf(DirectoryLock.HeldException.class)
                    .hasMessageContaining("work directory " + work + " is already in use by this process")
                    .hasMessageContaining("vigil daemon for node a");
        }
        try (DirectoryLock again = DirectoryLock.acquire(work, "work directory", "vigil scrub", NOW)) {
            assertThat(Files.readString(again.file())).startsWith("vigil scrub (pid ");
        }
    }

    @Test
    void anotherProcessHoldingTheLockIsNamedWithItsPidAndHost() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path lockFile = work.resolve(DirectoryLock.FILE_NAME);
        Files.writeString(lockFile, "vigil daemon for node b (pid 4242 on host-b, since " + NOW + ")\n");
        // Python's lockf takes the same kind of lock as the JDK (fcntl on Linux): hold it in a child process.
        Process holder = new ProcessBuilder(
                        "python3",
                        "-c",
                        "import fcntl,sys,time; f=open(sys.argv[1],'r+'); fcntl.lockf(f, fcntl.LOCK_EX);"
                                + " print('locked', flush=True); time.sleep(60)",
                        lockFile.toString())
                .redirectErrorStream(true)
                .start();
        try {
            assertThat(new String(holder.getInputStream().readNBytes(6), StandardCharsets.UTF_8))
                    .isEqualTo("locked");
            assertThatThrownBy(() -> DirectoryLock.acquire(work, "work directory", "vigil daemon for node a", NOW))
                    .isInstanceOf(DirectoryLock.HeldException.class)
                    .hasMessage("work directory " + work + " is in use by vigil daemon for node b (pid 4242 on host-b,"
                            + " since " + NOW + "): stop that process first, or give this one a directory of its own"
                            + " (two processes on one directory overwrite each other's state)");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        // The holder died: its lock went with it, the stale name in the file does not count.
        try (DirectoryLock mine = DirectoryLock.acquire(work, "work directory", "vigil daemon for node a", NOW)) {
            assertThat(Files.readString(mine.file())).startsWith("vigil daemon for node a");
        }
    }

    @Test
    void aTargetThatDoesNotExistYetIsLockedBesideIt() throws IOException {
        Path target = dir.resolve("restored");
        List<DirectoryLock> locks = new ArrayList<>();
        try (DirectoryLock lock = DirectoryLock.acquireBeside(target, "restore target", "vigil restore", NOW)) {
            locks.add(lock);
            assertThat(lock.file()).isEqualTo(dir.resolve(".restored" + DirectoryLock.FILE_NAME));
            assertThat(target).doesNotExist();
            assertThatThrownBy(() -> DirectoryLock.acquireBeside(target, "restore target", "vigil restore", NOW))
                    .isInstanceOf(DirectoryLock.HeldException.class)
                    .hasMessageStartingWith("restore target " + target + " is already in use by this process");
        }
        assertThat(locks.getFirst().isHeld()).isFalse();
    }
}
