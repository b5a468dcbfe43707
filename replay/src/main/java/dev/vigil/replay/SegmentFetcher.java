package dev.vigil.replay;

import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.wal.SegmentExpectation;
import dev.vigil.core.wal.SegmentReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** How a replay gets the bytes of archived segments: streamed on demand, or downloaded ahead. Not thread safe. */
sealed interface SegmentFetcher extends AutoCloseable permits SegmentFetcher.Direct, SegmentFetcher.Prefetching {

    /** A reader over the segment; the store's checksum is verified when the reader reaches the end. */
    SegmentReader open(ArchivedSegment segment, SegmentExpectation expectation) throws IOException;

    @Override
    void close() throws IOException;

    /** Streams each segment from the store when the replay reaches it. */
    final class Direct implements SegmentFetcher {
        private final ObjectStore store;

        Direct(ObjectStore store) {
            this.store = store;
        }

        @Override
        public SegmentReader open(ArchivedSegment segment, SegmentExpectation expectation) throws IOException {
            ObjectStream in = store.get(segment.key());
            try {
                return SegmentReader.open(in, in.info().size(), store.locate(segment.key()), expectation);
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
        }

        @Override
        public void close() {}
    }

    /**
     * Downloads the planned segments up to {@code window} ahead of the replay, in parallel, into local files
     * named after their LSN range (never after the object key, which is not trusted as a path). A download
     * reads the whole object, so the store's checksum is verified before the replay sees a byte.
     */
    final class Prefetching implements SegmentFetcher {
        private final ObjectStore store;
        private final List<ArchivedSegment> plan;
        private final int window;
        private final Path directory;
        private final ExecutorService pool;
        private final Map<String, Future<Path>> downloads = new HashMap<>();
        private int submitted;

        Prefetching(ObjectStore store, List<ArchivedSegment> plan, int window, Path directory) throws IOException {
            this.store = store;
            this.plan = List.copyOf(plan);
            this.window = window;
            this.directory = Files.createDirectories(directory);
            AtomicInteger threads = new AtomicInteger();
            this.pool = Executors.newFixedThreadPool(
                    window, r -> new Thread(r, "vigil-prefetch-" + threads.incrementAndGet()));
            fill(0);
        }

        private void fill(int consumed) {
            while (submitted < plan.size() && submitted < consumed + window) {
                ArchivedSegment segment = plan.get(submitted++);
                downloads.put(segment.key(), pool.submit(() -> download(segment)));
            }
        }

        private Path download(ArchivedSegment segment) throws IOException {
            Path file = directory.resolve(
                    segment.range().first() + "-" + segment.range().last() + ".seg");
            Path partial = directory.resolve(file.getFileName() + ".part");
            try (ObjectStream in = store.get(segment.key())) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        }

        @Override
        public SegmentReader open(ArchivedSegment segment, SegmentExpectation expectation) throws IOException {
            Future<Path> download = downloads.remove(segment.key());
            if (download == null) {
                return new Direct(store).open(segment, expectation);
            }
            fill(plan.indexOf(segment) + 1);
            Path file;
            try {
                file = download.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while downloading " + segment.key());
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
            InputStream in = new FilterInputStream(Files.newInputStream(file)) {
                @Override
                public void close() throws IOException {
                    super.close();
                    Files.deleteIfExists(file);
                }
            };
            try {
                return SegmentReader.open(in, Files.size(file), store.locate(segment.key()), expectation);
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            pool.shutdownNow();
            try {
                pool.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            DurableFiles.deleteRecursively(directory);
        }
    }
}
