package dev.vigil.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/**
 * Identifies one replica of a partition (usually the storage node that holds it). Used in object keys
 * and file names, so restricted like {@link PartitionId}: 1 to 64 characters from {@code [A-Za-z0-9._-]},
 * not starting with a dot.
 */
public record ReplicaId(@JsonValue String value) implements Comparable<ReplicaId> {

    public static final int MAX_LENGTH = 64;

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    public ReplicaId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid replica id '" + value + "': use 1 to " + MAX_LENGTH
                    + " characters from [A-Za-z0-9._-], not starting with '.'");
        }
    }

    /** In JSON documents an id is its text. */
    @JsonCreator
    public static ReplicaId of(String value) {
        return new ReplicaId(value);
    }

    @Override
    public int compareTo(ReplicaId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
