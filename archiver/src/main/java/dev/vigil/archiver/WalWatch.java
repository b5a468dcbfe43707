package dev.vigil.archiver;

import dev.vigil.core.PartitionId;
import dev.vigil.core.node.StorageNodeContract;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the archiver which partitions' WAL directories gained a sealed segment since it last asked, so an idle pass costs nothing
 * per partition: the JDK's {@link WatchService} (inotify on Linux) watches each node root's {@code partitions}
 * directory (a new partition) and each partition's {@code wal} directory (a segment sealed: the rename that seals it
 * creates its {@code .seg} name). Where a directory cannot be watched (the kernel's watch limit,
 * {@code fs.inotify.max_user_watches}, or a file system without notifications), or events were lost (an overflow),
 * {@link #drain()} says so and the archiver scans everything, as it does anyway every {@code archive.rescan-interval}
 * as a safety net. Events arrive on one named daemon thread; {@code onChange} is called there. Thread safe; closed by
 * its archiver.
 */
final class WalWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WalWatch.class);

    /** What changed since the last {@link #drain()}. */
    record Changes(Set<PartitionId> partitions, boolean rescan) {}

    private final WatchService service;
    private final Map<WatchKey, Watched> keys = new ConcurrentHashMap<>();
    private final Set<Path> registered = ConcurrentHashMap.newKeySet();
    private final Set<PartitionId> changed = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean rescan = new AtomicBoolean(true);
    /** Some directory could not be watched: every pass scans everything, for as long as this watch lives. */
    private volatile boolean degraded;

    private final Runnable onChange;
    private final Thread thread;
    private volatile boolean closed;

    /** A watched directory: a node root's directory of partitions (no partition) or one partition's WAL directory. */
    private record Watched(Path directory, @Nullable PartitionId partition) {}

    private WalWatch(WatchService service, String threadName, Runnable onChange) {
        this.service = service;
        this.onChange = onChange;
        this.thread = Thread.ofPlatform().daemon().name(threadName).unstarted(this::run);
    }

    /** Starts watching the roots' {@code partitions} directories; WAL directories are added by {@link #track}. */
    static WalWatch start(List<Path> roots, String threadName, Runnable onChange) throws IOException {
        WalWatch watch = new WalWatch(FileSystems.getDefault().newWatchService(), threadName, onChange);
        for (Path root : roots) {
            Path partitions = root.resolve(StorageNodeContract.PARTITIONS);
            if (Files.isDirectory(partitions)) {
                watch.register(partitions, null);
            }
        }
        watch.thread.start();
        return watch;
    }

    /** Watches the WAL directories of {@code partitions} not watched yet. */
    void track(List<LocalPartition> partitions) {
        for (LocalPartition partition : partitions) {
            if (!registered.contains(partition.walDir())) {
                register(partition.walDir(), partition.partition());
            }
        }
    }

    private void register(Path directory, @Nullable PartitionId partition) {
        try {
            WatchKey key = directory.register(
                    service,
                    StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_DELETE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
            keys.put(key, new Watched(directory, partition));
            registered.add(directory);
        } catch (IOException e) {
            // Not watched: every pass scans everything until a later registration succeeds.
            LOG.warn(
                    "cannot watch {} ({}); falling back to scanning every pass (raise fs.inotify.max_user_watches"
                            + " if the node has many partitions)",
                    directory,
                    e.toString());
            degraded = true;
        }
    }

    /** Whether everything must be scanned before the next {@link #drain()} (without taking the request). */
    boolean rescanPending() {
        return rescan.get() || degraded;
    }

    /**
     * The partitions whose WAL directory changed since the last call, and whether everything must be scanned (the
     * first call, a new or removed partition, lost events, a directory that could not be watched).
     */
    Changes drain() {
        boolean all = rescan.getAndSet(false) || degraded;
        Set<PartitionId> partitions = new HashSet<>();
        for (Iterator<PartitionId> it = changed.iterator(); it.hasNext(); ) {
            partitions.add(it.next());
            it.remove();
        }
        return new Changes(partitions, all);
    }

    private void run() {
        while (!closed) {
            WatchKey key;
            try {
                key = service.take();
            } catch (InterruptedException | ClosedWatchServiceException stopped) {
                return;
            }
            Watched watched = keys.get(key);
            boolean any = false;
            PartitionId partition = watched == null ? null : watched.partition();
            for (WatchEvent<?> event : key.pollEvents()) {
                boolean created = StandardWatchEventKinds.ENTRY_CREATE.equals(event.kind());
                String name = event.context() instanceof Path path ? path.toString() : "";
                if (StandardWatchEventKinds.OVERFLOW.equals(event.kind()) || watched == null) {
                    rescan.set(true);
                    any = true;
                } else if (partition == null) {
                    // A partition appeared (or went): rescan; watch a new partition's directory until its wal exists.
                    Path child = watched.directory().resolve(name);
                    if (created && Files.isDirectory(child) && !registered.contains(child)) {
                        register(child, null);
                    }
                    rescan.set(true);
                    any = true;
                } else if (created && name.endsWith(".seg")) {
                    // A segment sealed (its rename creates the .seg name). The node's own writes to the open
                    // segment, and archived.lsn written by the archiver, need no pass.
                    changed.add(partition);
                    any = true;
                }
            }
            if (!key.reset()) {
                // The directory is gone (a partition removed): forget it; the next scan sees what is left.
                keys.remove(key);
                if (watched != null) {
                    registered.remove(watched.directory());
                }
                rescan.set(true);
                any = true;
            }
            if (any) {
                onChange.run();
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        service.close();
        thread.interrupt();
    }
}
