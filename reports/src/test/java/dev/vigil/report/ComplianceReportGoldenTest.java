package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.repository.RepositoryJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * A compliance report as the demo wrote it before the report model was typed ({@code golden/compliance-report.json}
 * and the HTML written beside it): read into the typed record, it writes back as the same JSON, and renders the same
 * HTML byte for byte. Typing the model changed nothing an auditor or a script reads.
 */
class ComplianceReportGoldenTest {

    @Test
    void theJsonOfAnEarlierReportReadsTypedAndWritesBackUnchanged() throws IOException {
        byte[] golden = resource("compliance-report.json");
        ComplianceReport report = RepositoryJson.MAPPER.readValue(golden, ComplianceReport.class);

        JsonNode written = RepositoryJson.MAPPER.readTree(RepositoryJson.PRETTY.writeValueAsBytes(report));

        assertThat(written).isEqualTo(RepositoryJson.MAPPER.readTree(golden));
        assertThat(report.partitions()).isNotEmpty();
        assertThat(report.partitions().stream().flatMap(p -> p.findings().stream()))
                .as("the golden report has findings, so their times are covered")
                .isNotEmpty();
    }

    @Test
    void theHtmlRenderedFromThatJsonIsTheHtmlWrittenThen() throws IOException {
        ComplianceReport report =
                RepositoryJson.MAPPER.readValue(resource("compliance-report.json"), ComplianceReport.class);

        String html = HtmlReport.render(report);

        assertThat(html).isEqualTo(new String(resource("compliance-report.html"), StandardCharsets.UTF_8));
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ComplianceReportGoldenTest.class.getResourceAsStream("/golden/" + name)) {
            return Objects.requireNonNull(in, name).readAllBytes();
        }
    }
}
