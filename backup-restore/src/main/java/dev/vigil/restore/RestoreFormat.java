package dev.vigil.restore;

/** What a restore writes. */
public enum RestoreFormat {
    /** A RocksDB database a storage node can adopt as its replica, with the applied-LSN key set. */
    ROCKSDB,
    /** Parquet files with the snapshot schema (key, value, lsn), sorted by key. */
    PARQUET,
    /** One JSON object per line: {@code {"key":"<base64>","value":"<base64>","lsn":N}}, sorted by key. */
    JSONL
}
