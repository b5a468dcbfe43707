package dev.vigil.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One owner per directory: an exclusive lock on {@code <directory>/.vigil.lock} (the operating system's file lock,
 * released when the process ends, however it ends), so that a second daemon for the same node, a second worker on
 * the same work directory or two restores into one target refuse to start instead of silently breaking each other's
 * state. The file names the holder (what it is, its process id and host, since when), so the refusal says who to stop.
 * The file stays after release (a stale name is harmless: only the lock counts). Closed once, by its owner.
 */
public final class DirectoryLock implements AutoCloseable {

    /** The lock file's name in the locked directory. */
    public static final String FILE_NAME = ".vigil.lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Thrown when another process (or another part of this one) holds the lock; the message names it. */
    public static final class HeldException extends IOException {
        private static final long serialVersionUID = 1L;

        HeldException(String message) {
            super(message);
        }
    }

    /**
     * Locks {@code directory} (created if missing) for {@code holder}, e.g. {@code "vigil daemon for node node-a"}.
     *
     * @param what names the directory's role in the message ("work directory", "node root")
     * @throws HeldException when it is held: the message names the holder and what to do
     * @throws IOException   when the lock file cannot be created or locked for another reason
     */
    public static DirectoryLock acquire(Path directory, String what, String holder, Instant now) throws IOException {
        Files.createDirectories(directory);
        return lock(directory.resolve(FILE_NAME), directory, what, holder, now);
    }

    /**
     * As {@link #acquire}, for a directory that holds plaintext customer data (a work directory), which is made readable
     * by its owner only ({@link PrivateDirectories}).
     */
    public static DirectoryLock acquirePrivate(Path directory, String what, String holder, Instant now)
            throws IOException {
        PrivateDirectories.create(directory);
        return lock(directory.resolve(FILE_NAME), directory, what, holder, now);
    }

    /**
     * Locks {@code target}, which need not exist yet (a restore's target), with a lock file beside it:
     * {@code .<name>.vigil.lock} in its parent directory (created if missing).
     */
    public static DirectoryLock acquireBeside(Path target, String what, String holder, Instant now) throws IOException {
        Path parent = SafePaths.parentOf(target);
        Files.createDirectories(parent);
        return lock(parent.resolve("." + target.getFileName() + FILE_NAME), target, what, holder, now);
    }

    private static DirectoryLock lock(Path file, Path directory, String what, String holder, Instant now)
            throws IOException {
        FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new HeldException(what + " " + directory + " is already in use by this process (" + describe(file)
                    + "): give each daemon, worker or restore its own directory");
        } catch (IOException e) {
            channel.close();
            throw new IOException(
                    "cannot lock the " + what + " " + directory + " (" + file + "): " + e.getMessage(), e);
        }
        if (lock == null) {
            channel.close();
            throw new HeldException(what + " " + directory + " is in use by " + describe(file)
                    + ": stop that process first, or give this one a directory of its own (two processes on one"
                    + " directory overwrite each other's state)");
        }
        try {
            ProcessTag self = ProcessTag.current();
            byte[] content = (holder + " (pid " + self.pid() + " on " + self.host() + ", since " + now + ")\n")
                    .getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer, content.length - buffer.remaining());
            }
            channel.force(true);
        } catch (IOException e) {
            lock.release();
            channel.close();
            throw new IOException("cannot write the lock file " + file + ": " + e.getMessage(), e);
        }
        return new DirectoryLock(file, channel, lock);
    }

    /** Who holds the lock, as its file says. */
    private static String describe(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "another process (its lock file " + file + " names none)" : text;
        } catch (IOException | RuntimeException e) {
            return "another process (its lock file " + file + " cannot be read: " + e.getMessage() + ")";
        }
    }

    /** The lock file. */
    public Path file() {
        return file;
    }

    /** Whether the lock is still held by this owner. */
    public boolean isHeld() {
        return lock.isValid();
    }

    /** Releases the lock; idempotent. */
    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            channel.close();
        }
    }
}
