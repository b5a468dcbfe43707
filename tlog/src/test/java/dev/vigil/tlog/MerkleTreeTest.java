package dev.vigil.tlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The Merkle tree against the RFC 6962 test vectors published with Certificate Transparency (transparency-dev/merkle),
 * and its proofs against an independent implementation written from RFC 6962 §2.1 alone ({@link NaiveRfc6962}): for
 * every size and every leaf, the proofs are the RFC's, they verify, and any change to them, the leaf, the index, the
 * sizes or the roots does not.
 */
class MerkleTreeTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String[] DATA = {
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"
    };
    private static final String[] ROOTS = {
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
    };

    private static MerkleTree reference() {
        MerkleTree tree = new MerkleTree();
        for (String data : DATA) {
            tree.append(MerkleHashes.leaf(HEX.parseHex(data)));
        }
        return tree;
    }

    @Test
    void rootsAreThoseOfTheRfc6962TestVectors() {
        MerkleTree tree = reference();
        for (int size = 0; size <= DATA.length; size++) {
            assertThat(HEX.formatHex(tree.root(size))).as("size " + size).isEqualTo(ROOTS[size]);
        }
    }

    @Test
    void proofsAreThoseOfTheRfc6962TestVectors() {
        MerkleTree tree = reference();
        assertThat(hex(tree.inclusionProof(0, 8)))
                .containsExactly(
                        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
        assertThat(hex(tree.inclusionProof(5, 8)))
                .containsExactly(
                        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
        assertThat(hex(tree.consistencyProof(2, 8)))
                .containsExactly(
                        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
        assertThat(hex(tree.consistencyProof(6, 8)))
                .containsExactly(
                        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
        assertThat(hex(tree.consistencyProof(2, 5)))
                .containsExactly(
                        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
    }

    @Property(tries = 60)
    void everyInclusionProofIsTheRfcsAndVerifiesAndNothingElseDoes(@ForAll @IntRange(min = 1, max = 70) int size) {
        MerkleTree tree = tree(size);
        List<byte[]> leaves = leaves(tree);
        byte[] root = tree.root(size);
        assertThat(root).isEqualTo(NaiveRfc6962.root(leaves));
        for (int index = 0; index < size; index++) {
            List<byte[]> proof = tree.inclusionProof(index, size);
            assertThat(hex(proof)).isEqualTo(hex(NaiveRfc6962.path(index, leaves)));
            assertThat(MerkleProofs.verifyInclusion(index, size, leaves.get(index), proof, root))
                    .isTrue();
            assertThat(MerkleProofs.verifyInclusion(index, size, MerkleHashes.leaf(new byte[] {9}), proof, root))
                    .as("another leaf")
                    .isFalse();
            assertThat(MerkleProofs.verifyInclusion(index, size, leaves.get(index), proof, tree.root(index)))
                    .as("another root (the tree before this leaf)")
                    .isFalse();
            if (size > 1) {
                int other = (index + 1) % size;
                assertThat(MerkleProofs.verifyInclusion(other, size, leaves.get(index), proof, root))
                        .as("another index")
                        .isFalse();
                assertThat(MerkleProofs.verifyInclusion(index, size, leaves.get(index), tampered(proof), root))
                        .as("a tampered proof")
                        .isFalse();
                assertThat(MerkleProofs.verifyInclusion(
                                index, size, leaves.get(index), proof.subList(0, proof.size() - 1), root))
                        .as("a truncated proof")
                        .isFalse();
            }
        }
    }

    @Property(tries = 60)
    void everyConsistencyProofIsTheRfcsAndVerifiesAndNothingElseDoes(
            @ForAll @IntRange(min = 1, max = 70) int second, @ForAll @IntRange(min = 0, max = 70) int firstSeed) {
        int first = firstSeed % (second + 1);
        MerkleTree tree = tree(second);
        List<byte[]> leaves = leaves(tree);
        byte[] firstRoot = tree.root(first);
        byte[] secondRoot = tree.root(second);
        List<byte[]> proof = tree.consistencyProof(first, second);
        if (first > 0 && first < second) {
            assertThat(hex(proof)).isEqualTo(hex(NaiveRfc6962.proof(first, leaves)));
        }
        assertThat(MerkleProofs.verifyConsistency(first, second, firstRoot, secondRoot, proof))
                .isTrue();
        if (first > 0 && first < second) {
            assertThat(MerkleProofs.verifyConsistency(first, second, tree.root(first - 1), secondRoot, proof))
                    .as("another first root")
                    .isFalse();
            assertThat(MerkleProofs.verifyConsistency(first, second, firstRoot, tree.root(second - 1), proof))
                    .as("another second root")
                    .isFalse();
            assertThat(MerkleProofs.verifyConsistency(first, second, firstRoot, secondRoot, tampered(proof)))
                    .as("a tampered proof")
                    .isFalse();
            assertThat(MerkleProofs.verifyConsistency(
                            first, second, firstRoot, secondRoot, proof.subList(0, proof.size() - 1)))
                    .as("a truncated proof")
                    .isFalse();
            // A log that rewrote an old entry: its new root is not consistent with the old checkpoint.
            MerkleTree forked = tree(second);
            MerkleTree rewritten = new MerkleTree();
            for (int i = 0; i < second; i++) {
                rewritten.append(i == first - 1 ? MerkleHashes.leaf(new byte[] {42}) : forked.leafHash(i));
            }
            assertThat(MerkleProofs.verifyConsistency(
                            first,
                            second,
                            firstRoot,
                            rewritten.root(second),
                            rewritten.consistencyProof(first, second)))
                    .as("a rewritten entry")
                    .isFalse();
        }
    }

    private static MerkleTree tree(int size) {
        MerkleTree tree = new MerkleTree();
        for (int i = 0; i < size; i++) {
            tree.append(MerkleHashes.leaf(("entry " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return tree;
    }

    private static List<byte[]> leaves(MerkleTree tree) {
        List<byte[]> leaves = new ArrayList<>();
        for (long i = 0; i < tree.size(); i++) {
            leaves.add(tree.leafHash(i));
        }
        return leaves;
    }

    private static List<byte[]> tampered(List<byte[]> proof) {
        List<byte[]> changed = new ArrayList<>(proof);
        byte[] first = changed.getFirst().clone();
        first[0] ^= 1;
        changed.set(0, first);
        return changed;
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HEX::formatHex).toList();
    }

    /**
     * RFC 6962 §2.1 as written: MTH, PATH and PROOF/SUBPROOF over lists, recursively, with nothing shared with the
     * implementation under test but the two hash functions.
     */
    static final class NaiveRfc6962 {

        static byte[] root(List<byte[]> d) {
            if (d.isEmpty()) {
                return MerkleHashes.empty();
            }
            if (d.size() == 1) {
                return d.getFirst();
            }
            int k = largestPowerOfTwoBelow(d.size());
            return MerkleHashes.node(root(d.subList(0, k)), root(d.subList(k, d.size())));
        }

        static List<byte[]> path(int m, List<byte[]> d) {
            if (d.size() == 1) {
                return List.of();
            }
            int k = largestPowerOfTwoBelow(d.size());
            List<byte[]> result = new ArrayList<>();
            if (m < k) {
                result.addAll(path(m, d.subList(0, k)));
                result.add(root(d.subList(k, d.size())));
            } else {
                result.addAll(path(m - k, d.subList(k, d.size())));
                result.add(root(d.subList(0, k)));
            }
            return result;
        }

        static List<byte[]> proof(int m, List<byte[]> d) {
            return subproof(m, d, true);
        }

        private static List<byte[]> subproof(int m, List<byte[]> d, boolean b) {
            if (m == d.size()) {
                return b ? List.of() : List.of(root(d));
            }
            int k = largestPowerOfTwoBelow(d.size());
            List<byte[]> result = new ArrayList<>();
            if (m <= k) {
                result.addAll(subproof(m, d.subList(0, k), b));
                result.add(root(d.subList(k, d.size())));
            } else {
                result.addAll(subproof(m - k, d.subList(k, d.size()), false));
                result.add(root(d.subList(0, k)));
            }
            return result;
        }

        private static int largestPowerOfTwoBelow(int n) {
            int k = 1;
            while (k * 2 < n) {
                k *= 2;
            }
            return k;
        }
    }

    @Test
    void theSplitIsTheLargestPowerOfTwoBelowTheSize() {
        assertThat(Arrays.asList(
                        MerkleTree.split(2),
                        MerkleTree.split(3),
                        MerkleTree.split(4),
                        MerkleTree.split(5),
                        MerkleTree.split(8),
                        MerkleTree.split(9)))
                .containsExactly(1L, 2L, 2L, 4L, 4L, 8L);
    }
}
