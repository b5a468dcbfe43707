package dev.vigil.core.config;

/** Quartz cron expressions for the daemon's jobs (seconds field first: {@code 0/10 * * * * ?}). */
public record ScheduleConfig(String archive) {

    public static final String DEFAULT_ARCHIVE = "0/10 * * * * ?";
}
