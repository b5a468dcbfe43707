package dev.vigil.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Closes what it was given in the reverse order of registration, every one of them even when some fail, and throws
 * the first failure with the others suppressed in it (Airlift's and Guava's pattern). The owner of several
 * resources registers each as it opens it, and closes only the closer. Thread safe.
 */
public final class Closer implements Closeable {

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    /** Registers {@code resource} (closed before everything registered earlier) and returns it. */
    public synchronized <C extends AutoCloseable> C register(C resource) {
        resources.push(resource);
        return resource;
    }

    @Override
    public void close() throws IOException {
        Throwable first = null;
        while (true) {
            AutoCloseable next;
            synchronized (this) {
                next = resources.poll();
            }
            if (next == null) {
                break;
            }
            try {
                next.close();
            } catch (Throwable t) {
                if (t instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (first == null) {
                    first = t;
                } else if (!first.equals(t)) { // identity: one throwable thrown twice is kept once
                    first.addSuppressed(t);
                }
            }
        }
        if (first instanceof IOException io) {
            throw io;
        }
        if (first instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (first instanceof Error error) {
            throw error;
        }
        if (first != null) {
            throw new IOException("closing failed: " + first.getMessage(), first);
        }
    }
}
