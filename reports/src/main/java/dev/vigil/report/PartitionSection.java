package dev.vigil.report;

import static dev.vigil.report.HtmlReport.bytes;
import static dev.vigil.report.HtmlReport.esc;
import static dev.vigil.report.HtmlReport.seconds;

import dev.vigil.core.alert.AlertType;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One partition's section of the HTML report: its verdict and reasons, then one part per requirement it is judged on
 * (archive coverage, lag, verification freshness, findings, drills and the restorable window).
 */
final class PartitionSection {

    private PartitionSection() {}

    static void render(StringBuilder html, ComplianceReport.PartitionCompliance p, ComplianceReport report) {
        heading(html, p);
        coverage(html, p);
        lag(html, p, report);
        replicas(html, p, report);
        findings(html, p);
        restorable(html, p);
        html.append("</section>\n");
    }

    /** The partition's name, whether it is compliant, and why not. */
    private static void heading(StringBuilder html, ComplianceReport.PartitionCompliance p) {
        html.append("<section class=\"partition\"><h2>")
                .append(esc(p.partition().value()))
                .append(" <span class=\"pill ")
                .append(p.compliant() ? "ok" : "bad")
                .append("\">")
                .append(p.compliant() ? "compliant" : "not compliant")
                .append("</span></h2>");
        if (!p.reasons().isEmpty()) {
            html.append("<ul class=\"reasons\">");
            p.reasons().forEach(r -> html.append("<li>").append(esc(r)).append("</li>"));
            html.append("</ul>");
        }
    }

    /** What the archive covers, with its gaps. */
    private static void coverage(StringBuilder html, ComplianceReport.PartitionCompliance p) {
        ComplianceReport.Coverage c = p.coverage();
        html.append("<h3>Archive coverage</h3><p>LSNs ")
                .append(c.firstLsn())
                .append(" to ")
                .append(c.lastLsn())
                .append(" in ")
                .append(c.segments())
                .append(" segments (")
                .append(bytes(c.bytes()))
                .append("), ")
                .append(
                        c.gaps().isEmpty()
                                ? "<span class=\"good\">no gaps</span>"
                                : "<span class=\"poor\">" + c.gaps().size() + " gap(s)</span>")
                .append(".</p>");
        html.append(Charts.coverage(c));
    }

    /** The archive lag in the period against the RPO, with its chart. */
    private static void lag(StringBuilder html, ComplianceReport.PartitionCompliance p, ComplianceReport report) {
        ComplianceReport.Lag lag = p.lag();
        html.append("<h3>Archive lag (RPO)</h3>");
        if (lag.measured() == 0) {
            html.append("<p class=\"muted\">No segment was archived in the period.</p>");
        } else {
            double rpo = report.requirements().rpo().toMillis() / 1000.0;
            html.append("<p>")
                    .append(lag.segments())
                    .append(" segments archived in the period; from a record being written"
                            + " to its segment being safe in the repository: max <b class=\"")
                    .append(lag.maxSeconds() > rpo ? "poor" : "good")
                    .append("\">")
                    .append(seconds(lag.maxSeconds()))
                    .append("</b>, p99 ")
                    .append(seconds(lag.p99Seconds()))
                    .append(", median ")
                    .append(seconds(lag.p50Seconds()))
                    .append(" (RPO ")
                    .append(esc(Human.duration(report.requirements().rpo())))
                    .append(")")
                    .append(
                            lag.storedAgain() > 0
                                    ? "; " + lag.storedAgain() + " segment(s) stored again after a repair count"
                                            + " with their first store time"
                                    : "")
                    .append(".</p>");
            html.append(Charts.lag(lag.points(), rpo, report.periodStart(), report.generatedAt()));
        }
    }

    /** Each replica's verification: its latest and last clean verdict and their age. */
    private static void replicas(StringBuilder html, ComplianceReport.PartitionCompliance p, ComplianceReport report) {
        html.append("<h3>Verification freshness</h3>");
        if (p.replicas().isEmpty()) {
            html.append("<p class=\"poor\">No replica has published a scrub report.</p>");
        } else {
            double max = report.requirements().maxVerificationAge().toSeconds();
            html.append(Charts.verificationAge(p.replicas(), max));
            html.append("<table><tr><th>replica</th><th>latest verdict</th><th>last clean verdict</th><th>age</th>"
                    + "<th class=\"num\">verdicts in period</th><th class=\"num\">clean</th></tr>");
            for (ComplianceReport.ReplicaVerification r : p.replicas()) {
                html.append("<tr><td>")
                        .append(esc(r.replica().value()))
                        .append("</td><td class=\"")
                        .append(r.healthy() ? "good" : r.openFindings() == 0 && r.withinMaxAge() ? "ack" : "poor")
                        .append("\">")
                        .append(
                                r.lastVerdictStatus() == null
                                        ? "none"
                                        : esc(r.lastVerdictStatus().name()) + " at LSN " + r.lastVerdictLsn())
                        .append(
                                r.openFindingTypes().isEmpty()
                                        ? ""
                                        : "<br>open: "
                                                + esc(r.openFindingTypes().stream()
                                                        .map(AlertType::name)
                                                        .collect(Collectors.joining(", ")))
                                                + (r.acknowledgedFindings() > 0
                                                        ? " (" + r.acknowledgedFindings() + " acknowledged)"
                                                        : ""))
                        .append("</td><td>")
                        .append(
                                r.lastCleanAt() == null
                                        ? "never"
                                        : esc(Human.time(r.lastCleanAt())) + " (LSN " + r.lastCleanLsn() + ")")
                        .append("</td><td class=\"")
                        .append(r.withinMaxAge() ? "good" : "poor")
                        .append("\">")
                        .append(
                                r.secondsSinceVerified() == null
                                        ? "&mdash;"
                                        : esc(Human.duration(Duration.ofSeconds(r.secondsSinceVerified()))))
                        .append("</td><td class=\"num\">")
                        .append(r.verdictsInPeriod())
                        .append("</td><td class=\"num\">")
                        .append(r.cleanInPeriod())
                        .append("</td></tr>");
            }
            html.append("</table>");
        }
    }

    /** The findings raised in the period. */
    private static void findings(StringBuilder html, ComplianceReport.PartitionCompliance p) {
        html.append("<h3>Findings</h3>");
        if (p.findings().isEmpty()) {
            html.append("<p class=\"muted\">None raised in the period.</p>");
        } else {
            HtmlReport.findings(html, p.findings());
        }
    }

    /** The restorable window, the last snapshot and the drills of the period. */
    private static void restorable(StringBuilder html, ComplianceReport.PartitionCompliance p) {
        html.append("<h3>Restore drills and the restorable window</h3>");
        ComplianceReport.Restorable r = p.restorable();
        html.append("<p class=\"")
                .append(r.meetsPolicy() ? "good" : "poor")
                .append("\">")
                .append(esc(r.explanation()))
                .append("</p>");
        html.append("<p>Last snapshot: ")
                .append(p.lastSnapshotLsn().map(l -> "LSN " + l).orElse("none"))
                .append(".</p>");
        if (p.drills().isEmpty()) {
            html.append("<p class=\"muted\">No restore drill of this partition in the period.</p>");
        } else {
            html.append(
                    "<table><tr><th>time</th><th class=\"num\">LSN</th><th>outcome</th><th class=\"num\">duration</th></tr>");
            for (ComplianceReport.Drill d : p.drills()) {
                html.append("<tr><td class=\"time\">")
                        .append(esc(Human.time(d.time())))
                        .append("</td><td class=\"num\">")
                        .append(d.lsn())
                        .append("</td><td class=\"")
                        .append(d.passed() ? "good\">passed" : "poor\">FAILED: " + esc(d.error()))
                        .append("</td><td class=\"num\">")
                        .append(String.format(Locale.ROOT, "%.1f s", d.durationMillis() / 1000.0))
                        .append("</td></tr>");
            }
            html.append("</table>");
        }
    }
}
