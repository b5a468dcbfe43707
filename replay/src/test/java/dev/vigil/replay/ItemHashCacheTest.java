package dev.vigil.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.digest.ItemHasher;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ItemHashCacheTest {

    private static byte[] key(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static int slot(ItemHashCache cache, String text) {
        byte[] key = key(text);
        cache.reserve(1);
        return cache.slot(key, ItemHasher.keyHash(key));
    }

    /** Gives {@code text}'s entry the item hash {@code [high, low]}, as a put of it does. */
    private static void present(ItemHashCache cache, String text, long high, long low) {
        cache.makePresent(slot(cache, text), new long[] {high, low});
    }

    private static long[] itemHash(ItemHashCache cache, String text) {
        long[] out = new long[2];
        cache.itemHash(slot(cache, text), out);
        return out;
    }

    @Test
    void aCacheOfAnEmptyStateAnswersAbsentForKeysItNeverSawUntilItDropsOne() {
        ItemHashCache cache = new ItemHashCache(3 * ItemHashCache.cost(1), true); // three 1-byte keys
        int never = slot(cache, "n");
        assertThat(cache.known(never)).isTrue();
        assertThat(cache.present(never)).isFalse();
        present(cache, "a", 1, 2);
        present(cache, "b", 3, 4);
        cache.trim();
        assertThat(cache.complete()).isTrue();

        present(cache, "c", 5, 6);
        cache.trim();

        assertThat(cache.complete()).as("a key was dropped").isFalse();
        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.bytes()).isEqualTo(3 * ItemHashCache.cost(1));
        assertThat(cache.known(slot(cache, "never")))
                .as("no longer known absent")
                .isFalse();
    }

    @Test
    void keysUsedSinceTheLastSweepStayAndTheOthersGoFirst() {
        ItemHashCache cache = new ItemHashCache(3 * ItemHashCache.cost(1), false);
        for (String key : new String[] {"a", "b", "c"}) {
            present(cache, key, key.charAt(0), 0);
        }
        present(cache, "d", 'd', 0); // four keys: the sweep clears every mark and drops one
        cache.trim();
        slot(cache, "c"); // c and the new e are used after that sweep
        present(cache, "e", 'e', 0);
        cache.trim();

        assertThat(cache.size()).isEqualTo(3);
        assertThat(itemHash(cache, "c")).containsExactly('c', 0);
        assertThat(itemHash(cache, "e")).containsExactly('e', 0);
    }

    @Test
    void aCacheOfAStateWithItemsKnowsOnlyWhatItWasTold() {
        ItemHashCache cache = new ItemHashCache(10 * ItemHashCache.cost(1), false);
        int x = slot(cache, "x");
        assertThat(cache.known(x)).isFalse();
        assertThat(cache.claimRead(x))
                .as("the first asker reads the stored value")
                .isTrue();
        assertThat(cache.claimRead(slot(cache, "x")))
                .as("a second record of the same key in the batch does not")
                .isFalse();
        cache.makeAbsent(x);
        assertThat(cache.known(slot(cache, "x"))).isTrue();
        assertThat(cache.present(slot(cache, "x"))).isFalse();
        assertThatThrownBy(() -> itemHash(cache, "x")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void nothingIsDroppedBeforeTrimSoABatchsSlotsStayValid() {
        ItemHashCache cache = new ItemHashCache(2 * ItemHashCache.cost(1), true);
        cache.reserve(3);
        int a = slot(cache, "a");
        present(cache, "b", 3, 4);
        present(cache, "c", 5, 6);
        cache.makePresent(a, new long[] {1, 2});
        assertThat(cache.size()).isEqualTo(3);
        assertThat(itemHash(cache, "a")).containsExactly(1, 2);
        assertThat(cache.complete()).isTrue();

        cache.trim();

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.bytes()).isEqualTo(2 * ItemHashCache.cost(1));
        assertThat(cache.complete()).isFalse();
    }

    @Test
    void aSlotIsFoundOnlyWhenRoomWasReserved() {
        ItemHashCache cache = new ItemHashCache(1L << 30, true);
        byte[] key = key("k");
        for (int i = 0; i < 512; i++) {
            byte[] other = key("k" + i);
            cache.slot(other, ItemHasher.keyHash(other)); // 512 keys fill the initial 1,024 slots half way
        }
        assertThatThrownBy(() -> cache.slot(key, ItemHasher.keyHash(key)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no room reserved");
        cache.reserve(1);
        assertThat(cache.known(cache.slot(key, ItemHasher.keyHash(key)))).isTrue();
    }

    @Test
    void clearingForgetsEverythingAndEndsCompleteness() {
        ItemHashCache cache = new ItemHashCache(10 * ItemHashCache.cost(1), true);
        present(cache, "a", 1, 2);
        cache.clear();
        assertThat(cache.size()).isZero();
        assertThat(cache.bytes()).isZero();
        assertThat(cache.complete()).isFalse();
        assertThat(cache.known(slot(cache, "a"))).isFalse();
    }

    @Test
    void keysAreComparedByTheirBytesNotJustTheirHash() {
        ItemHashCache cache = new ItemHashCache(10 * ItemHashCache.cost(4), false);
        cache.reserve(2);
        int same = cache.slot(key("same"), 42);
        cache.makePresent(same, new long[] {1, 1});
        int other = cache.slot(key("othr"), 42); // the same key hash, other bytes
        assertThat(other).isNotEqualTo(same);
        assertThat(cache.known(other)).isFalse();
        assertThat(cache.slot(key("same"), 42)).isEqualTo(same);
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void longKeysCountTheirLengthAndPushOutAsManyKeysAsNeeded() {
        ItemHashCache cache = new ItemHashCache(3 * ItemHashCache.cost(1), true);
        present(cache, "a", 1, 2);
        present(cache, "b", 3, 4);
        present(cache, "c", 5, 6);
        cache.trim();
        assertThat(cache.complete()).isTrue();

        present(cache, "x".repeat(300), 7, 8); // costs more than the whole capacity
        cache.trim();

        assertThat(cache.bytes())
                .as("the long key, too big for the cache alone, went, and so many others as the sweep met first")
                .isEqualTo(cache.size() * ItemHashCache.cost(1))
                .isLessThanOrEqualTo(3 * ItemHashCache.cost(1));
        assertThat(cache.complete()).isFalse();
        assertThat(cache.known(slot(cache, "x".repeat(300)))).isFalse();
    }

    /**
     * Random puts, deletes and sweeps against a plain map, with key hashes forced into a few home slots so that probe
     * runs are long, wrap around the table's end and are repaired after every removal: whatever the cache still holds
     * must be exactly what the map says, and nothing it holds may be unreachable.
     */
    @Test
    void whatTheCacheHoldsIsAlwaysExactThroughCollisionsGrowthAndRemovals() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 100; round++) {
            ItemHashCache cache = new ItemHashCache((4 + random.nextInt(200)) * ItemHashCache.cost(6), true);
            Map<String, Long> truth = new HashMap<>(); // key -> item hash high; absent keys not in the map
            for (int step = 0; step < 5_000; step++) {
                String text = String.format("k%05d", random.nextInt(500));
                byte[] key = key(text);
                long keyHash = forced(text, ItemHasher.keyHash(key));
                cache.reserve(1);
                int slot = cache.slot(key, keyHash);
                if (cache.known(slot)) {
                    Long expected = truth.get(text);
                    assertThat(cache.present(slot)).as(text).isEqualTo(expected != null);
                    if (expected != null) {
                        long[] out = new long[2];
                        cache.itemHash(slot, out);
                        assertThat(out[0]).as(text).isEqualTo(expected);
                    }
                } else {
                    assertThat(cache.complete()).isFalse();
                    assertThat(cache.claimRead(slot)).isTrue();
                }
                if (random.nextInt(3) == 0) {
                    cache.makeAbsent(slot);
                    truth.remove(text);
                } else {
                    long high = random.nextLong();
                    cache.makePresent(slot, new long[] {high, step});
                    truth.put(text, high);
                }
                if (random.nextInt(8) == 0) {
                    cache.trim();
                }
            }
        }
    }

    /** A key hash that depends on the key alone (so it is stable), mostly one of two that share home slots. */
    private static long forced(String text, long natural) {
        int selector = Math.floorMod(text.hashCode() * 31, 8);
        return selector == 0 ? natural : (1L << 40) * (selector & 1) + 1023;
    }
}
