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
}
