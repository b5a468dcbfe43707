/**
 * The verification fleet: workers sharing one PostgreSQL database through db-scheduler. Each partition in the
 * repository is one {@code verify-partition} task (replayed and judged by one worker at a time, most overdue first,
 * re-scheduled after each run); retention, restore drills, reports and archive verification are fleet-wide
 * singletons on their cron schedules. A worker that dies stops renewing its heartbeat and another takes its tasks
 * over. What the tasks do is the caller's ({@link dev.vigil.fleet.FleetWork}); this package only schedules.
 */
package dev.vigil.fleet;
