package dev.vigil.fleet;

import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a failed verification, the next try: {@code first}, doubling with each consecutive failure, never later than
 * {@code longest} (so a partition that fails keeps being tried at least as often as it would be verified).
 */
final class Backoff<T> implements FailureHandler<T> {

    private static final Logger LOG = LoggerFactory.getLogger(Backoff.class);

    private final Duration first;
    private final Duration longest;

    Backoff(Duration first, Duration longest) {
        this.first = first;
        this.longest = longest.compareTo(first) < 0 ? first : longest;
    }

    /** The wait after {@code failures} consecutive failures (1 for the first). */
    Duration after(int failures) {
        int doublings = Math.max(0, Math.min(failures - 1, 30));
        Duration wait = first.multipliedBy(1L << doublings);
        return wait.compareTo(longest) > 0 ? longest : wait;
    }

    @Override
    public void onFailure(ExecutionComplete complete, ExecutionOperations<T> operations) {
        int failures = complete.getExecution().consecutiveFailures + 1;
        Instant next = complete.getTimeDone().plus(after(failures));
        LOG.info("{} failed {} time(s) in a row; next try at {}", complete.getExecution().taskInstance, failures, next);
        operations.reschedule(complete, next);
    }
}
