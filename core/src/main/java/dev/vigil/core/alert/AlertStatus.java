package dev.vigil.core.alert;

/** Where an incident stands when a sink receives a notification of it. */
public enum AlertStatus {
    /** The condition holds (the first notification of an incident, or an update while it lasts). */
    FIRING,
    /** The condition ended; no more notifications of this incident follow. */
    RESOLVED
}
