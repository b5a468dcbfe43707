package dev.vigil.core.config;

/**
 * Reference replicas and their snapshots ({@code reference} section).
 *
 * @param snapshotWalBytes a new reference snapshot is written once this many bytes of archived WAL were
 *                         replayed past the previous one (0: never write snapshots)
 */
public record ReferenceConfig(long snapshotWalBytes) {

    public ReferenceConfig {
        if (snapshotWalBytes < 0) {
            throw new IllegalArgumentException(
                    "reference.snapshot-every must not be negative, was " + snapshotWalBytes);
        }
    }

    public static ReferenceConfig defaults() {
        return new ReferenceConfig(256L * 1024 * 1024);
    }
}
