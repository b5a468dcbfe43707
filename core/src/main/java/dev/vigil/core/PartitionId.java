package dev.vigil.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/**
 * Identifies one partition of a table. It appears in WAL segment headers, in object keys of the
 * repository and in directory names on storage nodes, so it is restricted to characters that are
 * safe in all three: ASCII letters, digits, {@code .}, {@code _} and {@code -}, 1 to 128 of them,
 * not starting with a dot.
 */
public record PartitionId(@JsonValue String value) implements Comparable<PartitionId> {

    /** Longest partition id, in bytes (the WAL header stores its length in 16 bits, but 128 keeps keys short). */
    public static final int MAX_LENGTH = 128;

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    public PartitionId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid partition id '" + value + "': use 1 to " + MAX_LENGTH
                    + " characters from [A-Za-z0-9._-], not starting with '.'");
        }
    }

    /** In JSON documents an id is its text. */
    @JsonCreator
    public static PartitionId of(String value) {
        return new PartitionId(value);
    }

    /** True when {@code value} would be accepted by the constructor. */
    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    @Override
    public int compareTo(PartitionId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
