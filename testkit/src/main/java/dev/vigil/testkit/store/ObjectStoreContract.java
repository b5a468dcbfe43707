package dev.vigil.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ByteRange;
import dev.vigil.core.store.ChecksumMismatchException;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectCorruptException;
import dev.vigil.core.store.ObjectInfo;
import dev.vigil.core.store.ObjectListing;
import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.ObjectSummary;
import dev.vigil.core.store.PreconditionFailedException;
import dev.vigil.core.store.PutRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The semantics every {@link ObjectStore} must have, run against each implementation (local directory,
 * S3 on each test server). Subclasses provide a fresh, empty store per test and a way to damage an
 * object's stored bytes behind the store's back.
 */
public abstract class ObjectStoreContract extends ConditionalReplacementContract {

    /** Flips one byte of the stored content of {@code key} (at {@code offset}) without going through the store. */
    protected abstract void corruptStoredBytes(String key, long offset) throws Exception;

    /**
     * Whether listings report each object's size as read back; an encrypting store lists what it stores (the
     * ciphertext, larger), and answers in plaintext terms only where it reads the object's metadata ({@code head}).
     */
    protected boolean listsObjectSizes() {
        return true;
    }

    /** Whether the store itself refuses a put whose body does not match the checksum sent with it. */
    protected boolean validatesChecksums() {
        return true;
    }

    @Test
    void putThenGetReturnsTheSameBytesAndMetadata() throws Exception {
        ObjectStore store = store();
        byte[] bytes = randomBytes(100_000, 1);
        Map<String, String> metadata = Map.of("partition", "orders-7", "first-lsn", "42");

        ObjectInfo stored = store.put(put("partitions/orders-7/wal/a.seg", bytes, true, metadata));

        assertThat(stored.size()).isEqualTo(bytes.length);
        assertThat(readAll(store, "partitions/orders-7/wal/a.seg")).isEqualTo(bytes);
        try (ObjectStream in = store.get("partitions/orders-7/wal/a.seg")) {
            assertThat(in.info().metadata()).isEqualTo(metadata);
            assertThat(in.info().checksum()).isEqualTo(Checksum.of(ChecksumAlgorithm.CRC32C, bytes));
            assertThat(in.readAllBytes()).hasSize(bytes.length);
        }
    }

    @Test
    void putConfirmedReportsWhatTheStoreHoldsAndRefusesAWrongChecksumLikePut() throws Exception {
        ObjectStore store = store();
        byte[] bytes = randomBytes(50_000, 11);

        ObjectInfo confirmed = store.putConfirmed(put("partitions/p/wal/confirmed.seg", bytes, true, Map.of("r", "1")));

        assertThat(confirmed.size()).isEqualTo(bytes.length);
        assertThat(confirmed.checksum()).isEqualTo(Checksum.of(ChecksumAlgorithm.CRC32C, bytes));
        assertThat(readAll(store, "partitions/p/wal/confirmed.seg")).isEqualTo(bytes);
        assertThatThrownBy(() -> store.putConfirmed(put("partitions/p/wal/confirmed.seg", bytes, true, Map.of())))
                .isInstanceOf(PreconditionFailedException.class);
        if (validatesChecksums()) {
            Checksum wrong = Checksum.of(ChecksumAlgorithm.CRC32C, randomBytes(50_000, 12));
            assertThatThrownBy(() -> store.putConfirmed(
                            new PutRequest("k/bad-confirmed", ObjectBody.ofBytes(bytes), wrong, Map.of(), true)))
                    .isInstanceOf(ChecksumMismatchException.class);
            assertThatThrownBy(() -> store.head("k/bad-confirmed")).isInstanceOf(ObjectNotFoundException.class);
        }
    }

    @Test
    void headDescribesAnObjectWithoutReadingIt() throws Exception {
        ObjectStore store = store();
        byte[] bytes = "sealed segment".getBytes(StandardCharsets.UTF_8);
        store.put(put("k/head", bytes, false, Map.of("replica", "r1")));

        ObjectInfo info = store.head("k/head");

        assertThat(info.key()).isEqualTo("k/head");
        assertThat(info.size()).isEqualTo(bytes.length);
        assertThat(info.checksum()).isEqualTo(Checksum.of(ChecksumAlgorithm.CRC32C, bytes));
        assertThat(info.metadata()).isEqualTo(Map.of("replica", "r1"));
    }

    @Test
    void emptyObjectsRoundTrip() throws Exception {
        ObjectStore store = store();
        store.put(put("k/empty", new byte[0], true, Map.of()));
        assertThat(readAll(store, "k/empty")).isEmpty();
        assertThat(store.head("k/empty").size()).isZero();
    }

    @Test
    void rangedReadReturnsExactlyTheRangeAndStopsAtTheEnd() throws Exception {
        ObjectStore store = store();
        byte[] bytes = randomBytes(10_000, 2);
        store.put(put("k/ranged", bytes, true, Map.of()));

        try (ObjectStream in = store.get("k/ranged", new ByteRange(1234, 100))) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 1234, 1334));
            assertThat(in.info().size()).isEqualTo(bytes.length);
        }
        try (ObjectStream in = store.get("k/ranged", new ByteRange(9_950, 1_000))) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 9_950, 10_000));
        }
    }

    @Test
    void putIfAbsentOnAnExistingKeyFailsAndKeepsTheOriginal() throws Exception {
        ObjectStore store = store();
        byte[] first = "first".getBytes(StandardCharsets.UTF_8);
        store.put(put("k/once", first, true, Map.of()));

        assertThatThrownBy(() -> store.put(put("k/once", "second".getBytes(StandardCharsets.UTF_8), true, Map.of())))
                .isInstanceOf(PreconditionFailedException.class)
                .hasMessageContaining("k/once");
        assertThat(readAll(store, "k/once")).isEqualTo(first);
    }

    @Test
    void concurrentPutsIfAbsentHaveExactlyOneWinner() throws Exception {
        Assumptions.assumeTrue(
                atomicConditionalWrites(),
                "this server does not make If-None-Match atomic under concurrency (see docs/testing.md)");
        ObjectStore store = store();
        int writers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(
                writers, Thread.ofPlatform().name("contract-writer-", 0).factory());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                byte[] bytes = randomBytes(50_000, 100 + i);
                Callable<Boolean> writer = () -> {
                    start.await();
                    try {
                        store.put(put("k/race", bytes, true, Map.of("writer", Integer.toString(bytes[0]))));
                        return true;
                    } catch (PreconditionFailedException lost) {
                        return false;
                    }
                };
                results.add(pool.submit(writer));
            }
            start.countDown();
            int winners = 0;
            for (Future<Boolean> result : results) {
                winners += result.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
            byte[] stored = readAll(store, "k/race");
            assertThat(store.head("k/race").metadata()).containsEntry("writer", Integer.toString(stored[0]));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void overwriteReplacesTheWholeObject() throws Exception {
        ObjectStore store = store();
        store.put(put("k/state", randomBytes(5_000, 3), false, Map.of("v", "1")));
        byte[] second = randomBytes(300, 4);

        store.put(put("k/state", second, false, Map.of("v", "2")));

        assertThat(readAll(store, "k/state")).isEqualTo(second);
        assertThat(store.head("k/state").metadata()).isEqualTo(Map.of("v", "2"));
    }

    @Test
    void listingPaginatesBeyondAThousandKeysInLexicographicOrder() throws Exception {
        ObjectStore store = store();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1_050; i++) {
            String key = String.format("partitions/p1/wal/%020d-%020d.seg", i * 10 + 1, i * 10 + 10);
            expected.add(key);
        }
        expected.add("partitions/p1/wal-extra");
        expected.sort(String::compareTo);
        for (String key : expected) {
            store.put(put(key, key.getBytes(StandardCharsets.UTF_8), true, Map.of()));
        }
        store.put(put("partitions/p10/wal/x.seg", new byte[1], true, Map.of()));
        store.put(put("partitions/p0/wal/x.seg", new byte[1], true, Map.of()));

        ObjectListing first = store.list("partitions/p1/wal", Optional.empty(), 1000);
        assertThat(first.objects()).hasSize(1000);
        assertThat(first.nextStartAfter()).contains(expected.get(999));
        ObjectListing second = store.list("partitions/p1/wal", first.nextStartAfter(), 1000);
        assertThat(second.objects()).hasSize(expected.size() - 1000);
        assertThat(second.nextStartAfter()).isEmpty();

        List<String> listed = new ArrayList<>();
        for (Iterator<ObjectSummary> it = store.listAll("partitions/p1/wal"); it.hasNext(); ) {
            ObjectSummary summary = it.next();
            listed.add(summary.key());
            if (listsObjectSizes()) {
                assertThat(summary.size()).isEqualTo(summary.key().length());
            } else {
                assertThat(summary.size()).isGreaterThan(summary.key().length());
            }
        }
        assertThat(listed).containsExactlyElementsOf(expected);
        List<String> underSlash = expected.stream()
                .filter(k -> k.startsWith("partitions/p1/wal/"))
                .toList();
        assertThat(store.list("partitions/p1/wal/", Optional.empty(), 5).objects())
                .extracting(ObjectSummary::key)
                .containsExactlyElementsOf(underSlash.subList(0, 5));
        assertThat(store.list("partitions/none/", Optional.empty(), 10).objects())
                .isEmpty();
    }

    @Test
    void aWrongChecksumIsRejectedAtIngestAndNothingIsStored() throws Exception {
        Assumptions.assumeTrue(
                validatesChecksums(),
                "this server stores a body whatever checksum"
                        + " comes with it; with it, s3.integrity: content-md5 makes Vigil check the body itself before sending");
        ObjectStore store = store();
        byte[] bytes = randomBytes(20_000, 5);
        Checksum wrong = Checksum.of(ChecksumAlgorithm.CRC32C, randomBytes(20_000, 6));

        assertThatThrownBy(() -> store.put(new PutRequest("k/bad", ObjectBody.ofBytes(bytes), wrong, Map.of(), true)))
                .isInstanceOf(ChecksumMismatchException.class)
                .hasMessageContaining("k/bad");
        assertThatThrownBy(() -> store.head("k/bad")).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void aBodyShorterThanAnnouncedIsRejected() throws Exception {
        ObjectStore store = store();
        byte[] bytes = randomBytes(1_000, 7);
        ObjectBody lying = new ObjectBody() {
            @Override
            public long length() {
                return 1_000;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(bytes, 0, 900);
            }

            @Override
            public String describe() {
                return "a body that ends early";
            }
        };
        assertThatThrownBy(() -> store.put(
                        new PutRequest("k/short", lying, Checksum.of(ChecksumAlgorithm.CRC32C, bytes), Map.of(), true)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> store.head("k/short")).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void damagedStoredBytesAreDetectedByReHashingOnRead() throws Exception {
        ObjectStore store = store();
        byte[] bytes = randomBytes(64_000, 8);
        store.put(put("k/rot", bytes, true, Map.of()));

        corruptStoredBytes("k/rot", 31_337);

        assertThatThrownBy(() -> readAll(store, "k/rot"))
                .isInstanceOf(ObjectCorruptException.class)
                .hasMessageContaining("k/rot")
                .hasMessageContaining(
                        Checksum.of(ChecksumAlgorithm.CRC32C, bytes).toString());
    }

    @Test
    void missingKeysRaiseNotFoundAndDeletingThemSucceeds() throws Exception {
        ObjectStore store = store();
        assertThatThrownBy(() -> store.get("k/missing"))
                .isInstanceOf(ObjectNotFoundException.class)
                .hasMessageContaining("k/missing");
        assertThatThrownBy(() -> store.get("k/missing", new ByteRange(0, 10)))
                .isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store.head("k/missing")).isInstanceOf(ObjectNotFoundException.class);
        store.delete("k/missing");
    }

    @Test
    void deleteRemovesAnObject() throws Exception {
        ObjectStore store = store();
        store.put(put("a/b/c", new byte[] {1, 2, 3}, true, Map.of()));
        store.delete("a/b/c");
        assertThatThrownBy(() -> store.head("a/b/c")).isInstanceOf(ObjectNotFoundException.class);
        assertThat(store.list("a/", Optional.empty(), 10).objects()).isEmpty();
        store.put(put("a/b/c", new byte[] {4}, true, Map.of()));
        assertThat(readAll(store, "a/b/c")).containsExactly(4);
    }

    @Test
    void largeObjectsRoundTrip() throws Exception {
        ObjectStore store = store();
        byte[] bytes = randomBytes(12 * 1024 * 1024 + 17, 9);
        store.put(put("k/large", bytes, true, Map.of("size", "large")));
        assertThat(readAll(store, "k/large")).isEqualTo(bytes);
        assertThat(store.head("k/large").metadata()).containsEntry("size", "large");
        assertThatThrownBy(() -> store.put(put("k/large", bytes, true, Map.of())))
                .isInstanceOf(PreconditionFailedException.class);
    }

    @Test
    void sha256ChecksumsAreSupported() throws Exception {
        ObjectStore store = store();
        byte[] bytes = randomBytes(10_000, 10);
        Checksum sha = Checksum.of(ChecksumAlgorithm.SHA256, bytes);
        store.put(new PutRequest("k/sha", ObjectBody.ofBytes(bytes), sha, Map.of(), true));
        assertThat(store.head("k/sha").checksum()).isEqualTo(sha);
        assertThat(readAll(store, "k/sha")).isEqualTo(bytes);
    }

    @Test
    void keysThatCouldEscapeAreRefusedBeforeAnyIo() throws Exception {
        ObjectStore store = store();
        for (String key : List.of("../etc/passwd", "/abs", "a//b", "a/./b", "a/../b", "a/.hidden", "a\\b", "", "a/")) {
            assertThatThrownBy(() -> store.head(key)).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> put(key, new byte[1], true, Map.of()))
                    .as(key)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
