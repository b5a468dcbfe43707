package dev.vigil.core.alert;

/**
 * What services raise alerts through. Raising never throws: an alert that cannot be delivered is logged
 * (the log is the last resort), because a failing alert path must not stop the work that found the problem.
 */
@FunctionalInterface
public interface AlertPublisher {

    void raise(Alert alert);
}
