package dev.vigil.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of Vigil that is running, as the build recorded it; "unknown" when run from unbuilt classes. */
public final class VigilVersion {

    private static final String VERSION = load();

    private VigilVersion() {}

    /** {@code 0.1.0-SNAPSHOT}, for example. */
    public static String version() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = VigilVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "unknown");
            return version.startsWith("${") ? "unknown" : version;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
