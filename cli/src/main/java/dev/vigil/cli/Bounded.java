package dev.vigil.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Runs a command's body within a time bound, on a named thread, and says what it was waiting for when the bound
 * passes: a command that reads a repository or a database must answer ({@code vigil status} waited 199 s on a frozen
 * PostgreSQL). The body says what it is doing through a {@link Step}. On timeout the body's thread is interrupted and
 * left to end (a daemon thread: it never holds the process), and {@code onTimeout} gives the exit code.
 */
final class Bounded {

    private Bounded() {}

    /** What the bounded body is doing now, in words ("reading the fleet database …"). Thread safe. */
    static final class Step {
        private volatile String now;

        Step(String first) {
            this.now = first;
        }

        void now(String what) {
            this.now = what;
        }

        String now() {
            return now;
        }
    }

    /** A body that may fail like a command. */
    @FunctionalInterface
    interface Body {
        int run() throws IOException;
    }

    /**
     * Runs {@code body}; when it has not ended within {@code bound}, returns {@code onTimeout} applied to what it was
     * doing.
     *
     * @throws IOException as {@code body} throws it
     */
    static int within(Duration bound, Step step, String threadName, Body body, Function<String, Integer> onTimeout)
            throws IOException, InterruptedException {
        ExecutorService runner = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name(threadName).daemon().factory());
        try {
            Future<Integer> result = runner.submit(body::run);
            try {
                return result.get(bound.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                String what = step.now();
                result.cancel(true);
                return onTimeout.apply(what);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (cause instanceof IOException io) {
                    throw io;
                }
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (cause instanceof Error error) {
                    throw error;
                }
                throw new IOException(cause.getMessage(), cause);
            }
        } finally {
            runner.shutdownNow();
        }
    }
}
