package dev.vigil.core.store;

import dev.vigil.core.checksum.Checksum;
import java.time.Instant;
import java.util.Map;

/** What a store knows of an object: its size, the checksum Vigil stored with it, user metadata, modification time. */
public record ObjectInfo(String key, long size, Checksum checksum, Map<String, String> metadata, Instant lastModified) {

    public ObjectInfo {
        metadata = Map.copyOf(metadata);
    }
}
