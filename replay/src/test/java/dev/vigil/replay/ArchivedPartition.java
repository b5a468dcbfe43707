package dev.vigil.replay;

import dev.vigil.core.repository.Repository;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.demo.node.ReplicationGroup;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The setting of the replay's snapshot and checkpoint tests: one replica's partition (200 records per segment, 700
 * keys, so most writes overwrite) whose sealed segments are archived into a local repository under {@code dir/repo}.
 * Closed by the test.
 */
public final class ArchivedPartition implements AutoCloseable {

    private final ReplicationGroup group;
    private final ObjectStore store;

    public ArchivedPartition(Path dir, Clock clock) throws IOException {
        this.group = ReplicationGroup.builder(dir.resolve("nodes"), clock)
                .replicas("r1")
                .recordsPerSegment(200)
                .keySpace(700)
                .build();
        this.store = ObjectStores.localDirectory(dir.resolve("repo"), clock);
    }

    public ReplicationGroup group() {
        return group;
    }

    public ObjectStore store() {
        return store;
    }

    /** Writes {@code records} more, seals every segment and archives them; the last LSN written. */
    public long archive(int records) throws IOException {
        long last = group.write(records);
        group.sealAll();
        group.replica("r1").storeSealedSegments(store);
        return last;
    }

    /** Bytes of the first archived segment: snapshot policies in these tests are counted in it. */
    public long firstSegmentBytes() throws IOException {
        return new Repository(store)
                .archive(group.partition())
                .segments()
                .getFirst()
                .size();
    }

    @Override
    public void close() throws IOException {
        store.close();
        group.close();
    }
}
