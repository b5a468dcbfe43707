package dev.vigil.fleet;

import java.time.Instant;
import java.time.ZoneId;

/**
 * A fleet-wide singleton job: exactly one worker runs it per scheduled time (retention, restore drills, compliance
 * reports, archive verification).
 *
 * @param name the task's name in the database (stable across releases: renaming it starts a new schedule)
 * @param cron a Quartz cron expression, as in the configuration's {@code schedule} section
 * @param zone the time zone the expression is read in
 * @param body what runs; throwing counts as a failure and the job waits for its next scheduled time
 */
public record FleetJob(String name, String cron, ZoneId zone, Body body) {

    /** A job's work. */
    @FunctionalInterface
    public interface Body {
        /** Runs the job's execution due at {@code scheduledFor} (it may start a little later). */
        void run(Instant scheduledFor) throws Exception;
    }
}
