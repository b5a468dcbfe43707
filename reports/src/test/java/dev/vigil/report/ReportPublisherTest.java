package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.repository.ReportSealer;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportPublisherTest {

    @TempDir
    Path dir;

    private ReportFixture fixture;

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void aReportIsStoredInAllFormsReadableByAnIndependentParquetReaderAndANonCompliantOneRaisesItsAlert()
            throws Exception {
        fixture = new ReportFixture(dir, 1_000_000);
        fixture.writeAndArchive(250);
        fixture.verifyArchive();
        fixture.scrubAndJudge();
        ComplianceReport report =
                fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(7));
        assertThat(report.compliant()).as("no drill yet").isFalse();

        Path out = dir.resolve("out");
        ReportPublisher.Published published = new ReportPublisher(
                        fixture.store, dir.resolve("scratch"), fixture.alerts, fixture.clock)
                .publish(report, EnumSet.of(ReportFormat.HTML, ReportFormat.PARQUET), Optional.of(out));

        Instant created = report.generatedAt();
        assertThat(published.keys())
                .containsExactlyInAnyOrder(
                        RepositoryLayout.reportKey(created, report.id(), "html"),
                        RepositoryLayout.reportKey(created, report.id(), "json"),
                        RepositoryLayout.reportKey(created, report.id(), "parquet"));
        assertThat(published.keys())
                .allSatisfy(k -> assertThat(k).startsWith("reports/2026-11-20/compliance-20261120T"));
        assertThat(published.files())
                .containsExactlyInAnyOrder(out.resolve(report.id() + ".html"), out.resolve(report.id() + ".parquet"));
        // Files an auditor opens are readable by others, not owner-only like a temporary file.
        assertThat(published.files())
                .allSatisfy(f -> assertThat(Files.getPosixFilePermissions(f))
                        .contains(
                                PosixFilePermission.OWNER_READ,
                                PosixFilePermission.GROUP_READ,
                                PosixFilePermission.OTHERS_READ));

        try (ObjectStream in = fixture.store.get(RepositoryLayout.reportKey(created, report.id(), "json"))) {
            JsonNode json = new ObjectMapper().readTree(in.readAllBytes());
            assertThat(json.get("compliant").asBoolean()).isFalse();
            assertThat(json.get("requirements").get("rpo").asText()).isEqualTo("PT5M");
            assertThat(json.get("partitions")
                            .get(0)
                            .get("coverage")
                            .get("lastLsn")
                            .asLong())
                    .isEqualTo(250);
            assertThat(json.get("vigilVersion").asText()).isNotBlank();
            assertThat(json.get("checks").get(0).get("requirement").asText()).isEqualTo("ARCHIVED_WITHOUT_GAPS");
        }
        String html = Files.readString(out.resolve(report.id() + ".html"));
        assertThat(html)
                .contains(
                        "NOT COMPLIANT",
                        "no restore drill passed",
                        fixture.group.partition().value(),
                        "<svg");

        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement query = duck.createStatement();
                ResultSet rows =
                        query.executeQuery("SELECT report_id, partition, compliant, archived_last_lsn, replicas,"
                                + " replicas_verified_within_max_age, lag_max_seconds, restorable_meets_policy FROM '"
                                + out.resolve(report.id() + ".parquet") + "'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo(report.id());
            assertThat(rows.getString(2)).isEqualTo(fixture.group.partition().value());
            assertThat(rows.getBoolean(3))
                    .as("the partition itself meets its requirements")
                    .isTrue();
            assertThat(rows.getLong(4)).isEqualTo(250);
            assertThat(rows.getInt(5)).isEqualTo(3);
            assertThat(rows.getInt(6)).isEqualTo(3);
            assertThat(rows.getDouble(7)).isEqualTo(30.0);
            assertThat(rows.getBoolean(8)).isTrue();
            assertThat(rows.next()).isFalse();
        }

        assertThat(fixture.recorded.ofType(AlertType.COMPLIANCE_FAILED))
                .singleElement()
                .satisfies(a -> assertThat(a.message()).contains(report.id(), "no restore drill passed"));
    }

    @Test
    void aReportIsSealedWhenStoredAndASealThatFailsLeavesTheReportAndItsAlertAndSaysSo() throws Exception {
        fixture = new ReportFixture(dir, 1_000_000);
        fixture.writeAndArchive(100);
        ComplianceReport report =
                fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(7));
        Map<String, byte[]> sealed = new TreeMap<>();
        ReportSealer sealer = (id, periodStart, forms, keys) -> {
            sealed.putAll(forms);
            assertThat(keys)
                    .hasSize(3)
                    .allSatisfy(k -> assertThat(fixture.store.head(k).size()).isPositive());
            return ("{\"sealed\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
        };
        Path out = dir.resolve("out");

        ReportPublisher.Published published = new ReportPublisher(
                        fixture.store, dir.resolve("scratch"), fixture.alerts, fixture.clock, Optional.of(sealer))
                .publish(report, EnumSet.of(ReportFormat.JSON), Optional.of(out));

        String sealKey = RepositoryLayout.reportKey(report.generatedAt(), report.id(), ReportSealer.EXTENSION);
        assertThat(published.keys()).hasSize(4).last().isEqualTo(sealKey);
        assertThat(published.files()).contains(out.resolve(report.id() + ".seal.json"));
        assertThat(sealed.keySet()).containsExactly("html", "json", "parquet");
        assertThat(sealed.get("json")).isEqualTo(Files.readAllBytes(out.resolve(report.id() + ".json")));
        try (ObjectStream in = fixture.store.get(sealKey)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains(report.id());
        }

        ReportSealer broken = (id, periodStart, forms, keys) -> {
            throw new IOException("the log has no entry 7 (next is 8)");
        };
        ComplianceReport next =
                fixture.reports(ReportFixture.defaultRequirements()).build(Duration.ofDays(7));
        assertThatThrownBy(() -> new ReportPublisher(
                                fixture.store,
                                dir.resolve("scratch"),
                                fixture.alerts,
                                fixture.clock,
                                Optional.of(broken))
                        .publish(next, EnumSet.noneOf(ReportFormat.class), Optional.empty()))
                .hasMessageContaining("the report " + next.id() + " is stored (reports/")
                .hasMessageContaining("could not be sealed: the log has no entry 7");
        assertThat(fixture.store
                        .head(RepositoryLayout.reportKey(next.generatedAt(), next.id(), "json"))
                        .size())
                .isPositive();
        assertThat(fixture.recorded.ofType(AlertType.COMPLIANCE_FAILED))
                .as("the report's own alert is raised although the seal failed")
                .isNotEmpty();
    }
}
