package dev.vigil.fleet;

/** A task's work failed; db-scheduler records the failure and the task's failure handler decides the next try. */
final class FleetTaskException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    FleetTaskException(String message, Throwable cause) {
        super(message, cause);
    }
}
