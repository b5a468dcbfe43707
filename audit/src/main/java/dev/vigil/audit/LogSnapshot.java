package dev.vigil.audit;

import dev.vigil.core.store.ObjectStore;
import dev.vigil.tlog.MerkleHashes;
import dev.vigil.tlog.MerkleTree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The log's entries as stored now, read in order into a tree that proves any of them: what a checkpoint signs and a
 * seal proves inclusion in. The entries must be numbered 0, 1, 2, … without a gap (else nothing is signed: a gap is
 * what an audit names). Immutable once read; not thread safe.
 */
final class LogSnapshot {

    private final List<byte[]> entries;
    private final MerkleTree tree;

    private LogSnapshot(List<byte[]> entries, MerkleTree tree) {
        this.entries = entries;
        this.tree = tree;
    }

    /**
     * Reads every entry.
     *
     * @throws IOException when an entry cannot be read, or one is missing (named)
     */
    static LogSnapshot read(ObjectStore store) throws IOException {
        List<byte[]> entries = new ArrayList<>();
        MerkleTree tree = new MerkleTree();
        for (long seq : LogReader.entryNumbers(store)) {
            if (seq != tree.size()) {
                throw new IOException("the log has no entry " + tree.size() + " (next is " + seq + "): not signing a"
                        + " log with a gap; run vigil audit");
            }
            byte[] bytes = LogReader.read(store, LogLayout.entryKey(seq));
            entries.add(bytes);
            tree.append(MerkleHashes.leaf(bytes));
        }
        return new LogSnapshot(entries, tree);
    }

    long size() {
        return tree.size();
    }

    byte[] root() {
        return tree.root(tree.size());
    }

    /** Entry {@code index} as stored (the leaf's data). */
    byte[] entry(long index) {
        return entries.get(Math.toIntExact(index)).clone();
    }

    /** The proof that entry {@code index} is in the tree of this snapshot's size. */
    List<byte[]> inclusionProof(long index) {
        return tree.inclusionProof(index, tree.size());
    }
}
