package dev.vigil.core.alert;

import java.io.Closeable;
import java.io.IOException;

/**
 * A destination for alerts. {@link #publish} delivers one alert or throws: a sink does its own retrying
 * (within its configured bounds) and then reports failure, so the dispatcher can log it and still deliver
 * to the other sinks. Implementations are thread safe.
 */
public interface AlertSink extends Closeable {

    void publish(Alert alert) throws IOException;

    /** Names the sink in messages, e.g. {@code webhook https://hooks.example.org/vigil}. */
    String describe();

    @Override
    default void close() throws IOException {}
}
