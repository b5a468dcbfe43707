package dev.vigil.fleet;

import com.google.common.util.concurrent.RateLimiter;
import dev.vigil.core.store.ByteRange;
import dev.vigil.core.store.ForwardingObjectStore;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * The fleet-wide repository read budget ({@code fleet.read-budget}, bytes per second) as this worker's share: the
 * budget divided by the workers alive now, re-divided every {@code poll-interval} as workers come and go. The
 * repository a worker reads through {@link #wrap} takes its bytes at that rate (Guava's {@link RateLimiter}, smooth,
 * shared by all of the worker's threads), so the fleet as a whole stays within the budget whatever its size.
 * Unlimited when the budget is 0. Thread safe.
 */
public final class ReadBudget {

    private static final int MAX_PERMITS_PER_READ = 1 << 20;

    private final long bytesPerSecond;
    private final @Nullable RateLimiter limiter;
    private volatile int workers = 1;

    /** {@code bytesPerSecond}: the whole fleet's budget; 0 for none. */
    public ReadBudget(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("a read budget is 0 (none) or positive, not " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.limiter = bytesPerSecond > 0 ? RateLimiter.create((double) bytesPerSecond) : null;
    }

    /** Divides the budget among {@code liveWorkers} (at least 1: this one). */
    void share(int liveWorkers) {
        int count = Math.max(1, liveWorkers);
        if (limiter != null && count != workers) {
            workers = count;
            limiter.setRate((double) bytesPerSecond / count);
        }
    }

    /** This worker's share now, in bytes per second (0: unlimited). */
    public double rate() {
        return limiter == null ? 0 : limiter.getRate();
    }

    /** {@code store}, with every read paced by this budget (the store itself when the budget is 0). */
    public ObjectStore wrap(ObjectStore store) {
        return limiter == null ? store : new Budgeted(store, limiter);
    }

    private static final class Budgeted extends ForwardingObjectStore {
        private final RateLimiter limiter;

        Budgeted(ObjectStore delegate, RateLimiter limiter) {
            super(delegate);
            this.limiter = limiter;
        }

        @Override
        public ObjectStream get(String key) throws IOException {
            ObjectStream stream = super.get(key);
            // The inner stream still verifies the whole object's checksum at its end.
            return ObjectStream.ranged(
                    new Paced(stream, limiter),
                    describe(),
                    stream.info(),
                    stream.info().size());
        }

        @Override
        public ObjectStream get(String key, ByteRange range) throws IOException {
            ObjectStream stream = super.get(key, range);
            return ObjectStream.ranged(new Paced(stream, limiter), describe(), stream.info(), range.length());
        }
    }

    /** Takes a permit per byte before handing bytes out. */
    private static final class Paced extends FilterInputStream {
        private final RateLimiter limiter;

        Paced(InputStream in, RateLimiter limiter) {
            super(in);
            this.limiter = limiter;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                limiter.acquire(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, Math.min(length, MAX_PERMITS_PER_READ));
            if (n > 0) {
                limiter.acquire(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(n);
            if (skipped > 0) {
                limiter.acquire((int) Math.min(skipped, Integer.MAX_VALUE));
            }
            return skipped;
        }
    }
}
