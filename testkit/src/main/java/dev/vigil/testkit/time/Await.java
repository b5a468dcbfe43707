package dev.vigil.testkit.time;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a condition in a test that depends on other threads or processes: never for a fixed time. */
public final class Await {

    private Await() {}

    /**
     * Returns once {@code condition} holds; fails naming {@code what} after {@code timeout} (generous: a loaded CI
     * machine is slow, and a passing test never waits for it).
     */
    public static void until(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
