package dev.vigil.audit;

import dev.vigil.core.store.ObjectStore;
import dev.vigil.tlog.MerkleHashes;
import dev.vigil.tlog.MerkleTree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The log's entries as stored now, read in order into a tree that proves any of them: what a checkpoint signs and a
 * seal proves inclusion in. The entries must be numbered 0, 1, 2, … without a gap (else nothing is signed: a gap is
 * what an audit names). Immutable once read; not thread safe.
 */
final class LogSnapshot {

    private final ObjectStore store;
    /** The entries as read; null where only the leaf hash came from the cache (read from the store when asked). */
    private final List<byte @Nullable []> entries;

    private final MerkleTree tree;

    private LogSnapshot(ObjectStore store, List<byte @Nullable []> entries, MerkleTree tree) {
        this.store = store;
        this.entries = entries;
        this.tree = tree;
    }

    /**
     * The leaves cached by earlier reads, and every entry stored after them (added to the cache): only the entries
     * appended since the last read are read.
     *
     * @throws IOException when an entry cannot be read, or one is missing (named)
     */
    static LogSnapshot read(ObjectStore store, LeafCache cache) throws IOException {
        List<byte @Nullable []> entries = new ArrayList<>();
        MerkleTree tree = new MerkleTree();
        cache.withLock((cached, appender) -> {
            for (byte[] leaf : cached) {
                tree.append(leaf);
                entries.add(null);
            }
            for (long seq : LogReader.entryNumbersFrom(store, tree.size())) {
                requireNext(seq, tree.size());
                byte[] bytes = LogReader.read(store, LogLayout.entryKey(seq));
                byte[] leaf = MerkleHashes.leaf(bytes);
                entries.add(bytes);
                tree.append(leaf);
                appender.append(leaf);
            }
        });
        return new LogSnapshot(store, entries, tree);
    }

    private static void requireNext(long seq, long expected) throws IOException {
        if (seq != expected) {
            throw new IOException("the log has no entry " + expected + " (next is " + seq + "): not signing a log"
                    + " with a gap; run vigil audit");
        }
    }

    /**
     * Reads every entry.
     *
     * @throws IOException when an entry cannot be read, or one is missing (named)
     */
    static LogSnapshot read(ObjectStore store) throws IOException {
        List<byte @Nullable []> entries = new ArrayList<>();
        MerkleTree tree = new MerkleTree();
        for (long seq : LogReader.entryNumbers(store)) {
            requireNext(seq, tree.size());
            byte[] bytes = LogReader.read(store, LogLayout.entryKey(seq));
            entries.add(bytes);
            tree.append(MerkleHashes.leaf(bytes));
        }
        return new LogSnapshot(store, entries, tree);
    }

    long size() {
        return tree.size();
    }

    byte[] root() {
        return tree.root(tree.size());
    }

    /** Entry {@code index} as stored (the leaf's data); one only cached is read from the store now. */
    byte[] entry(long index) throws IOException {
        byte[] read = entries.get(Math.toIntExact(index));
        return read != null ? read.clone() : LogReader.read(store, LogLayout.entryKey(index));
    }

    /** The proof that this snapshot's tree extends the tree of its first {@code first} entries. */
    List<byte[]> consistencyProof(long first) {
        return tree.consistencyProof(first, tree.size());
    }

    /** The proof that entry {@code index} is in the tree of this snapshot's size. */
    List<byte[]> inclusionProof(long index) {
        return tree.inclusionProof(index, tree.size());
    }
}
