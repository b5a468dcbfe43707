package dev.vigil.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Local state written so that a crash leaves the old content or the new, never a mix or nothing. */
public final class DurableFiles {

    private DurableFiles() {}

    /**
     * Replaces {@code target} with {@code content}: writes a temporary file beside it, forces it, renames
     * it over the target atomically, and forces the directory.
     */
    public static void replace(Path target, byte[] content) throws IOException {
        replace(target, content, false);
    }

    /**
     * As {@link #replace(Path, byte[])}, for a file meant for others to read (a report an auditor opens): readable by
     * everyone ({@code rw-r--r--}) where the file system has POSIX permissions, instead of the owner-only mode of a
     * temporary file.
     */
    public static void publish(Path target, byte[] content) throws IOException {
        replace(target, content, true);
    }

    private static void replace(Path target, byte[] content, boolean readableByAll) throws IOException {
        Path directory = SafePaths.parentOf(target);
        Path temp = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp");
        try {
            if (readableByAll && Files.getFileStore(temp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try (FileChannel channel =
                    FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(directory);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Deletes a directory and everything under it; a missing directory is fine, and so is one another process is
     * deleting at the same time (what it removed first is simply gone).
     */
    public static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(directory)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        } catch (NoSuchFileException goneMeanwhile) {
            return;
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                deleteRecursively(directory); // part of it went meanwhile: walk what is left
                return;
            }
            throw e.getCause();
        }
        for (Path path : paths) {
            try {
                Files.deleteIfExists(path);
            } catch (DirectoryNotEmptyException refilled) {
                deleteRecursively(path); // entries appeared under it meanwhile
            }
        }
    }

    /** Forces a directory's entries (creations, renames, deletions) to stable storage. */
    public static void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
