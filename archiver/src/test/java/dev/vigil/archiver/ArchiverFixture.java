package dev.vigil.archiver;

import dev.vigil.core.PartitionId;
import dev.vigil.core.config.ArchiveConfig;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.ObjectSummary;
import dev.vigil.demo.node.SimulatedReplica;
import dev.vigil.testkit.alert.RecordingAlerts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/** Builds archivers for simulated replicas and reads back what they archived. */
final class ArchiverFixture {

    private ArchiverFixture() {}

    static Archiver archiver(
            SimulatedReplica replica, ObjectStore store, RecordingAlerts alerts, Clock clock, ArchiveConfig settings) {
        return new Archiver(
                new Repository(store),
                new NodeConfig(replica.id(), List.of(replica.root())),
                settings,
                alerts,
                new SimpleMeterRegistry(),
                clock,
                new SplittableRandom(7));
    }

    static List<String> keys(ObjectStore store, String prefix) {
        List<String> keys = new ArrayList<>();
        for (Iterator<ObjectSummary> it = store.listAll(prefix); it.hasNext(); ) {
            keys.add(it.next().key());
        }
        return keys;
    }

    static List<String> walKeys(ObjectStore store, SimulatedReplica anyReplica, String partition) {
        return keys(store, RepositoryLayout.walPrefix(PartitionId.of(partition)));
    }

    static byte[] read(ObjectStore store, String key) throws IOException {
        try (ObjectStream in = store.get(key)) {
            return in.readAllBytes();
        }
    }
}
