package dev.vigil.archiver;

import dev.vigil.core.PartitionId;
import dev.vigil.core.config.ArchiveConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Which partitions failed to archive and when each is tried again: exponential backoff from {@code archive.retry-base}
 * to {@code archive.retry-max} with "equal jitter" (half the delay fixed, half random, so retries do not
 * synchronise). A partition that archives again is forgotten. Thread safe.
 */
final class PartitionBackoff {

    /** A partition that failed to archive: how often, since when, when it is tried again, and why it failed last. */
    record RetryState(int failures, Instant since, Instant notBefore, String lastError) {}

    private final ArchiveConfig settings;
    private final RandomGenerator random;
    private final Map<PartitionId, RetryState> retries = new ConcurrentHashMap<>();

    PartitionBackoff(ArchiveConfig settings, RandomGenerator random) {
        this.settings = settings;
        this.random = random;
    }

    /** The partition's state when it must still wait at {@code now}; empty when it may be tried. */
    Optional<RetryState> waiting(PartitionId partition, Instant now) {
        RetryState retry = retries.get(partition);
        return retry != null && now.isBefore(retry.notBefore()) ? Optional.of(retry) : Optional.empty();
    }

    /** Records a failure at {@code now}; returns how long the partition now waits and how many failures it has. */
    RetryState failed(PartitionId partition, String error, Instant now) {
        RetryState previous = retries.get(partition);
        int failures = previous == null ? 1 : previous.failures() + 1;
        Duration delay = delay(failures);
        RetryState next = new RetryState(failures, previous == null ? now : previous.since(), now.plus(delay), error);
        retries.put(partition, next);
        return next;
    }

    /** The partition archived: it is no longer backing off. */
    void succeeded(PartitionId partition) {
        retries.remove(partition);
    }

    /** The partitions backing off, each with how often it failed, since when and why: what /health calls DEGRADED. */
    Map<String, String> failing() {
        Map<String, String> failing = new TreeMap<>();
        retries.forEach((partition, retry) -> failing.put(
                partition.value(),
                retry.failures() + " failed attempt(s) since " + retry.since() + "; last error: " + retry.lastError()));
        return failing;
    }

    private Duration delay(int failures) {
        long base = settings.retryBase().toMillis();
        long capped = Math.min(settings.retryMax().toMillis(), base << Math.min(20, failures - 1));
        long half = capped / 2;
        return Duration.ofMillis(half + (half == 0 ? 0 : random.nextLong(half + 1)));
    }
}
