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
        ItemHashCache cache = new ItemHashCache(2, true);
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
        ItemHashCache cache = new ItemHashCache(10, false);
        assertThat(cache.get(key("x"))).isNull();
        cache.put(key("x"), ItemHashCache.ABSENT);
        assertThat(ItemHashCache.isAbsent(cache.get(key("x")))).isTrue();
    }

    @Test
    void clearingForgetsEverythingAndEndsCompleteness() {
        ItemHashCache cache = new ItemHashCache(10, true);
        cache.put(key("a"), new long[] {1, 2});
        cache.clear();
        assertThat(cache.size()).isZero();
        assertThat(cache.complete()).isFalse();
        assertThat(cache.get(key("a"))).isNull();
    }

    @Test
    void keysAreEqualByTheirBytes() {
        assertThat(key("same")).isEqualTo(key("same")).hasSameHashCodeAs(key("same"));
        assertThat(key("same")).isNotEqualTo(key("other"));
    }
}
