package dev.vigil.archiver;

import dev.vigil.core.ReplicaId;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStoreException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archiver's uploads: a bounded pool of named threads ({@code vigil-archive-<replica>-N}) running
 * {@link SegmentShipper#ship}, with as many in flight as the {@link AdaptiveLimit} allows (it drops when the store
 * throttles and recovers as uploads succeed). Submitting blocks while the limit is reached. Thread safe; closed by
 * its archiver.
 */
final class UploadPool {

    private static final Logger LOG = LoggerFactory.getLogger(UploadPool.class);

    private final SegmentShipper shipper;
    private final AdaptiveLimit limit;
    private final ThreadPoolExecutor uploads;

    UploadPool(ObjectStore store, ReplicaId replica, int concurrency) {
        this.shipper = new SegmentShipper(store);
        this.limit = new AdaptiveLimit(concurrency);
        this.uploads = new ThreadPoolExecutor(
                concurrency,
                concurrency,
                30,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(concurrency),
                Thread.ofPlatform().name("vigil-archive-" + replica + "-", 0).factory());
        this.uploads.allowCoreThreadTimeOut(true);
    }

    /**
     * Submits the partition's segments in order, each when the limit allows; stops submitting once {@code storeDown}
     * is set (the segments not submitted have no future in {@code work} and count as waiting).
     */
    void submit(LocalPartition partition, PartitionWork work, AtomicBoolean storeDown) throws InterruptedException {
        if (!work.shippable()) {
            return;
        }
        for (LocalSegment segment : work.toShip()) {
            if (storeDown.get()) {
                return;
            }
            limit.acquire();
            try {
                boolean listed =
                        work.archivedKeys().contains(RepositoryLayout.walKey(partition.partition(), segment.range()));
                work.futures().put(segment, uploads.submit(() -> shipOne(partition, segment, listed)));
            } catch (RuntimeException e) {
                limit.release(false);
                throw e;
            }
        }
    }

    private ShipResult shipOne(LocalPartition partition, LocalSegment segment, boolean listed) throws IOException {
        boolean throttled = false;
        try {
            return shipper.ship(partition, segment, listed);
        } catch (ObjectStoreException e) {
            throttled = e.throttled();
            throw e;
        } finally {
            limit.release(throttled);
        }
    }

    AdaptiveLimit limit() {
        return limit;
    }

    /**
     * Stops accepting work and waits up to {@code timeout} for uploads in flight; uploads still running then are
     * interrupted (an interrupted put leaves no visible object: see {@link ObjectStore}).
     */
    void shutdown(Duration timeout) throws InterruptedException {
        uploads.shutdown();
        if (!uploads.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("uploads still running after {}: interrupting them", timeout);
            uploads.shutdownNow();
            uploads.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Interrupts every upload at once (the caller was interrupted while waiting). */
    void shutdownNow() {
        uploads.shutdownNow();
    }
}
