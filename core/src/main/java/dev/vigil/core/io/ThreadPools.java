package dev.vigil.core.io;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Waiting for a pool the caller owns, so that what its tasks use can be closed or deleted after. */
public final class ThreadPools {

    private ThreadPools() {}

    /**
     * Waits until {@code pool}, already shut down by the caller, has no task running, even if this thread is
     * interrupted meanwhile (a cleanup must not be cut short: the tasks may still be writing into what is about to be
     * deleted); the interrupt is kept for the caller.
     */
    public static void awaitTermination(ExecutorService pool) {
        boolean interrupted = false;
        while (!pool.isTerminated()) {
            try {
                pool.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
