package dev.vigil.demo.node;

import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.io.Closer;
import dev.vigil.core.wal.Op;
import dev.vigil.core.wal.WalRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A simulated replication group: several replicas of one partition, each on its own simulated node root,
 * applying the same seeded workload (puts and deletes, the leader's timestamps) through their own WAL and
 * RocksDB database. The group keeps the workload's history, which is the oracle of what every replica
 * should hold at any LSN. Tests make one replica diverge with {@link #diverge}. Not thread safe.
 */
public final class ReplicationGroup implements AutoCloseable {

    private final PartitionId partition;
    private final Map<ReplicaId, SimulatedReplica> replicas = new LinkedHashMap<>();
    private final SplittableRandom random;
    private final Clock clock;
    private final int keySpace;
    private final int valueSize;
    private final List<WalRecord> history = new ArrayList<>();
    private final Map<Long, Map<ReplicaId, Divergence>> divergences = new HashMap<>();

    private ReplicationGroup(Builder builder) throws IOException {
        this.partition = builder.partition;
        this.random = new SplittableRandom(builder.seed);
        this.clock = builder.clock;
        this.keySpace = builder.keySpace;
        this.valueSize = builder.valueSize;
        for (String id : builder.replicaIds) {
            ReplicaId replica = ReplicaId.of(id);
            replicas.put(
                    replica,
                    new SimulatedReplica(
                            builder.base.resolve(id), partition, replica, builder.recordsPerSegment, clock));
        }
    }

    public static Builder builder(Path base, Clock clock) {
        return new Builder(base, clock);
    }

    /** Applies {@code count} new mutations to every replica; returns the last LSN written. */
    public long write(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            long lsn = history.size() + 1L;
            WalRecord record = nextMutation(lsn);
            history.add(record);
            Map<ReplicaId, Divergence> planned = divergences.getOrDefault(lsn, Map.of());
            for (SimulatedReplica replica : replicas.values()) {
                Divergence divergence = planned.get(replica.id());
                WalRecord logged = divergence == Divergence.ALTER_IN_WAL ? altered(record) : record;
                Optional<WalRecord> applied = divergence == null
                        ? Optional.of(record)
                        : switch (divergence) {
                            case DROP_FROM_STORE -> Optional.empty();
                            case ALTER_IN_STORE, ALTER_IN_WAL -> Optional.of(altered(record));
                        };
                replica.apply(logged, applied);
            }
        }
        return history.size();
    }

    /** Makes {@code replica} diverge in the given way at {@code lsn} (which must not be written yet). */
    public ReplicationGroup diverge(String replica, long lsn, Divergence divergence) {
        if (lsn <= history.size()) {
            throw new IllegalArgumentException("LSN " + lsn + " is already written");
        }
        divergences.computeIfAbsent(lsn, l -> new HashMap<>()).put(ReplicaId.of(replica), divergence);
        return this;
    }

    /** Seals every replica's open segment (a time-bound seal on every node). */
    public void sealAll() throws IOException {
        for (SimulatedReplica replica : replicas.values()) {
            replica.sealNow();
        }
    }

    public PartitionId partition() {
        return partition;
    }

    public List<SimulatedReplica> replicas() {
        return List.copyOf(replicas.values());
    }

    public SimulatedReplica replica(String id) {
        SimulatedReplica replica = replicas.get(ReplicaId.of(id));
        if (replica == null) {
            throw new IllegalArgumentException("no replica " + id + " in " + replicas.keySet());
        }
        return replica;
    }

    /** Every mutation written so far, in LSN order (the correct history, whatever replicas did with it). */
    public List<WalRecord> history() {
        return List.copyOf(history);
    }

    /** The key-value state the correct history produces at {@code lsn}. */
    public Map<String, byte[]> stateAt(long lsn) {
        Map<String, byte[]> state = new TreeMap<>();
        for (WalRecord record : history.subList(0, (int) lsn)) {
            String key = new String(record.key(), StandardCharsets.UTF_8);
            if (record.op() == Op.PUT) {
                state.put(key, record.value());
            } else {
                state.remove(key);
            }
        }
        return state;
    }

    private WalRecord nextMutation(long lsn) {
        byte[] key = String.format("key-%06d", random.nextInt(keySpace)).getBytes(StandardCharsets.UTF_8);
        long timestamp = clock.millis();
        if (random.nextInt(10) == 0) {
            return WalRecord.delete(lsn, timestamp, key);
        }
        byte[] value = new byte[valueSize];
        random.nextBytes(value);
        return WalRecord.put(lsn, timestamp, key, value);
    }

    private static WalRecord altered(WalRecord record) {
        byte[] value = record.op() == Op.PUT ? record.value().clone() : new byte[] {1};
        if (value.length == 0) {
            value = new byte[] {1};
        } else {
            value[0] ^= 0x55;
        }
        return WalRecord.put(record.lsn(), record.timestampMillis(), record.key(), value);
    }

    @Override
    public void close() throws IOException {
        Closer closer = new Closer();
        replicas.values().forEach(closer::register);
        closer.close();
    }

    /** Configures a group; defaults: partition {@code p-0001}, replicas r1 r2 r3, 100 records per segment. */
    public static final class Builder {
        private final Path base;
        private PartitionId partition = PartitionId.of("p-0001");
        private List<String> replicaIds = List.of("r1", "r2", "r3");
        private int recordsPerSegment = 100;
        private long seed = 1;
        private Clock clock;
        private int keySpace = 1000;
        private int valueSize = 100;

        private Builder(Path base, Clock clock) {
            this.base = base;
            this.clock = clock;
        }

        public Builder partition(String value) {
            this.partition = PartitionId.of(value);
            return this;
        }

        public Builder replicas(String... ids) {
            this.replicaIds = List.of(ids);
            return this;
        }

        public Builder recordsPerSegment(int value) {
            this.recordsPerSegment = value;
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        public Builder keySpace(int value) {
            this.keySpace = value;
            return this;
        }

        public Builder valueSize(int value) {
            this.valueSize = value;
            return this;
        }

        public ReplicationGroup build() throws IOException {
            return new ReplicationGroup(this);
        }
    }
}
