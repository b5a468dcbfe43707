package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertType;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Findings about the repository itself end by their own evidence: a store outage when the repository accepts a
 * segment again, but tampering (and keys that do not open) only when their own check says so: archiving goes on while
 * a forged object stays forged.
 */
class RepositoryFindingsTest {

    @TempDir
    Path dir;

    private ReportFixture fixture;

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void tamperingStaysOpenThroughLaterArchivingWhileAnOutageEndsWithIt() throws Exception {
        fixture = new ReportFixture(dir, 1_000_000);
        fixture.writeAndArchive(100);
        fixture.alerts.raise(Alert.of(AlertType.REPOSITORY_TAMPERED, fixture.clock.instant())
                .message("1 finding(s) of tampering or loss: INSERTED partitions/p/wal/planted.seg")
                .action("run vigil audit")
                .build());
        fixture.alerts.raise(Alert.of(AlertType.STORE_UNAVAILABLE, fixture.clock.instant())
                .key("STORE_UNAVAILABLE|repo")
                .message("the repository did not answer")
                .action("check the store")
                .build());
        fixture.clock.advance(Duration.ofMinutes(5));
        fixture.writeAndArchive(100);

        ComplianceReport report =
                fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(1));

        assertThat(report.repositoryFindings())
                .filteredOn(f -> f.type() == AlertType.REPOSITORY_TAMPERED)
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.resolvedAt()).isNull();
                    assertThat(f.resolution()).startsWith("open");
                });
        assertThat(report.repositoryFindings())
                .filteredOn(f -> f.type() == AlertType.STORE_UNAVAILABLE)
                .singleElement()
                .satisfies(f -> assertThat(f.resolvedAt()).isNotNull());
        assertThat(report.compliant()).isFalse();
    }
}
