package dev.vigil.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.PartitionId;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.PutRequest;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.demo.node.SimulatedReplica;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipper's whole ship-or-compare decision, one outcome per case, with the exact objects it leaves behind. */
class SegmentShipperTest {

    private static final PartitionId P = PartitionId.of("p-0001");

    @TempDir
    Path dir;

    private ReplicationGroup group;
    private ObjectStore store;
    private SegmentShipper shipper;

    @BeforeEach
    void setUp() throws Exception {
        group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .recordsPerSegment(50)
                .build();
        group.write(100);
        group.sealAll();
        store = ObjectStores.localDirectory(dir.resolve("repository"), Clock.systemUTC());
        shipper = new SegmentShipper(store);
    }

    @AfterEach
    void tearDown() throws Exception {
        store.close();
        group.close();
    }

    private static LocalPartition partition(SimulatedReplica replica) {
        return new LocalPartition(P, replica.id(), replica.walDir());
    }

    private static LocalSegment first(SimulatedReplica replica) throws Exception {
        return LocalWal.read(replica.walDir()).sealed().getFirst();
    }

    private String keyOf(LocalSegment segment) {
        return RepositoryLayout.walKey(P, segment.range());
    }

    @Test
    void anUnlistedSegmentIsUploadedAndConfirmed() throws Exception {
        SimulatedReplica r1 = group.replica("r1");
        LocalSegment segment = first(r1);

        ShipResult result = shipper.ship(partition(r1), segment, false);

        assertThat(result).isInstanceOf(ShipResult.Uploaded.class);
        assertThat(store.head(keyOf(segment)).size()).isEqualTo(Files.size(segment.path()));
        assertThat(store.head(keyOf(segment)).metadata()).containsEntry("replica", "r1");
    }

    @Test
    void aListedSegmentWithTheSameBytesIsComparedNotUploadedAgain() throws Exception {
        SimulatedReplica r1 = group.replica("r1");
        SimulatedReplica r2 = group.replica("r2");
        shipper.ship(partition(r1), first(r1), false);

        ShipResult listed = shipper.ship(partition(r2), first(r2), true);
        ShipResult raced = shipper.ship(partition(r2), first(r2), false);

        assertThat(listed)
                .isInstanceOfSatisfying(
                        ShipResult.AlreadyArchived.class,
                        a -> assertThat(a.archivedBy()).isEqualTo("r1"));
        assertThat(raced).isInstanceOf(ShipResult.AlreadyArchived.class);
        assertThat(store.head(keyOf(first(r1))).metadata())
                .as("the object stored first is kept")
                .containsEntry("replica", "r1");
        assertThat(keys("conflicts/")).isEmpty();
    }

    @Test
    void aListedKeyHoldingOtherBytesIsADivergenceAndOurCopyIsKeptForForensics() throws Exception {
        SimulatedReplica r2 = group.replica("r2");
        LocalSegment segment = first(r2);
        byte[] other = Files.readAllBytes(
                group.replica("r1").walDir().resolve(segment.path().getFileName()));
        other[other.length / 2] ^= 0x01; // what another replica might have written for the same LSNs
        store.put(PutRequest.overwrite(
                keyOf(segment),
                ObjectBody.ofBytes(other),
                Checksum.of(ChecksumAlgorithm.CRC32C, other),
                Map.of("replica", "r9")));

        ShipResult result = shipper.ship(partition(r2), segment, true);

        String conflict =
                "conflicts/p-0001/" + segment.path().getFileName().toString().replace(".seg", "") + "/r2.seg";
        assertThat(result).isInstanceOfSatisfying(ShipResult.Diverged.class, d -> {
            assertThat(d.existing().metadata()).containsEntry("replica", "r9");
            assertThat(d.conflictKey()).isEqualTo(conflict);
        });
        assertThat(keys("conflicts/")).containsExactly(conflict);
        assertThat(store.head(keyOf(segment)).metadata())
                .as("the archived object is left as it is")
                .containsEntry("replica", "r9");
    }

    @Test
    void aCorruptLocalSegmentIsNeverArchived() throws Exception {
        SimulatedReplica r1 = group.replica("r1");
        LocalSegment segment = first(r1);
        byte[] bytes = Files.readAllBytes(segment.path());
        bytes[bytes.length - 3] ^= 0x40;
        Files.write(segment.path(), bytes);

        ShipResult result = shipper.ship(partition(r1), segment, false);

        assertThat(result).isInstanceOf(ShipResult.Corrupt.class);
        assertThat(keys("partitions/")).isEmpty();
    }

    private List<String> keys(String prefix) throws Exception {
        List<String> keys = new ArrayList<>();
        store.forEach(prefix, o -> keys.add(o.key()));
        return keys;
    }
}
