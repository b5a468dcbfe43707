package dev.vigil.core.store;

import java.util.List;
import java.util.Optional;

/** One page of a listing; {@code nextStartAfter} is present when more keys follow. */
public record ObjectListing(List<ObjectSummary> objects, Optional<String> nextStartAfter) {

    /** The largest page a store returns (S3's limit). */
    public static final int MAX_KEYS = 1000;

    public ObjectListing {
        objects = List.copyOf(objects);
    }

    /** Refuses a page size outside 1..{@value #MAX_KEYS} (for store implementations). */
    public static void checkMaxKeys(int maxKeys) {
        if (maxKeys < 1 || maxKeys > MAX_KEYS) {
            throw new IllegalArgumentException("maxKeys must be 1.." + MAX_KEYS + ", was " + maxKeys);
        }
    }
}
