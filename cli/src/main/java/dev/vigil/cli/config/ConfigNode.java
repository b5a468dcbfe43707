package dev.vigil.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.vigil.core.Urls;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A position in a parsed YAML document that reads typed values and records every problem (with its dotted
 * path) instead of stopping at the first. Reading a key marks it known; {@link #rejectUnknownKeys()} then
 * reports typos. Not thread safe; one per load.
 */
final class ConfigNode {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final JsonNode node;
    private final String path;
    private final List<String> problems;
    private final Set<String> known = new HashSet<>();

    ConfigNode(JsonNode node, String path, List<String> problems) {
        this.node = node == null ? MissingNode.getInstance() : node;
        this.path = path;
        this.problems = problems;
    }

    boolean isMissing() {
        return node.isMissingNode() || node.isNull();
    }

    String path() {
        return path;
    }

    void problem(String message) {
        problems.add((path.isEmpty() ? "" : path + ": ") + message);
    }

    ConfigNode child(String key) {
        known.add(key);
        if (!isMissing() && !node.isObject()) {
            return new ConfigNode(MissingNode.getInstance(), childPath(key), problems);
        }
        return new ConfigNode(node.get(key), childPath(key), problems);
    }

    boolean has(String key) {
        return !child(key).isMissing();
    }

    /** The elements of a list; reports a problem when the value is not a list. */
    List<ConfigNode> elements() {
        List<ConfigNode> elements = new ArrayList<>();
        if (isMissing()) {
            return elements;
        }
        if (!node.isArray()) {
            problem("expected a list");
            return elements;
        }
        for (int i = 0; i < node.size(); i++) {
            elements.add(new ConfigNode(node.get(i), path + "[" + i + "]", problems));
        }
        return elements;
    }

    boolean requireObject() {
        if (isMissing()) {
            problem("is required");
            return false;
        }
        if (!node.isObject()) {
            problem("expected a section of settings");
            return false;
        }
        return true;
    }

    void rejectUnknownKeys() {
        if (!node.isObject()) {
            return;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                problems.add(childPath(name) + ": unknown setting (known here: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    /** This node's text (a list element's); a problem when it is not a non-empty text. */
    Optional<String> text() {
        if (isMissing()) {
            return Optional.empty();
        }
        if (!node.isValueNode() || node.isBoolean() || node.asText().isBlank()) {
            problem("expected a non-empty text value");
            return Optional.empty();
        }
        return Optional.of(node.asText().trim());
    }

    Optional<String> optionalString(String key) {
        ConfigNode child = child(key);
        if (child.isMissing()) {
            return Optional.empty();
        }
        if (!child.node.isValueNode() || child.node.isBoolean()) {
            child.problem("expected a text value");
            return Optional.empty();
        }
        String text = child.node.asText().trim();
        if (text.isEmpty()) {
            child.problem("must not be empty");
            return Optional.empty();
        }
        return Optional.of(text);
    }

    String string(String key, String defaultValue) {
        return optionalString(key).orElse(defaultValue);
    }

    Optional<String> requiredString(String key) {
        Optional<String> value = optionalString(key);
        if (value.isEmpty() && child(key).isMissing()) {
            child(key).problem("is required");
        }
        return value;
    }

    boolean bool(String key, boolean defaultValue) {
        ConfigNode child = child(key);
        if (child.isMissing()) {
            return defaultValue;
        }
        if (!child.node.isBoolean()) {
            child.problem("expected true or false, found '" + child.node.asText() + "'");
            return defaultValue;
        }
        return child.node.asBoolean();
    }

    int integer(String key, int defaultValue, int min, int max) {
        ConfigNode child = child(key);
        if (child.isMissing()) {
            return defaultValue;
        }
        if (!child.node.canConvertToInt() || !child.node.isIntegralNumber()) {
            child.problem("expected a whole number, found '" + child.node.asText() + "'");
            return defaultValue;
        }
        int value = child.node.asInt();
        if (value < min || value > max) {
            child.problem("must be between " + min + " and " + max + ", was " + value);
            return defaultValue;
        }
        return value;
    }

    /** A size like {@code 64MiB}, {@code 512KiB} or a plain number of bytes. */
    long size(String key, long defaultValue) {
        return parsed(key, defaultValue, text -> Sizes.parse(text).orElse(null), Sizes.FORMS);
    }

    /** A duration like {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 7d}. */
    Duration duration(String key, Duration defaultValue) {
        return parsed(key, defaultValue, text -> parseDuration(text).orElse(null), DURATION_FORMS);
    }

    /** How durations are written, for messages. */
    static final String DURATION_FORMS = "a duration such as 500ms, 10s, 5m, 2h or 7d";

    /** Parses {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h} or {@code 7d}; empty for anything else. */
    static Optional<Duration> parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(m.group(1));
        return Optional.of(
                switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                });
    }

    /**
     * An absolute URL; one that carries user information ({@code user:password@}) is refused in every URL setting:
     * credentials never belong in the file, and a URL is printed in messages and logs (masked, but never trusted to
     * be).
     */
    Optional<URI> uri(String key) {
        return uri(key, CREDENTIALS_ELSEWHERE);
    }

    /** As {@link #uri(String)}, saying {@code whereCredentialsGo} when the URL carries some. */
    Optional<URI> uri(String key, String whereCredentialsGo) {
        Optional<String> text = optionalString(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (Urls.hasUserInfo(text.get())) {
            child(key)
                    .problem("'" + Urls.forDisplay(text.get()) + "' carries credentials (user:password@), which do"
                            + " not belong in the configuration file: " + whereCredentialsGo);
            return Optional.empty();
        }
        try {
            URI uri = new URI(text.get());
            if (uri.getScheme() == null) {
                child(key).problem("'" + Urls.forDisplay(text.get()) + "' is not an absolute URL");
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            child(key).problem("'" + Urls.forDisplay(text.get()) + "' is not a valid URL: " + e.getReason());
            return Optional.empty();
        }
    }

    /** Where credentials go instead of a URL, for the message that refuses one. */
    static final String CREDENTIALS_ELSEWHERE = "S3 credentials come from the AWS default chain (environment, ~/.aws,"
            + " an instance role), the fleet database's password from VIGIL_FLEET_PASSWORD, PGPASSWORD or ~/.pgpass,"
            + " and an alert receiver that needs a secret takes it from a proxy or a URL path the receiver issued";

    /** An absolute path; relative paths are refused because a daemon's working directory is arbitrary. */
    Optional<Path> absolutePath(String key) {
        return optionalString(key).flatMap(text -> toAbsolutePath(text, child(key)));
    }

    Optional<Path> asAbsolutePath() {
        if (isMissing() || !node.isTextual()) {
            problem("expected a path");
            return Optional.empty();
        }
        return toAbsolutePath(node.asText(), this);
    }

    private static Optional<Path> toAbsolutePath(String text, ConfigNode at) {
        try {
            Path path = Path.of(text);
            if (!path.isAbsolute()) {
                at.problem("'" + text + "' must be an absolute path");
                return Optional.empty();
            }
            return Optional.of(path.normalize());
        } catch (InvalidPathException e) {
            at.problem("'" + text + "' is not a valid path: " + e.getReason());
            return Optional.empty();
        }
    }

    <E extends Enum<E>> E enumeration(String key, E defaultValue) {
        Class<E> type = defaultValue.getDeclaringClass();
        return parsed(
                key,
                defaultValue,
                text -> {
                    for (E constant : type.getEnumConstants()) {
                        if (label(constant).equals(text.toLowerCase(Locale.ROOT))) {
                            return constant;
                        }
                    }
                    return null;
                },
                "one of "
                        + String.join(
                                ", ",
                                Arrays.stream(type.getEnumConstants())
                                        .map(ConfigNode::label)
                                        .toList()));
    }

    static String label(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private <T> T parsed(String key, T defaultValue, Function<String, T> parser, String expected) {
        ConfigNode child = child(key);
        if (child.isMissing()) {
            return defaultValue;
        }
        String text = child.node.asText().trim();
        T value;
        try {
            value = parser.apply(text);
        } catch (ArithmeticException | NumberFormatException e) {
            child.problem("'" + text + "' is too large (expected " + expected + ")");
            return defaultValue;
        }
        if (value == null) {
            child.problem("expected " + expected + ", found '" + text + "'");
            return defaultValue;
        }
        return value;
    }

    private String childPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
