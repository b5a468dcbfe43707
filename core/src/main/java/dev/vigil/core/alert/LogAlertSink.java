package dev.vigil.core.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes alerts to the log: critical as errors, warnings as warnings. */
public final class LogAlertSink implements AlertSink {

    private static final Logger LOG = LoggerFactory.getLogger("vigil.alerts");

    @Override
    public void publish(Alert alert) {
        switch (alert.severity()) {
            case CRITICAL -> LOG.error("{}", alert);
            case WARNING -> LOG.warn("{}", alert);
            case INFO -> LOG.info("{}", alert);
        }
    }

    @Override
    public String describe() {
        return "log";
    }
}
