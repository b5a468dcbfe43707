package dev.vigil.cli.daemon;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs job bodies and keeps what operators alert on: per job, the last start, the last success, the last
 * failure, the duration, the findings. Exposed as metrics ({@code vigil_job_*}) so that "verification
 * stopped running" is an alert on {@code time() - vigil_job_last_success_timestamp_seconds}, and as the
 * health document. Thread safe.
 */
public final class JobTracker {

    private static final Logger LOG = LoggerFactory.getLogger(JobTracker.class);

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, State> jobs = new ConcurrentHashMap<>();

    public JobTracker(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** Declares a job so its meters exist (at zero) before it first runs. */
    public void declare(String job) {
        state(job);
    }

    /** Runs one execution of {@code job}; never throws (a failure is logged and counted). */
    public void run(String job, Callable<JobOutcome> body) {
        State state = state(job);
        Instant start = clock.instant();
        state.lastStart = start;
        try {
            JobOutcome outcome = body.call();
            Duration took = Duration.between(start, clock.instant());
            state.duration.record(took);
            state.findings.addAndGet(outcome.findings());
            registry.counter("vigil.job.findings", "job", job).increment(outcome.findings());
            state.lastOutcome = outcome.summary();
            if (outcome.incomplete()) {
                registry.counter("vigil.job.failures", "job", job).increment();
                state.lastFailure = clock.instant();
                LOG.warn("job {} did not finish its work in {}: {}", job, took, outcome.summary());
            } else {
                state.lastSuccess.set(clock.instant().getEpochSecond());
                state.lastSuccessAt = clock.instant();
                LOG.debug("job {} done in {}: {}", job, took, outcome.summary());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.lastOutcome = "interrupted";
            LOG.info("job {} interrupted (shutting down)", job);
        } catch (Exception e) {
            registry.counter("vigil.job.failures", "job", job).increment();
            state.lastFailure = clock.instant();
            state.lastOutcome = "failed: " + e.getMessage();
            LOG.error("job {} failed: {}", job, e.getMessage(), e);
        }
    }

    /** The health document: per job its last start, success, failure and outcome. */
    public Map<String, Object> health() {
        Map<String, Object> document = new LinkedHashMap<>();
        for (Map.Entry<String, State> entry : new java.util.TreeMap<>(jobs).entrySet()) {
            State state = entry.getValue();
            Map<String, Object> job = new LinkedHashMap<>();
            job.put("lastStart", text(state.lastStart));
            job.put("lastSuccess", text(state.lastSuccessAt));
            job.put("lastFailure", text(state.lastFailure));
            job.put("lastOutcome", state.lastOutcome);
            job.put("findings", state.findings.get());
            document.put(entry.getKey(), job);
        }
        return document;
    }

    /** Whether the last run of any job could not finish (the repository is down, for example). */
    public boolean degraded() {
        return jobs.values().stream().anyMatch(s -> s.lastFailure != null
                && (s.lastSuccessAt == null || s.lastFailure.isAfter(s.lastSuccessAt)));
    }

    private State state(String job) {
        return jobs.computeIfAbsent(job, name -> {
            State created = new State(Timer.builder("vigil.job.duration").tag("job", name)
                    .description("duration of each run of the job").register(registry));
            registry.gauge("vigil.job.last.success.timestamp.seconds", io.micrometer.core.instrument.Tags.of("job", name),
                    created.lastSuccess);
            registry.counter("vigil.job.failures", "job", name);
            registry.counter("vigil.job.findings", "job", name);
            return created;
        });
    }

    private static String text(Instant instant) {
        return Optional.ofNullable(instant).map(Instant::toString).orElse(null);
    }

    private static final class State {
        final Timer duration;
        final AtomicLong lastSuccess = new AtomicLong();
        final AtomicLong findings = new AtomicLong();
        volatile Instant lastStart;
        volatile Instant lastSuccessAt;
        volatile Instant lastFailure;
        volatile String lastOutcome = "not run yet";

        State(Timer duration) {
            this.duration = duration;
        }
    }
}
