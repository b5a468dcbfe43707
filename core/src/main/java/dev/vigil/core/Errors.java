package dev.vigil.core;

/** Describing a failure in a message for people. Thread safe. */
public final class Errors {

    private Errors() {}

    /**
     * What went wrong: the exception's message, or its type when it has none (a bare {@code NullPointerException},
     * an {@code EOFException} from some readers), never "null".
     */
    public static String message(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }

    /**
     * {@link #message} of {@code failure}, followed by the messages of its causes that add something (a pool's
     * "connection not available" says little without the driver's "connection refused" beneath it).
     */
    public static String messageWithCauses(Throwable failure) {
        StringBuilder text = new StringBuilder(message(failure));
        Throwable cause = failure.getCause();
        for (int depth = 0; cause != null && depth < 5; depth++) {
            String next = message(cause);
            if (text.indexOf(next) < 0) {
                text.append(": ").append(next);
            }
            cause = cause.getCause();
        }
        return text.toString();
    }
}
