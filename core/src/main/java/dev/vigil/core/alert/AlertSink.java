package dev.vigil.core.alert;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * A destination for alerts. {@link #publish} delivers one notification (firing or resolved, see
 * {@link Alert#status()}) or throws: a sink does its own retrying (within its configured bounds) and then reports
 * failure, so the dispatcher can log it and still deliver to the other sinks. Implementations are thread safe.
 */
public interface AlertSink extends Closeable {

    void publish(Alert alert) throws IOException;

    /**
     * Called about once a minute with every incident open now (its latest firing notification), for sinks whose
     * receiver forgets an alert that is not sent again (Prometheus Alertmanager ends an alert at its {@code endsAt}).
     * Most sinks need not: a notification there stays until the resolved one arrives. Throws like {@link #publish}.
     */
    default void refresh(List<Alert> open) throws IOException {}

    /** Names the sink in messages, e.g. {@code webhook https://hooks.example.org/…}; never a credential. */
    String describe();

    @Override
    default void close() throws IOException {}
}
