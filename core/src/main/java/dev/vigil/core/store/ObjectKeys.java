package dev.vigil.core.store;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Rules for object keys and user metadata. Keys also become paths in the local store and are read back
 * from repositories Vigil did not necessarily write, so they are never trusted as paths: a key is
 * relative, made of {@code /}-separated non-empty segments, none of which is {@code .}, {@code ..} or
 * starts with a dot, with no backslash, NUL or other control character, at most 1024 UTF-8 bytes.
 */
public final class ObjectKeys {

    /** Metadata key under which a store keeps the caller's checksum. */
    public static final String CHECKSUM_METADATA = "vigil-checksum";

    private static final int MAX_KEY_BYTES = 1024;
    private static final Pattern METADATA_KEY = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final int MAX_METADATA_BYTES = 1800;

    private ObjectKeys() {}

    /** Returns {@code key} if valid; otherwise throws an {@link IllegalArgumentException} saying why. */
    public static String validate(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("object key must not be empty");
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("object key longer than " + MAX_KEY_BYTES + " bytes: " + key);
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                throw new IllegalArgumentException("object key contains a forbidden character (code " + (int) c + "): "
                        + key.replaceAll("\\p{Cntrl}", "?"));
            }
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.startsWith(".")) {
                throw new IllegalArgumentException("object key '" + key + "' has an empty segment or one starting"
                        + " with '.' (no absolute keys, '..' or hidden names)");
            }
        }
        return key;
    }

    /** Validates a prefix for listing: empty, or a key-like string (it may end with {@code /}). */
    public static String validatePrefix(String prefix) {
        if (prefix.isEmpty()) {
            return prefix;
        }
        validate(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        return prefix;
    }

    /**
     * User metadata keys are 1 to 64 characters from {@code [a-z0-9-]} (S3 lower-cases them), values
     * printable ASCII; {@value #CHECKSUM_METADATA} is reserved; at most 1800 bytes in all (S3 allows 2 KB).
     */
    public static void validateMetadata(Map<String, String> metadata) {
        int total = 0;
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            String name = entry.getKey();
            if (!METADATA_KEY.matcher(name).matches()) {
                throw new IllegalArgumentException(
                        "metadata key '" + name + "' must be 1-64 characters from [a-z0-9-]");
            }
            if (name.equals(CHECKSUM_METADATA)) {
                throw new IllegalArgumentException(
                        "metadata key '" + CHECKSUM_METADATA + "' is reserved for the store");
            }
            String value = entry.getValue();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x20 || c > 0x7e) {
                    throw new IllegalArgumentException("metadata value of '" + name + "' must be printable ASCII");
                }
            }
            total += name.length() + value.length();
        }
        if (total > MAX_METADATA_BYTES) {
            throw new IllegalArgumentException("user metadata of " + total + " bytes exceeds " + MAX_METADATA_BYTES);
        }
    }
}
