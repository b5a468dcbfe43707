package dev.vigil.cli.daemon;

import dev.vigil.archiver.Archiver;
import dev.vigil.cli.ReferenceSizes;
import dev.vigil.cli.ScheduledKeyCheck;
import dev.vigil.cli.ScheduledLog;
import dev.vigil.core.config.ScrubConfig;
import dev.vigil.reference.Judge;
import dev.vigil.report.ReportService;
import dev.vigil.restore.RestoreDrill;
import dev.vigil.restore.Retention;
import dev.vigil.scrubber.ArchiveVerifier;
import dev.vigil.scrubber.NodeCopyCheck;
import dev.vigil.scrubber.Scrubber;
import java.util.List;

/**
 * The services the daemon's jobs wrap, one per job, and what the repository's store was found not to back
 * ({@code storeWarnings}, shown on {@code /health}).
 */
public record DaemonServices(
        Archiver archiver,
        ArchiveVerifier verifier,
        NodeCopyCheck nodeCopies,
        Scrubber scrubber,
        ScrubConfig scrub,
        Judge judge,
        ReferenceSizes referenceSizes,
        Retention retention,
        RestoreDrill drill,
        ReportService reports,
        ScheduledKeyCheck keyCheck,
        ScheduledLog log,
        List<String> storeWarnings) {}
