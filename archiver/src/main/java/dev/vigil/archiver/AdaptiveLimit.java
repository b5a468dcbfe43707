package dev.vigil.archiver;

/**
 * How many uploads may be in flight: additive increase, multiplicative decrease. A throttled upload (S3's
 * 503 SlowDown) halves the limit; each run of successes as long as the limit adds one, up to the
 * configured maximum. This is how the archiver slows its upload rate when the store asks it to. Thread safe.
 */
final class AdaptiveLimit {

    private final int maximum;
    private int limit;
    private int inFlight;
    private int successes;

    AdaptiveLimit(int maximum) {
        if (maximum < 1) {
            throw new IllegalArgumentException("upload concurrency must be at least 1, was " + maximum);
        }
        this.maximum = maximum;
        this.limit = maximum;
    }

    synchronized void acquire() throws InterruptedException {
        while (inFlight >= limit) {
            wait();
        }
        inFlight++;
    }

    synchronized void release(boolean throttled) {
        inFlight--;
        if (throttled) {
            limit = Math.max(1, limit / 2);
            successes = 0;
        } else if (++successes >= limit && limit < maximum) {
            limit++;
            successes = 0;
        }
        notifyAll();
    }

    synchronized int limit() {
        return limit;
    }
}
