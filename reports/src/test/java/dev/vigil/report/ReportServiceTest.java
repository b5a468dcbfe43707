package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportServiceTest {

    @TempDir
    Path dir;

    private ReportFixture fixture;

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    private ReportService service(String host) {
        return new ReportService(
                fixture.store,
                fixture.reports(ReportFixture.defaultRequirements()),
                new ReportPublisher(fixture.store, dir.resolve("scratch-" + host), fixture.alerts, fixture.clock),
                Duration.ofDays(7),
                host);
    }

    @Test
    void ofSeveralDaemonsRunningTheSameScheduledReportOnlyTheFirstToClaimItWritesIt() throws Exception {
        fixture = new ReportFixture(dir, 1_000_000);
        fixture.writeAndArchive(150);
        Instant scheduled = Instant.parse("2026-11-20T06:00:00Z");

        Optional<ReportService.Run> first = service("node-a").publishScheduled(scheduled);
        Optional<ReportService.Run> second = service("node-b").publishScheduled(scheduled);
        fixture.clock.advance(Duration.ofSeconds(1));
        Optional<ReportService.Run> next = service("node-b").publishScheduled(scheduled.plus(Duration.ofDays(1)));

        assertThat(first).isPresent();
        assertThat(second).as("node-b finds node-a's claim for the same run").isEmpty();
        assertThat(next).as("the next run is claimed anew").isPresent();
        List<String> keys = new ArrayList<>();
        for (Iterator<ObjectSummary> it = fixture.store.listAll(RepositoryLayout.REPORTS); it.hasNext(); ) {
            keys.add(it.next().key());
        }
        assertThat(keys)
                .filteredOn(k -> k.endsWith(".claim"))
                .containsExactly("reports/2026-11-20/060000.claim", "reports/2026-11-21/060000.claim");
        assertThat(keys).filteredOn(k -> k.endsWith(".json")).hasSize(2);
        assertThat(first.get().published().files())
                .as("a scheduled report is stored, not written locally")
                .isEmpty();
    }
}
