package dev.vigil.core.config;

/**
 * What a restore writes ({@code restore} section).
 *
 * @param rocksdbFormatVersion the RocksDB table {@code format_version} of a {@code rocksdb} restore (and of a drill's
 *                             output): 5 by default, which RocksDB 6.6 and later read, so that a node on an older
 *                             RocksDB can adopt what Vigil restores; {@code vigil restore --rocksdb-format-version}
 *                             overrides it for one restore
 */
public record RestoreConfig(int rocksdbFormatVersion) {

    /** Table format versions a restore may be written in (RocksDB 11 writes these; 6.6 and later read 2 to 5). */
    public static final int OLDEST_FORMAT_VERSION = 2;

    public static final int NEWEST_FORMAT_VERSION = 7;

    public static RestoreConfig defaults() {
        return new RestoreConfig(5);
    }
}
