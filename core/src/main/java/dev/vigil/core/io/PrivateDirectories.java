package dev.vigil.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Directories that hold plaintext customer data (a work directory: references, drills, checkpoints, scratch; a
 * restore's staging) readable by their owner only ({@code rwx------}), as a keyring is: with encryption at rest, the
 * repository holds ciphertext, and these are where the plaintext is. A file system without POSIX permissions is left as
 * it is. Stateless.
 */
public final class PrivateDirectories {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private PrivateDirectories() {}

    /**
     * Creates {@code directory} (and its missing parents, with the default mode) and makes it owner-only; an existing
     * one is made owner-only too.
     *
     * @throws IOException when it cannot be created, or its mode cannot be set (another user owns it)
     */
    public static Path create(Path directory) throws IOException {
        Files.createDirectories(directory);
        PosixFileAttributeView posix = Files.getFileAttributeView(directory, PosixFileAttributeView.class);
        if (posix != null && !posix.readAttributes().permissions().equals(OWNER_ONLY)) {
            try {
                posix.setPermissions(OWNER_ONLY);
            } catch (IOException e) {
                throw new IOException(
                        directory + " holds plaintext data and must be readable by its owner only, but its mode cannot"
                                + " be set (" + e.getMessage() + "): chown it to the user Vigil runs as",
                        e);
            }
        }
        return directory;
    }
}
