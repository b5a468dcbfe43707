package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.VigilVersion;
import dev.vigil.demo.node.ReplicationGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {

    @TempDir
    Path dir;

    /** Writes {@code records}, archives them and judges the replica through the CLI; returns its configuration. */
    private Path archivedAndJudged(ReplicationGroup group, int records) throws Exception {
        group.write(records);
        group.sealAll();
        Path config = NodeConfigs.local(
                dir.resolve("r1.yaml"),
                dir.resolve("repo"),
                dir.resolve("work"),
                group.replica("r1"),
                "scrub:\n  rate: 0\n");
        assertThat(CliRun.of("archive", "--config", config.toString()).exitCode())
                .isEqualTo(ExitCodes.OK);
        assertThat(CliRun.of("verify", "replicas", "--config", config.toString())
                        .exitCode())
                .isEqualTo(ExitCodes.OK);
        return config;
    }

    @Test
    void reportIsStoredAndWrittenLocallyAndNamesWhatIsNotMet() throws Exception {
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(100)
                .keySpace(1_000_000)
                .build()) {
            Path config = archivedAndJudged(group, 250);

            Path out = dir.resolve("out");
            CliRun report = CliRun.of(
                    "report",
                    "--config",
                    config.toString(),
                    "--period",
                    "1d",
                    "--format",
                    "html,json",
                    "--out",
                    out.toString());

            assertThat(report.exitCode()).as(report.out() + report.err()).isEqualTo(ExitCodes.FINDINGS);
            assertThat(report.out())
                    .contains(
                            "NOT COMPLIANT: 1 of 9 requirements not met",
                            "  FAIL  a restore drill passed within 8 days (report.drill-every)",
                            "          - no restore drill passed within report.drill-every (8 days); none ever passed",
                            "  PASS  no open findings",
                            "(Vigil " + VigilVersion.version() + ")",
                            "p-0001               compliant     LSNs 1..250, 0 gap(s)",
                            "stored   reports/",
                            "written  " + out);
            try (Stream<Path> files = Files.list(out)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .hasSize(2)
                        .allMatch(n -> n.matches("compliance-\\d{8}T\\d{6}Z\\.(html|json)"));
            }
            try (Stream<Path> stored = Files.walk(dir.resolve("repo/reports"))) {
                assertThat(stored.filter(Files::isRegularFile)
                                .map(p -> p.getFileName().toString()))
                        .anyMatch(n -> n.endsWith(".html"))
                        .anyMatch(n -> n.endsWith(".json"))
                        .anyMatch(n -> n.endsWith(".parquet"));
            }
            try (Stream<Path> alerts = Files.walk(dir.resolve("repo/alerts"))) {
                assertThat(alerts.filter(Files::isRegularFile)
                                .map(p -> p.getFileName().toString()))
                        .as("the COMPLIANCE_FAILED alert is recorded in the repository")
                        .anyMatch(n -> n.contains("-COMPLIANCE_FAILED-"));
            }

            CliRun json = CliRun.of("report", "--config", config.toString(), "--json");
            assertThat(json.out()).contains("\"compliant\" : false", "\"partition\" : \"p-0001\"", "\"lastLsn\" : 250");
        }
    }

    @Test
    void aDamagedVerdictIsAFindingNamingTheObjectAndTheReportIsStillBuiltFromEverythingElse() throws Exception {
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(100)
                .keySpace(1_000_000)
                .build()) {
            Path config = archivedAndJudged(group, 150);
            Path verdict;
            try (Stream<Path> files = Files.walk(dir.resolve("repo/partitions/p-0001/verdicts"))) {
                verdict = files.filter(Files::isRegularFile).findFirst().orElseThrow();
            }
            byte[] bytes = Files.readAllBytes(verdict);
            bytes[bytes.length - 5] ^= 0x01;
            Files.write(verdict, bytes);

            CliRun report = CliRun.of("report", "--config", config.toString());

            // One damaged object is a finding about that object, never "no report at all" (exit 3, as before).
            assertThat(report.exitCode()).as(report.out() + report.err()).isEqualTo(ExitCodes.FINDINGS);
            assertThat(report.out())
                    .contains(
                            "FAIL  every piece of evidence in the repository readable",
                            "cannot read partitions/p-0001/verdicts/",
                            "/r1.json",
                            "is unreadable or damaged",
                            "move it aside");
            try (Stream<Path> stored = Files.walk(dir.resolve("repo"))) {
                assertThat(stored.map(Path::toString))
                        .as("the report is stored, failing that requirement")
                        .anyMatch(p -> p.contains("/reports/") && p.endsWith(".html"));
            }
        }
    }

    @Test
    void badOptionsAreUsageErrorsThatSayWhatIsAccepted() throws Exception {
        try (ReplicationGroup group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .build()) {
            Path config = NodeConfigs.local(
                    dir.resolve("r1.yaml"), dir.resolve("repo"), dir.resolve("work"), group.replica("r1"), "");
            CliRun period = CliRun.of("report", "--config", config.toString(), "--period", "a week");
            assertThat(period.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(period.err()).contains("--period: 'a week' is not a duration such as 500ms, 10s, 5m, 2h or 7d");
            CliRun format =
                    CliRun.of("report", "--config", config.toString(), "--format", "pdf", "--out", dir.toString());
            assertThat(format.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(format.err()).contains("--format: 'pdf' is not one of html, json, parquet");
            CliRun noOut = CliRun.of("report", "--config", config.toString(), "--format", "html");
            assertThat(noOut.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(noOut.err()).contains("give --out DIR");
        }
    }
}
