package dev.vigil.fleet;

import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * A db-scheduler {@link Schedule} from a Quartz cron expression, so that a singleton job in the fleet runs on exactly
 * the schedule the same expression gives it in a node daemon (db-scheduler's own cron dialect differs in details).
 */
final class QuartzCronSchedule implements Schedule {

    private final String expression;
    private final ZoneId zone;

    QuartzCronSchedule(String expression, ZoneId zone) {
        this.expression = expression;
        this.zone = zone;
        cron(); // refuses a bad expression now, not at the first execution
    }

    private CronExpression cron() {
        try {
            CronExpression cron = new CronExpression(expression);
            cron.setTimeZone(TimeZone.getTimeZone(zone));
            return cron;
        } catch (ParseException e) {
            throw new IllegalArgumentException("'" + expression + "' is not a cron expression: " + e.getMessage(), e);
        }
    }

    @Override
    public Instant getNextExecutionTime(ExecutionComplete executionComplete) {
        Date next = cron().getNextValidTimeAfter(Date.from(executionComplete.getTimeDone()));
        return next == null ? NEVER : next.toInstant();
    }

    @Override
    public boolean isDeterministic() {
        return true;
    }

    @Override
    public String toString() {
        return "cron '" + expression + "' in " + zone;
    }
}
