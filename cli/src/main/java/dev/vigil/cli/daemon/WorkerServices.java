package dev.vigil.cli.daemon;

import dev.vigil.fleet.FleetWork;
import dev.vigil.fleet.ReadBudget;
import dev.vigil.report.ReportService;
import dev.vigil.restore.RestoreDrill;
import dev.vigil.restore.Retention;
import javax.sql.DataSource;

/** What a fleet worker runs: the per-partition verification and the singletons' services, and the fleet database. */
public record WorkerServices(
        FleetWork work,
        Retention retention,
        RestoreDrill drill,
        ReportService reports,
        DataSource database,
        ReadBudget budget) {}
