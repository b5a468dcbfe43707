package dev.vigil.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one rule for showing a URL in any output (a message, a log line, {@code /health}, a report): never its user
 * information ({@code user:password@} is shown as {@code ***@}, so a refusal can say where the credential was), never
 * its query or fragment (tokens and signatures live there: shown as
 * {@code ?…}), and for {@code http(s)} URLs not the path either (shown as {@code /…}), because an alert receiver's
 * path is often its credential (chat webhooks). A location's path is shown in full for {@code s3}, {@code file} and
 * {@code jdbc} URLs: a bucket prefix, a directory or a database name is what an operator must see to find a mistake.
 * Vigil also refuses {@code user:password@} in every URL setting; this rule is the second line. Stateless.
 */
public final class Urls {

    private static final Pattern USER_INFO = Pattern.compile("//[^/?#@]*@");

    private Urls() {}

    /** {@code url} as it may be printed. */
    public static String forDisplay(URI url) {
        return forDisplay(url.toString());
    }

    /** {@code url} as it may be printed; text that does not parse as a URL is masked the same way, by pattern. */
    public static String forDisplay(String url) {
        String jdbc = "";
        String rest = url;
        if (url.regionMatches(true, 0, "jdbc:", 0, 5)) {
            jdbc = url.substring(0, 5);
            rest = url.substring(5);
        }
        try {
            URI uri = new URI(rest);
            if (uri.isOpaque() || uri.getScheme() == null) {
                return jdbc + byPattern(rest);
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            StringBuilder shown =
                    new StringBuilder(jdbc).append(uri.getScheme()).append("://");
            if (uri.getRawUserInfo() != null) {
                shown.append("***@");
            }
            if (uri.getHost() != null) {
                shown.append(
                        uri.getHost().contains(":") && !uri.getHost().startsWith("[")
                                ? "[" + uri.getHost() + "]"
                                : uri.getHost());
                if (uri.getPort() >= 0) {
                    shown.append(':').append(uri.getPort());
                }
            } else if (uri.getRawAuthority() != null) {
                shown.append(USER_INFO
                        .matcher("//" + uri.getRawAuthority())
                        .replaceFirst("//***@")
                        .substring(2));
            }
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            boolean http = scheme.equals("http") || scheme.equals("https");
            if (http) {
                shown.append(path.isEmpty() || path.equals("/") ? path : "/…");
            } else {
                shown.append(path);
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                shown.append("?…");
            }
            return shown.toString();
        } catch (URISyntaxException e) {
            return jdbc + byPattern(rest);
        }
    }

    private static String byPattern(String text) {
        String masked = USER_INFO.matcher(text).replaceAll("//***@");
        int query = indexOfAny(masked, '?', '#');
        return query < 0 ? masked : masked.substring(0, query) + "?…";
    }

    private static int indexOfAny(String text, char a, char b) {
        int first = text.indexOf(a);
        int second = text.indexOf(b);
        return first < 0 ? second : second < 0 ? first : Math.min(first, second);
    }

    /** Whether {@code url} carries user information ({@code user@} or {@code user:password@}) after its scheme. */
    public static boolean hasUserInfo(String url) {
        String rest = url.regionMatches(true, 0, "jdbc:", 0, 5) ? url.substring(5) : url;
        try {
            URI uri = new URI(rest);
            if (!uri.isOpaque() && uri.getRawAuthority() != null) {
                return uri.getRawUserInfo() != null || uri.getRawAuthority().contains("@");
            }
        } catch (URISyntaxException e) {
            // fall through to the pattern: a malformed URL may still carry credentials
        }
        int slashes = rest.indexOf("//");
        if (slashes < 0) {
            return false;
        }
        int end = slashes + 2;
        while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0) {
            end++;
        }
        return rest.substring(slashes + 2, end).contains("@");
    }
}
