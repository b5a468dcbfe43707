package dev.vigil.tlog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP tlog checkpoint (c2sp.org/tlog-checkpoint): the body of a signed note naming a log by its {@code origin}, its
 * size and its root hash, with optional extension lines; what a log's operator signs and an auditor verifies proofs
 * against. Immutable.
 *
 * @param origin     the log's unique name (no spaces at its ends, no newline)
 * @param size       how many entries the log holds
 * @param rootHash   the RFC 6962 root of those entries (32 bytes)
 * @param extensions further lines, each non-empty
 */
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {

    public Checkpoint {
        if (origin.isEmpty() || !origin.strip().equals(origin) || origin.contains("\n")) {
            throw new IllegalArgumentException("a checkpoint's origin is one line without spaces at its ends");
        }
        if (size < 0) {
            throw new IllegalArgumentException("a checkpoint's size is not negative: " + size);
        }
        if (rootHash.length != MerkleHashes.SIZE) {
            throw new IllegalArgumentException("a root hash has " + MerkleHashes.SIZE + " bytes");
        }
        rootHash = rootHash.clone();
        extensions = List.copyOf(extensions);
        for (String line : extensions) {
            if (line.isEmpty() || line.contains("\n")) {
                throw new IllegalArgumentException("an extension line is one non-empty line");
            }
        }
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /** The note text: origin, size, base64 root, extensions, each line ending in a newline. */
    public String body() {
        StringBuilder text = new StringBuilder()
                .append(origin)
                .append('\n')
                .append(size)
                .append('\n')
                .append(Base64.getEncoder().encodeToString(rootHash))
                .append('\n');
        extensions.forEach(line -> text.append(line).append('\n'));
        return text.toString();
    }

    /**
     * Parses a checkpoint body (the text of an opened note).
     *
     * @throws IllegalArgumentException naming what is malformed
     */
    public static Checkpoint parse(String body) {
        if (!body.endsWith("\n")) {
            throw new IllegalArgumentException("a checkpoint ends in a newline");
        }
        String[] lines = body.substring(0, body.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            throw new IllegalArgumentException("a checkpoint has an origin, a size and a root hash line");
        }
        if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
            throw new IllegalArgumentException(
                    "a checkpoint's size is a decimal number without leading zeros: '" + lines[1] + "'");
        }
        byte[] root;
        try {
            root = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a checkpoint's root hash is base64: '" + lines[2] + "'", e);
        }
        return new Checkpoint(
                lines[0],
                Long.parseLong(lines[1]),
                root,
                new ArrayList<>(Arrays.asList(lines).subList(3, lines.length)));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Checkpoint c
                && c.origin.equals(origin)
                && c.size == size
                && Arrays.equals(c.rootHash, rootHash)
                && c.extensions.equals(extensions);
    }

    @Override
    public int hashCode() {
        return origin.hashCode() * 31 + Long.hashCode(size);
    }

    @Override
    public String toString() {
        return origin + " size " + size + " root " + Base64.getEncoder().encodeToString(rootHash);
    }
}
