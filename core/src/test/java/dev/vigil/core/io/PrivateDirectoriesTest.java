package dev.vigil.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where plaintext lives is owner-only: a new directory, an existing group-readable one, a locked work directory. */
class PrivateDirectoriesTest {

    @TempDir
    Path dir;

    @Test
    void newAndExistingDirectoriesBecomeOwnerOnly() throws Exception {
        Path fresh = PrivateDirectories.create(dir.resolve("a/b/fresh"));
        Path open = Files.createDirectories(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));

        PrivateDirectories.create(open);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(open)))
                .isEqualTo("rwx------");
    }

    @Test
    void aWorkDirectoryLockedPrivateIsOwnerOnly() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxr-x"));

        try (DirectoryLock lock = DirectoryLock.acquirePrivate(work, "work directory", "test", Instant.now())) {
            assertThat(lock.isHeld()).isTrue();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work)))
                    .isEqualTo("rwx------");
        }
    }
}
