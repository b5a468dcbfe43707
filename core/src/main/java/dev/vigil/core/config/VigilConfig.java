package dev.vigil.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Vigil's whole configuration, as loaded from one YAML file (by the command line's configuration loader). Immutable.
 *
 * @param repository where archived WAL, snapshots and reports live
 * @param node       the storage node this daemon runs beside; absent on machines that only verify or restore
 * @param workDir    Vigil's own local state (checkpoints, reference replicas, restore staging)
 * @param schedule   the daemon's job schedule
 * @param alerts     where alerts go
 * @param archive    tuning of the archiver
 * @param daemon     the daemon's endpoint, shutdown and alert repetition
 * @param verify     archive verification
 * @param scrub      scrubbing of local replicas
 * @param reference  reference replicas and their snapshots
 * @param retention  what the archive keeps so that restores inside the window work
 * @param restore    what a restore writes
 * @param report     what a compliance report requires
 * @param fleet      the verification fleet's database; absent: each node daemon does the central work itself
 * @param encryption client-side encryption of the repository; absent: objects are stored as written
 * @param audit      the repository's tamper-evident log; absent: nothing is logged
 */
public record VigilConfig(
        RepositoryLocation repository,
        Optional<NodeConfig> node,
        Path workDir,
        ScheduleConfig schedule,
        List<AlertSinkConfig> alerts,
        ArchiveConfig archive,
        DaemonConfig daemon,
        VerifyConfig verify,
        ScrubConfig scrub,
        ReferenceConfig reference,
        RetentionConfig retention,
        RestoreConfig restore,
        ReportConfig report,
        Optional<FleetConfig> fleet,
        Optional<EncryptionConfig> encryption,
        Optional<AuditConfig> audit) {

    public VigilConfig {
        alerts = List.copyOf(alerts);
    }
}
