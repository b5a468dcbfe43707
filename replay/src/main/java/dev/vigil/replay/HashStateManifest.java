package dev.vigil.replay;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vigil.core.PartitionId;

/**
 * What a committed hash-state checkpoint holds, written last as {@code manifest.json} beside its {@code hashes.bin}:
 * the judge's hash-only reference of a partition at an LSN, from which any worker resumes the partition without a
 * snapshot. The digest lets a loader prove the hashes it read; size and SHA-256 prove the object.
 *
 * @param format    manifest format version ({@value #FORMAT})
 * @param partition the partition
 * @param lsn       the hashes are the partition's state after every record up to this LSN
 * @param items     number of keys
 * @param algorithm the digest algorithm the item hashes were made with
 * @param bucketBits the digest's bucket bits
 * @param root      the digest root, as hex
 * @param size      bytes of {@code hashes.bin}
 * @param sha256    SHA-256 of {@code hashes.bin}, as hex
 * @param createdAt when it was written (ISO-8601 instant)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HashStateManifest(
        int format,
        String partition,
        long lsn,
        long items,
        String algorithm,
        int bucketBits,
        String root,
        long size,
        @JsonProperty("sha256") String sha256,
        String createdAt) {

    public static final int FORMAT = 1;

    public HashStateManifest {
        PartitionId.of(partition);
        if (lsn < 0 || items < 0 || size < 0) {
            throw new IllegalArgumentException("hash-state manifest of " + partition + ": negative LSN, count or size");
        }
    }
}
