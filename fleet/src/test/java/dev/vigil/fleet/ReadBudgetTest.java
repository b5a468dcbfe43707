package dev.vigil.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ByteRange;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectCorruptException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PutRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read budget divides among workers and passes bytes (and damage) through unchanged. */
class ReadBudgetTest {

    @TempDir
    Path dir;

    @Test
    void theBudgetIsDividedAmongTheLiveWorkers() {
        ReadBudget budget = new ReadBudget(300_000_000);
        assertThat(budget.rate()).isEqualTo(300_000_000);
        budget.share(3);
        assertThat(budget.rate()).isEqualTo(100_000_000);
        budget.share(0); // not yet seen itself: it still counts
        assertThat(budget.rate()).isEqualTo(300_000_000);
        assertThat(new ReadBudget(0).rate()).isZero();
    }

    @Test
    void readsThroughTheBudgetReturnTheSameBytesAndStillDetectDamage() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024];
        new SplittableRandom(1).nextBytes(data);
        try (ObjectStore raw = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC())) {
            raw.put(PutRequest.ifAbsent(
                    "partitions/p/wal/x.seg",
                    ObjectBody.ofBytes(data),
                    Checksum.of(ChecksumAlgorithm.CRC32C, data),
                    Map.of()));
            ObjectStore budgeted = new ReadBudget(1L << 40).wrap(raw);
            assertThat(new ReadBudget(0).wrap(raw)).isSameAs(raw);
            try (ObjectStream in = budgeted.get("partitions/p/wal/x.seg")) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
            try (ObjectStream in = budgeted.get("partitions/p/wal/x.seg", new ByteRange(10, 100))) {
                assertThat(in.readAllBytes()).hasSize(100).startsWith(data[10], data[11]);
            }

            // Damage the stored bytes behind the store's back: the budgeted read still fails at the end.
            Path file;
            try (Stream<Path> files = Files.walk(dir.resolve("repo"))) {
                file = files.filter(p -> p.getFileName().toString().equals("x.seg"))
                        .findFirst()
                        .orElseThrow();
            }
            byte[] damaged = Files.readAllBytes(file);
            damaged[damaged.length / 2] ^= 0x01;
            Files.write(file, damaged);
            assertThatThrownBy(() -> {
                        try (ObjectStream in = budgeted.get("partitions/p/wal/x.seg")) {
                            in.readAllBytes();
                        }
                    })
                    .isInstanceOf(ObjectCorruptException.class);
        }
    }
}
