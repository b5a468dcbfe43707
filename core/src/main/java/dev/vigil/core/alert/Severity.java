package dev.vigil.core.alert;

/** How urgently a person must act on an alert. */
public enum Severity {
    /** Worth knowing; no action needed now. */
    INFO,
    /** Needs attention within the working day: protection is degraded but no data is known to be lost. */
    WARNING,
    /** Needs attention now: data may be lost or wrong, or history may be unrecoverable. */
    CRITICAL
}
