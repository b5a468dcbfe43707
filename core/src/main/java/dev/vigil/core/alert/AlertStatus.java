package dev.vigil.core.alert;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where an incident stands when a sink receives a notification of it. */
public enum AlertStatus {
    /** The condition holds (the first notification of an incident, or an update while it lasts). */
    FIRING,
    /** The condition ended; no more notifications of this incident follow. */
    RESOLVED;

    /** As alert records and webhook payloads spell it: {@code firing}, {@code resolved}. */
    @JsonValue
    public String spelled() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads {@link #spelled()} (or the constant's name). */
    @JsonCreator
    public static AlertStatus of(String spelled) {
        return valueOf(spelled.toUpperCase(Locale.ROOT));
    }
}
