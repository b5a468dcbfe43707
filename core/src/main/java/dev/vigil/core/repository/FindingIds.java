package dev.vigil.core.repository;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Short, stable names of findings, so that an operator can refer to one ({@code vigil ack F-…}): {@code F-} and the
 * first 10 hex digits of the SHA-256 of what identifies the problem (its partition, if any, and its alert key, which
 * says what and where). The same problem gets the same id in every report and in {@code vigil status}.
 */
public final class FindingIds {

    private static final Pattern VALID = Pattern.compile("F-[0-9a-f]{10}");

    private FindingIds() {}

    /** The id of the problem an alert key names, in a partition ({@code ""} for a repository-wide one). */
    public static String of(String partition, String problem) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((partition + "\n" + problem).getBytes(StandardCharsets.UTF_8));
            return "F-" + HexFormat.of().formatHex(hash, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    public static boolean isValid(String id) {
        return VALID.matcher(id).matches();
    }
}
