package dev.vigil.cli.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as operators write them: {@code 64MiB}, {@code 512KiB}, {@code 10MB} or a plain number of bytes. Stateless. */
public final class Sizes {

    /** How a size is written, for messages. */
    public static final String FORMS = "a size such as 64MiB, 512KiB or 1048576";

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|KB|MB|GB)?");

    private Sizes() {}

    /**
     * The number of bytes {@code text} says; empty when it is not a size.
     *
     * @throws ArithmeticException when it is a size too large for a long
     */
    public static Optional<Long> parse(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long unit = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KiB" -> 1024L;
            case "MiB" -> 1024L * 1024;
            case "GiB" -> 1024L * 1024 * 1024;
            case "KB" -> 1000L;
            case "MB" -> 1000L * 1000;
            case "GB" -> 1000L * 1000 * 1000;
            default -> 1L;
        };
        long count;
        try {
            count = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new ArithmeticException("too many digits: " + m.group(1));
        }
        return Optional.of(Math.multiplyExact(count, unit)); // never wraps round to a small number
    }
}
