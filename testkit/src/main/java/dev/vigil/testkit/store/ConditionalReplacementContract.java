package dev.vigil.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PreconditionFailedException;
import dev.vigil.core.store.PutRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The part of the {@link ObjectStoreContract} about conditional writes that replace: a put "only while the object is
 * still the version listed" ({@link PutRequest#replacing}) succeeds exactly then, never brings back an object deleted
 * meanwhile, and, where the store is atomic, has one winner among racing writers. The helpers every contract test
 * uses live here too.
 */
public abstract class ConditionalReplacementContract {

    /** A fresh, empty store; the subclass closes it after the test. */
    protected abstract ObjectStore store() throws Exception;

    /**
     * Whether concurrent "only if absent" puts of one key are atomic in this store (one winner). A store that
     * says no is documented in docs/testing.md, with what it means for archiving.
     */
    protected boolean atomicConditionalWrites() {
        return true;
    }

    /**
     * Whether concurrent puts "only while version V" have exactly one winner. S3Proxy honours If-Match but checks and
     * writes without excluding a concurrent replacement (measured: 3 of 6 writers won).
     */
    protected boolean atomicConditionalReplacements() {
        return atomicConditionalWrites();
    }

    /** Whether the store honours {@code If-Match} on a put (a server that does not is refused such puts instead). */
    protected boolean replacesConditionally() {
        return true;
    }

    private static String version(ObjectStore store, String key) throws IOException {
        return store.list(key, Optional.empty(), 1).objects().getFirst().version();
    }

    private static PutRequest replacing(String key, byte[] bytes, String version) {
        return PutRequest.replacing(
                key, ObjectBody.ofBytes(bytes), Checksum.of(ChecksumAlgorithm.CRC32C, bytes), Map.of(), version);
    }

    @Test
    void aReplacementSucceedsOnlyWhileTheListedVersionIsCurrent() throws Exception {
        Assumptions.assumeTrue(replacesConditionally(), "this server does not honour If-Match on a put");
        ObjectStore store = store();
        store.put(put("k/cas", randomBytes(2_000, 5), false, Map.of()));
        String first = version(store, "k/cas");
        byte[] newer = randomBytes(2_000, 6);
        store.put(put("k/cas", newer, false, Map.of()));

        assertThatThrownBy(() -> store.put(replacing("k/cas", randomBytes(2_000, 7), first)))
                .as("another writer replaced it since it was listed")
                .isInstanceOf(PreconditionFailedException.class)
                .hasMessageContaining("k/cas");
        assertThat(readAll(store, "k/cas")).isEqualTo(newer);

        byte[] rewritten = randomBytes(2_000, 8);
        store.put(replacing("k/cas", rewritten, version(store, "k/cas")));
        assertThat(readAll(store, "k/cas")).isEqualTo(rewritten);
    }

    @Test
    void concurrentReplacementsOfOneVersionHaveExactlyOneWinner() throws Exception {
        Assumptions.assumeTrue(replacesConditionally(), "this server does not honour If-Match on a put");
        Assumptions.assumeTrue(
                atomicConditionalReplacements(),
                "this server does not make If-Match atomic under concurrency (see docs/testing.md)");
        ObjectStore store = store();
        store.put(put("k/contested", randomBytes(1_000, 11), false, Map.of()));
        String listed = version(store, "k/contested");
        int writers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(
                writers, Thread.ofPlatform().name("contract-replacer-", 0).factory());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                byte[] bytes = randomBytes(20_000, 200 + i);
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        store.put(replacing("k/contested", bytes, listed));
                        return true;
                    } catch (PreconditionFailedException lost) {
                        return false;
                    }
                }));
            }
            start.countDown();
            int winners = 0;
            for (Future<Boolean> result : results) {
                winners += result.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aReplacementOfAnObjectDeletedSinceItWasListedFailsAndDoesNotResurrectIt() throws Exception {
        Assumptions.assumeTrue(replacesConditionally(), "this server does not honour If-Match on a put");
        ObjectStore store = store();
        store.put(put("k/expired", randomBytes(1_000, 9), true, Map.of()));
        String listed = version(store, "k/expired");
        store.delete("k/expired");

        assertThatThrownBy(() -> store.put(replacing("k/expired", randomBytes(1_000, 10), listed)))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(store.list("k/expired", Optional.empty(), 10).objects()).isEmpty();
    }

    protected static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    protected static PutRequest put(String key, byte[] bytes, boolean ifAbsent, Map<String, String> metadata) {
        return new PutRequest(
                key, ObjectBody.ofBytes(bytes), Checksum.of(ChecksumAlgorithm.CRC32C, bytes), metadata, ifAbsent);
    }

    protected static byte[] readAll(ObjectStore store, String key) throws IOException {
        try (ObjectStream in = store.get(key)) {
            return in.readAllBytes();
        }
    }
}
