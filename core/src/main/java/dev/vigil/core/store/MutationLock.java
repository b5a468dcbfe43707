package dev.vigil.core.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An exclusive lock on a file, held by one thread of one process at a time: what a local directory store holds while it
 * renames an object into place over another or unlinks one. The operating system's lock excludes other processes; this
 * JVM's other holders (another store open on the same directory, another thread) are excluded by the JVM itself,
 * which refuses an overlapping lock at once rather than blocking, so that case waits in short pauses until the holder,
 * which keeps the lock for one rename, releases it. Closing releases it.
 */
final class MutationLock implements AutoCloseable {

    private static final long PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private MutationLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** What runs under the lock. */
    @FunctionalInterface
    interface Action<T> {
        T run() throws IOException;
    }

    /** Runs {@code action} holding the lock on {@code file}. */
    static <T> T holding(Path file, Action<T> action) throws IOException {
        try (MutationLock lock = acquire(file)) {
            lock.requireHeld();
            return action.run();
        }
    }

    private void requireHeld() {
        if (!lock.isValid()) {
            throw new IllegalStateException("the lock on " + file + " was released while held");
        }
    }

    /** Waits for and takes the lock on {@code file}, creating it (and its directory) if needed. */
    private static MutationLock acquire(Path file) throws IOException {
        Path parent = file.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            while (true) {
                try {
                    return new MutationLock(file, channel, channel.lock());
                } catch (OverlappingFileLockException heldInThisJvm) {
                    LockSupport.parkNanos(PAUSE_NANOS);
                    if (Thread.interrupted()) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted waiting for " + file);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
