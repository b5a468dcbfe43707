package dev.vigil.cli.daemon;

import dev.vigil.cli.ScheduledKeyCheck;
import dev.vigil.cli.ScheduledLog;
import dev.vigil.fleet.FleetWork;
import dev.vigil.fleet.ReadBudget;
import dev.vigil.report.ReportService;
import dev.vigil.restore.RestoreDrill;
import dev.vigil.restore.Retention;
import java.util.List;
import javax.sql.DataSource;

/**
 * What a fleet worker runs: the per-partition verification and the singletons' services, and the fleet database:
 * {@code database} for the work (db-scheduler's polling, heartbeats, tasks), {@code figures} for the figures and
 * presence read every poll interval, apart so that a database gone is noticed within a poll interval, not after the
 * work pool's connection timeout ({@link dev.vigil.fleet.FleetDatabase#figures}); {@code storeWarnings}: what the
 * repository's store was found not to back, shown on {@code /health}.
 */
public record WorkerServices(
        FleetWork work,
        Retention retention,
        RestoreDrill drill,
        ReportService reports,
        ScheduledKeyCheck keyCheck,
        ScheduledLog log,
        DataSource database,
        DataSource figures,
        ReadBudget budget,
        List<String> storeWarnings) {}
