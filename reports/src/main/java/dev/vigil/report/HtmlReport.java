package dev.vigil.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Renders a report as one self-contained HTML page for people: no script, no external style sheet or font, so
 * it reads the same from a mail attachment, an object store console or an auditor's archive. Charts are inline
 * SVG: archive coverage per partition (LSNs, gaps in red), archive lag over the period against the RPO, and the
 * age of each replica's last clean verdict against the maximum. Stateless.
 */
final class HtmlReport {

    private static final String STYLE = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2430;margin:0;background:#f4f6f9}
            main{max-width:1080px;margin:0 auto;padding:28px 32px 48px}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:30px 0 10px}h3{font-size:14px;margin:18px 0 6px;color:#3b4656}
            .meta{color:#5b6675;margin:0 0 18px}
            .banner{border-radius:8px;padding:14px 18px;margin:0 0 18px;color:#fff}
            .banner b{font-size:18px;letter-spacing:.02em}.ok{background:#1f7a4d}.bad{background:#b3261e}
            .banner ul{margin:8px 0 0 18px;padding:0}
            .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px;margin:0 0 8px}
            .card{background:#fff;border:1px solid #dde2ea;border-radius:8px;padding:10px 12px}
            .card .v{font-size:20px;font-weight:600}.card .k{color:#5b6675;font-size:12px}
            section.partition{background:#fff;border:1px solid #dde2ea;border-radius:8px;padding:4px 18px 16px;margin:16px 0}
            section.partition h2{display:flex;gap:10px;align-items:center}
            .pill{font-size:12px;font-weight:600;border-radius:10px;padding:2px 9px;color:#fff}
            table{border-collapse:collapse;width:100%;margin:4px 0 6px;font-size:13px}
            th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e8ebf0;vertical-align:top}
            th{color:#5b6675;font-weight:600;background:#fafbfc}
            td.num{text-align:right;font-variant-numeric:tabular-nums}td.time{white-space:nowrap}
            .reasons{color:#b3261e;margin:6px 0 0 18px;padding:0}
            .muted{color:#7a8494}.good{color:#1f7a4d;font-weight:600}.poor{color:#b3261e;font-weight:600}
            svg{display:block;margin:4px 0}svg text{font:11px system-ui,sans-serif;fill:#5b6675}
            code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f0f2f5;padding:1px 4px;border-radius:3px}
            """;

    private HtmlReport() {
    }

    static String render(ComplianceReport report) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<title>Vigil compliance report ").append(esc(report.id())).append("</title><style>")
                .append(STYLE).append("</style></head><body><main>\n");
        html.append("<h1>Vigil compliance report</h1><p class=\"meta\">").append(esc(report.repository()))
                .append(" &middot; period ").append(esc(day(report.periodStart()))).append(" to ")
                .append(esc(day(report.generatedAt()))).append(" &middot; generated ").append(esc(Human.time(report.generatedAt())))
                .append(" &middot; <code>").append(esc(report.id())).append("</code></p>\n");
        banner(html, report);
        cards(html, report);
        requirements(html, report);
        if (!report.repositoryFindings().isEmpty()) {
            html.append("<h2>Repository findings</h2>");
            findings(html, report.repositoryFindings());
        }
        html.append("<h2>Partitions</h2>\n");
        for (ComplianceReport.PartitionCompliance partition : report.partitions()) {
            partition(html, partition, report);
        }
        html.append("<p class=\"muted\">Every figure above is computed from objects in the repository (archived segments and"
                + " their store times, the verification state, verdicts, restore drills, snapshots and recorded alerts), so"
                + " the same report can be rebuilt on any machine. The JSON and Parquet files beside this page hold the same"
                + " data.</p>\n</main></body></html>\n");
        return html.toString();
    }

    private static void banner(StringBuilder html, ComplianceReport report) {
        html.append("<div class=\"banner ").append(report.compliant() ? "ok" : "bad").append("\"><b>")
                .append(report.compliant() ? "COMPLIANT" : "NOT COMPLIANT").append("</b> &mdash; ");
        if (report.compliant()) {
            html.append("every partition is archived without gaps within the RPO, every replica was verified clean within ")
                    .append(esc(Human.duration(report.requirements().maxVerificationAge())))
                    .append(", no finding is open, a restore drill passed and the retention window is restorable.</div>\n");
            return;
        }
        html.append(report.reasons().size()).append(report.reasons().size() == 1 ? " requirement is" : " requirements are")
                .append(" not met:<ul>");
        report.reasons().stream().limit(12).forEach(r -> html.append("<li>").append(esc(r)).append("</li>"));
        if (report.reasons().size() > 12) {
            html.append("<li>… and ").append(report.reasons().size() - 12).append(" more (see the partitions below)</li>");
        }
        html.append("</ul></div>\n");
    }

    private static void cards(StringBuilder html, ComplianceReport report) {
        ComplianceReport.Totals t = report.totals();
        html.append("<div class=\"cards\">");
        card(html, t.partitionsCompliant() + " / " + t.partitions(), "partitions compliant");
        card(html, String.format(Locale.ROOT, "%.0f%%", 100 * t.shareFullyVerified()), "partitions fully verified in the period");
        card(html, t.replicasVerifiedWithinMaxAge() + " / " + t.replicas(), "replicas verified within max age");
        card(html, t.findingsOpened() + " opened", t.findingsResolved() + " resolved, " + t.findingsOpen() + " open");
        card(html, t.drillsPassed() + " passed", t.drillsFailed() + " failed restore drills");
        card(html, report.objectLock().enabled() ? "on" : "off", "S3 Object Lock" + (report.objectLock().required()
                ? " (required)" : ""));
        html.append("</div>\n");
    }

    private static void card(StringBuilder html, String value, String label) {
        html.append("<div class=\"card\"><div class=\"v\">").append(esc(value)).append("</div><div class=\"k\">")
                .append(esc(label)).append("</div></div>");
    }

    private static void requirements(StringBuilder html, ComplianceReport report) {
        ReportRequirements r = report.requirements();
        html.append("<h3>Requirements</h3><table><tr><th>requirement</th><th>setting</th><th>value</th></tr>")
                .append(row("archive lag never above", "archive.rpo", Human.duration(r.rpo())))
                .append(row("each replica verified clean within", "report.max-verification-age", Human.duration(r.maxVerificationAge())))
                .append(row("a restore drill passed within", "report.drill-every", Human.duration(r.drillEvery())))
                .append(row("every point in time restorable for", "retention.window", Human.duration(r.retentionWindow())))
                .append(row("S3 Object Lock", "retention.object-lock", r.objectLockRequired() ? "required" : "not required"
                        + " (" + report.objectLock().description() + ")"))
                .append("</table>\n");
    }

    private static String row(String what, String setting, String value) {
        return "<tr><td>" + esc(what) + "</td><td><code>" + esc(setting) + "</code></td><td>" + esc(value) + "</td></tr>";
    }

    private static void partition(StringBuilder html, ComplianceReport.PartitionCompliance p, ComplianceReport report) {
        html.append("<section class=\"partition\"><h2>").append(esc(p.partition())).append(" <span class=\"pill ")
                .append(p.compliant() ? "ok" : "bad").append("\">").append(p.compliant() ? "compliant" : "not compliant")
                .append("</span></h2>");
        if (!p.reasons().isEmpty()) {
            html.append("<ul class=\"reasons\">");
            p.reasons().forEach(r -> html.append("<li>").append(esc(r)).append("</li>"));
            html.append("</ul>");
        }
        ComplianceReport.Coverage c = p.coverage();
        html.append("<h3>Archive coverage</h3><p>LSNs ").append(c.firstLsn()).append(" to ").append(c.lastLsn())
                .append(" in ").append(c.segments()).append(" segments (").append(bytes(c.bytes())).append("), ")
                .append(c.gaps().isEmpty() ? "<span class=\"good\">no gaps</span>"
                        : "<span class=\"poor\">" + c.gaps().size() + " gap(s)</span>").append(".</p>");
        html.append(Charts.coverage(c));

        ComplianceReport.Lag lag = p.lag();
        html.append("<h3>Archive lag (RPO)</h3>");
        if (lag.measured() == 0) {
            html.append("<p class=\"muted\">No segment was archived in the period.</p>");
        } else {
            double rpo = report.requirements().rpo().toMillis() / 1000.0;
            html.append("<p>").append(lag.segments()).append(" segments archived in the period; from a record being written"
                            + " to its segment being safe in the repository: max <b class=\"").append(lag.maxSeconds() > rpo
                            ? "poor" : "good").append("\">").append(seconds(lag.maxSeconds())).append("</b>, p99 ")
                    .append(seconds(lag.p99Seconds())).append(", median ").append(seconds(lag.p50Seconds()))
                    .append(" (RPO ").append(esc(Human.duration(report.requirements().rpo()))).append(")")
                    .append(lag.storedAgain() > 0 ? "; " + lag.storedAgain() + " segment(s) stored again after a repair count"
                            + " with their first store time" : "").append(".</p>");
            html.append(Charts.lag(lag.points(), rpo, Instant.parse(report.periodStart()), Instant.parse(report.generatedAt())));
        }

        html.append("<h3>Verification freshness</h3>");
        if (p.replicas().isEmpty()) {
            html.append("<p class=\"poor\">No replica has published a scrub report.</p>");
        } else {
            double max = report.requirements().maxVerificationAge().toSeconds();
            html.append(Charts.verificationAge(p.replicas(), max));
            html.append("<table><tr><th>replica</th><th>latest verdict</th><th>last clean verdict</th><th>age</th>"
                    + "<th class=\"num\">verdicts in period</th><th class=\"num\">clean</th></tr>");
            for (ComplianceReport.ReplicaVerification r : p.replicas()) {
                html.append("<tr><td>").append(esc(r.replica())).append("</td><td class=\"")
                        .append("CLEAN".equals(r.lastVerdictStatus()) ? "good" : "poor").append("\">")
                        .append(r.lastVerdictStatus() == null ? "none" : esc(r.lastVerdictStatus()) + " at LSN " + r.lastVerdictLsn())
                        .append("</td><td>").append(r.lastCleanAt() == null ? "never" : esc(Human.time(r.lastCleanAt())) + " (LSN "
                                + r.lastCleanLsn() + ")")
                        .append("</td><td class=\"").append(r.withinMaxAge() ? "good" : "poor").append("\">")
                        .append(r.secondsSinceVerified() == null ? "&mdash;" : esc(Human.duration(Duration.ofSeconds(r.secondsSinceVerified()))))
                        .append("</td><td class=\"num\">").append(r.verdictsInPeriod()).append("</td><td class=\"num\">")
                        .append(r.cleanInPeriod()).append("</td></tr>");
            }
            html.append("</table>");
        }

        html.append("<h3>Findings</h3>");
        if (p.findings().isEmpty()) {
            html.append("<p class=\"muted\">None raised in the period.</p>");
        } else {
            findings(html, p.findings());
        }

        html.append("<h3>Restore drills and the restorable window</h3>");
        ComplianceReport.Restorable r = p.restorable();
        html.append("<p class=\"").append(r.meetsPolicy() ? "good" : "poor").append("\">").append(esc(r.explanation()))
                .append("</p>");
        html.append("<p>Last snapshot: ").append(p.lastSnapshotLsn().map(l -> "LSN " + l).orElse("none")).append(".</p>");
        if (p.drills().isEmpty()) {
            html.append("<p class=\"muted\">No restore drill of this partition in the period.</p>");
        } else {
            html.append("<table><tr><th>time</th><th class=\"num\">LSN</th><th>outcome</th><th class=\"num\">duration</th></tr>");
            for (ComplianceReport.Drill d : p.drills()) {
                html.append("<tr><td class=\"time\">").append(esc(Human.time(d.time()))).append("</td><td class=\"num\">").append(d.lsn())
                        .append("</td><td class=\"").append(d.passed() ? "good\">passed" : "poor\">FAILED: " + esc(d.error()))
                        .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%.1f s", d.durationMillis() / 1000.0))
                        .append("</td></tr>");
            }
            html.append("</table>");
        }
        html.append("</section>\n");
    }

    private static void findings(StringBuilder html, List<ComplianceReport.Finding> findings) {
        html.append("<table><tr><th>opened</th><th>finding</th><th>subject</th><th>status</th></tr>");
        for (ComplianceReport.Finding f : findings) {
            html.append("<tr><td class=\"time\">").append(esc(Human.time(f.openedAt()))).append("</td><td><b>").append(esc(f.type())).append("</b>")
                    .append(f.occurrences() > 1 ? " <span class=\"muted\">(raised " + f.occurrences() + " times)</span>" : "")
                    .append("<br>")
                    .append("<span class=\"muted\">").append(esc(f.message())).append("</span></td><td>").append(esc(f.subject()))
                    .append("</td><td class=\"").append(f.open() ? "poor\">OPEN" : "good\">resolved " + esc(Human.time(f.resolvedAt())))
                    .append("<br><span class=\"muted\">").append(esc(f.resolution())).append("</span></td></tr>");
        }
        html.append("</table>");
    }

    private static String seconds(double value) {
        return esc(Human.duration(Duration.ofMillis(Math.round(value * 1000))));
    }

    private static String bytes(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }

    private static String day(String instant) {
        return instant.length() >= 10 ? instant.substring(0, 10) : instant;
    }

    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
