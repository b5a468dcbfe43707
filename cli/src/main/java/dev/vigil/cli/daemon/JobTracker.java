package dev.vigil.cli.daemon;

import dev.vigil.core.Durations;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.alert.AlertResolution;
import dev.vigil.core.alert.AlertType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs job bodies and keeps what operators alert on: per job, the last start, the last success, the last
 * failure, the duration, the findings. Exposed as metrics ({@code vigil_job_*}) so that "verification
 * stopped running" is an alert on {@code time() - vigil_job_last_success_timestamp_seconds}, and as the
 * health document. A job that has not succeeded since the process started has no last-success sample at all
 * (not a zero, which would read as "1970" and fire every staleness alert after a restart).
 *
 * <p>A job that cannot finish is a {@code JOB_FAILED} incident once it has not finished a run for
 * {@link #FAILING_AFTER} (counted from the process start when it never has): a daily job's failed run pages at once,
 * the archive job's failing passes only when they last; its next finished run resolves it. Thread safe.
 */
public final class JobTracker {

    private static final Logger LOG = LoggerFactory.getLogger(JobTracker.class);

    /** How long a job may go without finishing a run before its failure is an incident. */
    static final Duration FAILING_AFTER = Duration.ofMinutes(5);

    private final MeterRegistry registry;
    private final Clock clock;
    private final AlertPublisher alerts;
    private final String instance;
    private final Instant created;
    private final Map<String, State> jobs = new ConcurrentHashMap<>();
    private final Map<Thread, String> running = new ConcurrentHashMap<>();

    /** {@code instance} names this process in alerts (the node's replica, the worker's name). */
    public JobTracker(MeterRegistry registry, Clock clock, AlertPublisher alerts, String instance) {
        this.registry = registry;
        this.clock = clock;
        this.alerts = alerts;
        this.instance = instance;
        this.created = clock.instant();
    }

    /** Declares a job so its counters and timer exist (at zero) before it first runs. */
    public void declare(String job) {
        state(job);
    }

    /** Runs one execution of {@code job}; never throws (a failure is logged and counted). */
    public void run(String job, Callable<JobOutcome> body) {
        State state = state(job);
        Instant start = clock.instant();
        state.lastStart = start;
        running.put(Thread.currentThread(), job);
        try {
            JobOutcome outcome = body.call();
            Duration took = Duration.between(start, clock.instant());
            state.duration.record(took);
            state.findings.increment(outcome.findings());
            state.findingsTotal.addAndGet(outcome.findings());
            state.lastOutcome = outcome.summary();
            if (outcome.incomplete()) {
                state.failures.increment();
                state.lastFailure = clock.instant();
                LOG.warn("job {} did not finish its work in {}: {}", job, Durations.format(took), outcome.summary());
                failing(job, state);
            } else {
                succeeded(job, state);
                LOG.debug("job {} done in {}: {}", job, Durations.format(took), outcome.summary());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.lastOutcome = "interrupted";
            LOG.info("job {} interrupted (shutting down)", job);
        } catch (Exception e) {
            state.failures.increment();
            state.lastFailure = clock.instant();
            state.lastOutcome = "failed: " + e.getMessage();
            LOG.error("job {} failed: {}", job, e.getMessage(), e);
            failing(job, state);
        } finally {
            running.remove(Thread.currentThread());
            state.runs.incrementAndGet();
        }
    }

    /** Interrupts every job running now (shutdown, once the wait for them is over); returns their names. */
    public List<String> interruptRunning() {
        List<String> interrupted = new ArrayList<>();
        running.forEach((thread, job) -> {
            thread.interrupt();
            interrupted.add(job);
        });
        return interrupted;
    }

    /** Whether {@code job} has run to its end (finished or not) at least once since the process started. */
    public boolean hasRun(String job) {
        State state = jobs.get(job);
        return state != null && state.runs.get() > 0;
    }

    /** The incident key of a job's failure in this process. */
    static String failureKey(String job, String instance) {
        return AlertType.JOB_FAILED + "|" + instance + "|" + job;
    }

    private void failing(String job, State state) {
        Instant now = clock.instant();
        Instant finishedLast = state.lastSuccessAt == null ? created : state.lastSuccessAt;
        Duration without = Duration.between(finishedLast, now);
        if (without.compareTo(FAILING_AFTER) < 0) {
            return;
        }
        alerts.raise(Alert.of(AlertType.JOB_FAILED, now)
                .key(failureKey(job, instance))
                .message("job " + job + " on " + instance + " has not finished a run "
                        + (state.lastSuccessAt == null
                                ? "since the process started " + Durations.format(without) + " ago"
                                : "for " + Durations.format(without) + " (last finished " + state.lastSuccessAt + ")")
                        + "; its last run: " + state.lastOutcome)
                .action("read the job's last outcome (above, in /health and in the log): it names what it could not"
                        + " reach or read; the job runs again on its schedule and this alert resolves when a run"
                        + " finishes")
                .detail("job", job)
                .detail("instance", instance)
                .build());
    }

    private void succeeded(String job, State state) {
        Instant now = clock.instant();
        state.lastSuccessAt = now;
        alerts.resolve(AlertResolution.ofKey(
                AlertType.JOB_FAILED,
                failureKey(job, instance),
                now,
                "job " + job + " on " + instance + " finished a run"));
        state.lastSuccess.set(now.getEpochSecond());
        if (state.successGauge == null) {
            state.successGauge = Gauge.builder(
                            "vigil.job.last.success.timestamp.seconds", state.lastSuccess, AtomicLong::get)
                    .tag("job", job)
                    .description(
                            "When the job last finished all its work (Unix seconds); absent until it has, after a start")
                    .register(registry);
        }
    }

    /** The health document: per job its last start, success, failure and outcome. */
    public Map<String, Object> health() {
        Map<String, Object> document = new LinkedHashMap<>();
        for (Map.Entry<String, State> entry : new TreeMap<>(jobs).entrySet()) {
            State state = entry.getValue();
            Map<String, Object> job = new LinkedHashMap<>();
            job.put("lastStart", text(state.lastStart));
            job.put("lastSuccess", text(state.lastSuccessAt));
            job.put("lastFailure", text(state.lastFailure));
            job.put("lastOutcome", state.lastOutcome);
            job.put("findings", state.findingsTotal.get());
            document.put(entry.getKey(), job);
        }
        return document;
    }

    /** Whether the last run of any job could not finish (the repository is down, for example). */
    public boolean degraded() {
        return !problems().isEmpty();
    }

    /** Why jobs are failing: one line per job whose last run could not finish. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, State> entry : new TreeMap<>(jobs).entrySet()) {
            State s = entry.getValue();
            if (s.lastFailure != null && (s.lastSuccessAt == null || s.lastFailure.isAfter(s.lastSuccessAt))) {
                problems.add("job " + entry.getKey() + " could not finish its last run (" + s.lastFailure + ")"
                        + Optional.ofNullable(s.lastSuccessAt)
                                .map(t -> "; last success " + t)
                                .orElse("; no success since the start")
                        + ": " + s.lastOutcome);
            }
        }
        return problems;
    }

    private State state(String job) {
        return jobs.computeIfAbsent(
                job,
                name -> new State(
                        Timer.builder("vigil.job.duration")
                                .tag("job", name)
                                .description("Duration of each run of the job")
                                .register(registry),
                        Counter.builder("vigil.job.failures")
                                .tag("job", name)
                                .description("Runs of the job that failed or could not finish their work")
                                .register(registry),
                        Counter.builder("vigil.job.findings")
                                .tag("job", name)
                                .description("Findings (problems an operator must look at) raised by the job")
                                .register(registry)));
    }

    private static @Nullable String text(@Nullable Instant instant) {
        return Optional.ofNullable(instant).map(Instant::toString).orElse(null);
    }

    private static final class State {
        final Timer duration;
        final Counter failures;
        final Counter findings;
        final AtomicLong lastSuccess = new AtomicLong();
        final AtomicLong findingsTotal = new AtomicLong();
        final AtomicLong runs = new AtomicLong();
        volatile @Nullable Gauge successGauge;
        volatile @Nullable Instant lastStart;
        volatile @Nullable Instant lastSuccessAt;
        volatile @Nullable Instant lastFailure;
        volatile String lastOutcome = "not run yet";

        State(Timer duration, Counter failures, Counter findings) {
            this.duration = duration;
            this.failures = failures;
            this.findings = findings;
        }
    }
}
