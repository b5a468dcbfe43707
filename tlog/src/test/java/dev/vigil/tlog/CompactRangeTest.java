package dev.vigil.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The compact range (the tree's right edge) gives the same root as the whole tree at every size, and a range saved at
 * any size and restored goes on to the same roots: what lets an audit resume without the leaves.
 */
class CompactRangeTest {

    @Property(tries = 50)
    void atEverySizeItsRootIsTheTreesAndASavedRangeResumes(
            @ForAll @IntRange(min = 0, max = 300) int size, @ForAll @IntRange(min = 0, max = 300) int cutSeed) {
        int cut = size == 0 ? 0 : cutSeed % (size + 1);
        MerkleTree tree = new MerkleTree();
        CompactRange range = CompactRange.empty();
        CompactRange resumed = null;
        assertThat(range.root()).isEqualTo(MerkleHashes.empty());
        for (int i = 0; i < size; i++) {
            if (i == cut) {
                resumed = CompactRange.of(range.size(), range.hashes());
            }
            byte[] leaf = MerkleHashes.leaf(("e" + i).getBytes(StandardCharsets.UTF_8));
            tree.append(leaf);
            range.append(leaf);
            if (resumed != null) {
                resumed.append(leaf);
                assertThat(resumed.root()).isEqualTo(range.root());
            }
            assertThat(range.root()).as("size " + (i + 1)).isEqualTo(tree.root(i + 1));
            assertThat(range.hashes()).hasSize(Long.bitCount(i + 1));
        }
    }

    @Test
    void aSavedRangeMustHaveOneHashPerSetBitOfItsSize() {
        assertThatThrownBy(() -> CompactRange.of(3, List.of(new byte[32])))
                .hasMessageContaining("a tree of 3 leaves has 2 edge hashes, not 1");
    }
}
