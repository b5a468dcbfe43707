package dev.vigil.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class DaemonJobTest {

    @Test
    void aDaemonWithoutAFleetRunsEveryJobButTheNodeCopyComparison() {
        assertThat(DaemonJob.running(true))
                .extracting(DaemonJob::name)
                .containsExactly(
                        ArchiveJob.NAME,
                        ArchiveVerifyJob.NAME,
                        ScrubJob.NAME,
                        JudgeJob.NAME,
                        RetentionJob.NAME,
                        RestoreDrillJob.NAME,
                        ReportJob.NAME,
                        KeyCheckJob.NAME,
                        CheckpointJob.NAME,
                        AuditJob.NAME);
    }

    @Test
    void aNodeAgentInAFleetArchivesScrubsAndComparesItsCopiesOnly() {
        assertThat(DaemonJob.running(false))
                .extracting(DaemonJob::name)
                .containsExactly(ArchiveJob.NAME, NodeCopyJob.NAME, ScrubJob.NAME);
    }

    @Test
    void theCentralJobsAreWhatTheFleetTakesOver() {
        assertThat(DaemonJob.central())
                .containsExactly(
                        ArchiveVerifyJob.NAME,
                        JudgeJob.NAME,
                        RetentionJob.NAME,
                        RestoreDrillJob.NAME,
                        ReportJob.NAME,
                        KeyCheckJob.NAME,
                        CheckpointJob.NAME,
                        AuditJob.NAME);
    }

    @Test
    void everyJobHasItsOwnNameAndClass() {
        List<DaemonJob> all = DaemonJob.ALL;
        assertThat(new HashSet<>(all.stream().map(DaemonJob::name).toList())).hasSize(all.size());
        assertThat(new HashSet<>(all.stream().map(DaemonJob::type).toList())).hasSize(all.size());
    }
}
