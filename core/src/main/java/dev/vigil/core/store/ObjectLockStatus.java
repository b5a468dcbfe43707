package dev.vigil.core.store;

/**
 * Whether a store keeps objects under a write-once lock (S3 Object Lock), as far as it can tell.
 *
 * @param available   the store has such a feature at all (a local directory does not)
 * @param enabled     it is enabled for the repository's bucket
 * @param description for people: the bucket's default mode and retention, or why it is unknown
 */
public record ObjectLockStatus(boolean available, boolean enabled, String description) {

    public static ObjectLockStatus unavailable(String why) {
        return new ObjectLockStatus(false, false, why);
    }
}
