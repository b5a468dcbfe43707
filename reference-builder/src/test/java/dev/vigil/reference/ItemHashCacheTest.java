package dev.vigil.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ItemHashCacheTest {

    private static ItemHashCache.Key key(String text) {
        return new ItemHashCache.Key(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCacheOfAnEmptyStateAnswersAbsentForKeysItNeverSawUntilItDropsOne() {
        ItemHashCache cache = new ItemHashCache(2 * ItemHashCache.cost(1), true); // two 1-byte keys
        assertThat(cache.get(key("never"))).isSameAs(ItemHashCache.ABSENT);
        cache.put(key("a"), new long[] {1, 2});
        cache.put(key("b"), new long[] {3, 4});
        assertThat(cache.complete()).isTrue();

        cache.get(key("a")); // a is now the most recently used
        cache.put(key("c"), new long[] {5, 6});

        assertThat(cache.complete()).as("b was dropped").isFalse();
        assertThat(cache.get(key("b"))).as("no longer known, not absent").isNull();
        assertThat(cache.get(key("never"))).isNull();
        assertThat(cache.get(key("a"))).containsExactly(1, 2);
        assertThat(cache.get(key("c"))).containsExactly(5, 6);
    }

    @Test
    void aCacheOfAStateWithItemsKnowsOnlyWhatItWasTold() {
        ItemHashCache cache = new ItemHashCache(10 * ItemHashCache.cost(1), false);
        assertThat(cache.get(key("x"))).isNull();
        cache.put(key("x"), ItemHashCache.ABSENT);
        assertThat(ItemHashCache.isAbsent(cache.get(key("x")))).isTrue();
    }

    @Test
    void clearingForgetsEverythingAndEndsCompleteness() {
        ItemHashCache cache = new ItemHashCache(10 * ItemHashCache.cost(1), true);
        cache.put(key("a"), new long[] {1, 2});
        cache.clear();
        assertThat(cache.size()).isZero();
        assertThat(cache.bytes()).isZero();
        assertThat(cache.complete()).isFalse();
        assertThat(cache.get(key("a"))).isNull();
    }

    @Test
    void keysAreEqualByTheirBytes() {
        assertThat(key("same")).isEqualTo(key("same")).hasSameHashCodeAs(key("same"));
        assertThat(key("same")).isNotEqualTo(key("other"));
    }

    @Test
    void longKeysCountTheirLengthAndPushOutAsManyKeysAsNeeded() {
        ItemHashCache cache = new ItemHashCache(3 * ItemHashCache.cost(1), true);
        cache.put(key("a"), new long[] {1, 2});
        cache.put(key("b"), new long[] {3, 4});
        cache.put(key("c"), new long[] {5, 6});
        assertThat(cache.complete()).isTrue();

        cache.put(key("x".repeat(300)), new long[] {7, 8}); // costs more than the whole capacity

        assertThat(cache.size())
                .as("everything older went, then the long key itself")
                .isZero();
        assertThat(cache.bytes()).isZero();
        assertThat(cache.complete()).isFalse();
        cache.put(key("d"), new long[] {9, 10});
        assertThat(cache.bytes()).isEqualTo(ItemHashCache.cost(1));

        cache.put(key("e"), new long[] {11, 12});
        cache.put(key("y".repeat(200)), new long[] {13, 14}); // fits once d and e are gone
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.bytes()).isEqualTo(ItemHashCache.cost(200));
        assertThat(cache.get(key("y".repeat(200)))).containsExactly(13, 14);
    }
}
