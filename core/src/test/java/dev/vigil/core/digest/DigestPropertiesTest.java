package dev.vigil.core.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.sketch.SketchShape;
import dev.vigil.core.summary.StateAccumulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The algebra the reference builder and the judge rely on. */
class DigestPropertiesTest {

    record Op(boolean delete, String key, byte[] value) {}

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Digest digestOf(Map<String, byte[]> state, DigestAlgorithm algorithm, int bits) {
        DigestAccumulator accumulator = new DigestAccumulator(algorithm, bits);
        state.forEach((k, v) -> accumulator.add(bytes(k), v));
        return accumulator.snapshot();
    }

    @Property(tries = 200)
    void theDigestOfASetDoesNotDependOnInsertionOrder(
            @ForAll("states") Map<String, byte[]> state,
            @ForAll long seed,
            @ForAll("algorithms") DigestAlgorithm algorithm) {
        List<Map.Entry<String, byte[]>> entries = new ArrayList<>(state.entrySet());
        Collections.shuffle(entries, new Random(seed));
        DigestAccumulator shuffled = new DigestAccumulator(algorithm, 6);
        entries.forEach(e -> shuffled.add(bytes(e.getKey()), e.getValue()));

        assertThat(shuffled.snapshot()).isEqualTo(digestOf(state, algorithm, 6));
        assertThat(shuffled.snapshot().itemCount()).isEqualTo(state.size());
    }

    @Property(tries = 200)
    void digestsOfDisjointPartsAddUpToTheDigestOfTheWhole(
            @ForAll("states") Map<String, byte[]> state,
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 4) int parts,
            @ForAll("algorithms") DigestAlgorithm algorithm) {
        Random random = new Random(seed);
        List<DigestAccumulator> accumulators = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            accumulators.add(new DigestAccumulator(algorithm, 3));
        }
        state.forEach((k, v) -> accumulators.get(random.nextInt(parts)).add(bytes(k), v));
        DigestAccumulator added = accumulators.getFirst();
        accumulators.subList(1, parts).forEach(added::addAll);

        assertThat(added.snapshot()).isEqualTo(digestOf(state, algorithm, 3));
        assertThat(added.snapshot().itemCount()).isEqualTo(state.size());
    }

    @Test
    void aDigestOfAnotherShapeCannotBeAdded() {
        DigestAccumulator mine = new DigestAccumulator(DigestAlgorithm.XXH128, 3);
        assertThatThrownBy(() -> mine.addAll(new DigestAccumulator(DigestAlgorithm.XXH128, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 bucket bits");
    }

    @Property(tries = 300)
    void applyingMutationsIncrementallyEqualsDigestingTheFinalStateFromScratch(
            @ForAll("histories") List<Op> history, @ForAll("algorithms") DigestAlgorithm algorithm) {
        Map<String, byte[]> state = new TreeMap<>();
        DigestAccumulator incremental = new DigestAccumulator(algorithm, 4);
        for (Op op : history) {
            byte[] previous = state.get(op.key());
            if (op.delete()) {
                if (previous != null) {
                    incremental.remove(bytes(op.key()), previous);
                    state.remove(op.key());
                }
            } else {
                incremental.put(bytes(op.key()), previous, op.value());
                state.put(op.key(), op.value());
            }
        }
        assertThat(incremental.snapshot()).isEqualTo(digestOf(state, algorithm, 4));
    }

    @Property(tries = 300)
    void statesDifferingInOneItemDifferInExactlyThatItemsBucket(
            @ForAll("states") Map<String, byte[]> state,
            @ForAll("keys") String key,
            @ForAll byte[] value,
            @ForAll("algorithms") DigestAlgorithm algorithm) {
        Map<String, byte[]> changed = new TreeMap<>(state);
        byte[] previous = changed.put(key, value);
        if (previous != null && Arrays.equals(previous, value)) {
            return;
        }
        Digest before = digestOf(state, algorithm, Digest.DEFAULT_BUCKET_BITS);
        Digest after = digestOf(changed, algorithm, Digest.DEFAULT_BUCKET_BITS);

        int bucket = new ItemHasher(algorithm, Digest.DEFAULT_BUCKET_BITS).bucket(bytes(key));
        assertThat(before.differingBuckets(after)).containsExactly(bucket);
        assertThat(before.sameAs(after)).isFalse();
    }

    @Property(tries = 200)
    void theDrillDownNamesExactlyTheKeysThatDiffer(
            @ForAll("states") Map<String, byte[]> reference, @ForAll("histories") List<Op> damage) {
        Map<String, byte[]> replica = new TreeMap<>(reference);
        for (Op op : damage) {
            if (op.delete()) {
                replica.remove(op.key());
            } else {
                replica.put(op.key(), op.value());
            }
        }
        int bits = 3;
        Digest a = digestOf(reference, DigestAlgorithm.XXH128, bits);
        Digest b = digestOf(replica, DigestAlgorithm.XXH128, bits);
        List<Integer> buckets = a.differingBuckets(b);

        DrillDown.Result result =
                DrillDown.compare(listing(reference, buckets, bits), listing(replica, buckets, bits), 10_000);

        Map<String, KeyDifference.Kind> expected = new TreeMap<>();
        for (String key : reference.keySet()) {
            if (!replica.containsKey(key)) {
                expected.put(key, KeyDifference.Kind.ONLY_ON_A);
            } else if (!Arrays.equals(reference.get(key), replica.get(key))) {
                expected.put(key, KeyDifference.Kind.DIFFERENT_VALUE);
            }
        }
        replica.keySet().stream()
                .filter(k -> !reference.containsKey(k))
                .forEach(k -> expected.put(k, KeyDifference.Kind.ONLY_ON_B));
        Map<String, KeyDifference.Kind> found = new TreeMap<>();
        result.differences().forEach(d -> found.put(new String(d.key(), StandardCharsets.UTF_8), d.kind()));
        assertThat(found).isEqualTo(expected);
        assertThat(result.total()).isEqualTo(expected.size());
        assertThat(buckets.isEmpty()).isEqualTo(expected.isEmpty());
    }

    @Property(tries = 100)
    void theEncodingRoundTripsAndRejectsDamage(
            @ForAll("states") Map<String, byte[]> state,
            @ForAll @IntRange(min = 0, max = 10) int bits,
            @ForAll @IntRange(min = 0, max = 100_000) int position)
            throws IOException {
        Digest digest = digestOf(state, DigestAlgorithm.XXH128, bits);
        byte[] encoded = digest.encode();
        assertThat(Digest.decode(encoded, "d")).isEqualTo(digest);
        assertThat(Digest.decode(encoded, "d").itemCount()).isEqualTo(state.size());
        encoded[position % encoded.length] ^= 0x40;
        assertThatThrownBy(() -> Digest.decode(encoded, "scrub/42/r1.digest"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("scrub/42/r1.digest: ");
    }

    private static Iterator<KeyHash> listing(Map<String, byte[]> state, List<Integer> buckets, int bits) {
        ItemHasher hasher = new ItemHasher(DigestAlgorithm.XXH128, bits);
        List<KeyHash> list = new ArrayList<>();
        long[] hash = new long[2];
        for (Map.Entry<String, byte[]> entry : state.entrySet()) {
            byte[] key = bytes(entry.getKey());
            if (buckets.contains(hasher.bucket(key))) {
                hasher.hash(key, entry.getValue(), hash);
                list.add(new KeyHash(key, hash[0], hash[1]));
            }
        }
        Collections.sort(list);
        return list.iterator();
    }

    /**
     * Replay keeps each item's hash and removes the item by it, with the key hash it computed once: that must reach
     * the same digest and sketch as adding and removing by value.
     */
    @Property(tries = 200)
    void removingByAKeptItemHashEqualsRemovingByValue(
            @ForAll("histories") List<Op> history, @ForAll("algorithms") DigestAlgorithm algorithm) {
        Optional<SketchShape> shape = Optional.of(SketchShape.forCapacity(SketchShape.MIN_CAPACITY));
        StateAccumulator byValue = StateAccumulator.create(algorithm, 4, shape);
        StateAccumulator byHash = StateAccumulator.create(algorithm, 4, shape);
        Map<String, byte[]> values = new TreeMap<>();
        Map<String, long[]> itemHashes = new TreeMap<>();
        for (Op op : history) {
            byte[] key = bytes(op.key());
            long keyHash = ItemHasher.keyHash(key);
            byte[] old = values.remove(op.key());
            long[] oldHash = itemHashes.remove(op.key());
            if (old != null && oldHash != null) {
                byValue.remove(key, old);
                byHash.removeHashed(key, keyHash, oldHash);
            }
            if (!op.delete()) {
                long[] itemHash = new long[2];
                byValue.add(key, op.value());
                byHash.add(key, keyHash, op.value(), itemHash);
                long[] expected = new long[2];
                byValue.itemHash(key, op.value(), expected);
                assertThat(itemHash).isEqualTo(expected);
                values.put(op.key(), op.value());
                itemHashes.put(op.key(), itemHash);
            }
        }
        assertThat(byHash.digest().snapshot()).isEqualTo(byValue.digest().snapshot());
        assertThat(byHash.sketch()).isEqualTo(byValue.sketch());
        assertThat(byHash.digest().snapshot()).isEqualTo(digestOf(values, algorithm, 4));
    }

    /**
     * A scrub hashes each item where the storage copied it, in one frame that grows on demand: that must reach the
     * same digest and sketch as adding each key and value, whatever their lengths (keys shorter and longer than the
     * sketch's key width, of any length modulo 8, values that make the frame grow and ones that fit).
     */
    @Property(tries = 200)
    void addingItemsInAFrameEqualsAddingTheirKeysAndValues(
            @ForAll("items") List<Map.Entry<byte[], byte[]>> items, @ForAll("algorithms") DigestAlgorithm algorithm) {
        Optional<SketchShape> shape = Optional.of(SketchShape.forCapacity(SketchShape.MIN_CAPACITY));
        StateAccumulator byArrays = StateAccumulator.create(algorithm, 4, shape);
        StateAccumulator byFrame = StateAccumulator.create(algorithm, 4, shape);
        DigestAccumulator digestByFrame = new DigestAccumulator(algorithm, 4);
        ItemFrame frame = new ItemFrame(0);
        for (Map.Entry<byte[], byte[]> item : items) {
            byArrays.add(item.getKey(), item.getValue());
            frame.readKey(copying(item.getKey()));
            frame.readValue(copying(item.getValue()));
            assertThat(frame.key()).isEqualTo(item.getKey());
            assertThat(frame.value()).isEqualTo(item.getValue());
            byFrame.add(frame);
            digestByFrame.add(frame);
        }
        assertThat(byFrame.digest().snapshot()).isEqualTo(byArrays.digest().snapshot());
        assertThat(digestByFrame.snapshot()).isEqualTo(byArrays.digest().snapshot());
        assertThat(byFrame.sketch()).isEqualTo(byArrays.sketch());
    }

    /** Copies as RocksDB's iterator does: as much as there is room for, returning the whole length. */
    private static ItemFrame.PartReader copying(byte[] part) {
        return (into, offset, room) -> {
            System.arraycopy(part, 0, into, offset, Math.min(room, part.length));
            return part.length;
        };
    }

    @Provide
    Arbitrary<List<Map.Entry<byte[], byte[]>>> items() {
        Arbitrary<byte[]> key = Arbitraries.bytes().array(byte[].class).ofMaxSize(70);
        Arbitrary<byte[]> value = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Combinators.combine(key, value).as(Map::entry).list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<DigestAlgorithm> algorithms() {
        return Arbitraries.of(DigestAlgorithm.class);
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.strings().withCharRange('a', 'h').ofMinLength(0).ofMaxLength(4);
    }

    @Provide
    Arbitrary<Map<String, byte[]>> states() {
        return Arbitraries.maps(keys(), Arbitraries.bytes().array(byte[].class).ofMaxSize(20))
                .ofMaxSize(60)
                .map(TreeMap::new);
    }

    @Provide
    Arbitrary<List<Op>> histories() {
        Arbitrary<Op> op = Combinators.combine(
                        Arbitraries.of(true, false, false),
                        keys(),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(20))
                .as(Op::new);
        return op.list().ofMaxSize(80);
    }
}
