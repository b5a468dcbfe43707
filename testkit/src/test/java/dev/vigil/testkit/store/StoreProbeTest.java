package dev.vigil.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.store.ObjectListing;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStoreException;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.StoreProbe;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code check-config --connect} relies on: every step of the probe either works or is named with the reason. */
class StoreProbeTest {

    @TempDir
    Path dir;

    private ObjectStore local;

    @BeforeEach
    void open() throws IOException {
        local = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC());
    }

    @AfterEach
    void close() throws IOException {
        local.close();
    }

    private StoreProbe.Result probe(ObjectStore store) throws IOException {
        return new StoreProbe(store, Clock.systemUTC(), new SplittableRandom(1)).run();
    }

    private long objects() throws IOException {
        if (!Files.isDirectory(dir.resolve("repo").resolve("probes"))) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir.resolve("repo").resolve("probes"))) {
            return files.count();
        }
    }

    @Test
    void aWorkingStorePassesEveryStepAndKeepsNothing() throws IOException {
        StoreProbe.Result result = probe(local);

        assertThat(result.steps()).hasSize(4);
        assertThat(result.steps().get(0)).startsWith("listed ").endsWith("(empty: a new repository)");
        assertThat(result.steps().get(1)).contains("probes/check-config-").endsWith(" bytes, only if absent)");
        assertThat(result.steps().get(2)).isEqualTo("read it back: the same bytes, checksum verified");
        assertThat(result.steps().get(3)).isEqualTo("deleted it");
        assertThat(objects()).isZero();
    }

    @Test
    void aStoreThatCannotListIsNamedAtTheListing() {
        ObjectStore refusing = new ForwardingObjectStore(local) {
            @Override
            public ObjectListing list(String prefix, Optional<String> startAfter, int maxKeys) throws IOException {
                throw new ObjectStoreException("HTTP 403 AccessDenied on list", false, null);
            }
        };
        assertThatThrownBy(() -> probe(refusing))
                .isInstanceOf(StoreProbe.ProbeFailure.class)
                .hasMessageStartingWith("cannot list ")
                .hasMessageEndingWith(": HTTP 403 AccessDenied on list");
    }

    @Test
    void bytesThatComeBackChangedAreAFailureAndTheProbeIsStillRemoved() throws IOException {
        ObjectStore changing = new ForwardingObjectStore(local) {
            @Override
            public ObjectStream get(String key) throws IOException {
                try (ObjectStream real = super.get(key)) {
                    byte[] bytes = real.readAllBytes();
                    bytes[0] ^= 1;
                    return ObjectStream.ranged(new ByteArrayInputStream(bytes), describe(), real.info(), bytes.length);
                }
            }
        };
        assertThatThrownBy(() -> probe(changing))
                .isInstanceOf(StoreProbe.ProbeFailure.class)
                .hasMessageContaining("probes/check-config-")
                .hasMessageContaining("back as ")
                .hasMessageContaining("different bytes")
                .hasMessageEndingWith("something between Vigil and the store changes data");
        assertThat(objects()).as("removed even though the read failed").isZero();
    }

    @Test
    void aStoreThatRefusesDeletesIsNamedWithWhatToRemoveByHand() {
        ObjectStore undeletable = new ForwardingObjectStore(local) {
            @Override
            public void delete(String key) throws IOException {
                throw new ObjectStoreException("HTTP 403 AccessDenied on delete", false, null);
            }
        };
        assertThatThrownBy(() -> probe(undeletable))
                .isInstanceOf(StoreProbe.ProbeFailure.class)
                .hasMessageStartingWith("cannot delete ")
                .hasMessageContaining("probes/check-config-")
                .hasMessageContaining("HTTP 403 AccessDenied on delete")
                .hasMessageEndingWith("(Vigil needs to delete for retention; remove the probe object by hand)");
    }
}
