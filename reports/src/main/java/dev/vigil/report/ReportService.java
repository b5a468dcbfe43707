package dev.vigil.report;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.PreconditionFailedException;
import dev.vigil.core.store.PutRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds and publishes compliance reports: on demand ({@code vigil report}), or for a scheduled run of the
 * daemons' report job. Every daemon runs that job on the same schedule, but one report per scheduled time is
 * enough: the daemon that first stores the run's claim ({@code reports/<day>/<time>.claim}, "only if absent")
 * writes it, the others skip it, and when that daemon is down another one wins. Thread safe.
 */
public final class ReportService {

    private static final DateTimeFormatter CLAIM =
            DateTimeFormatter.ofPattern("HHmmss").withZone(ZoneOffset.UTC);

    private final ObjectStore store;
    private final ReportBuilder builder;
    private final ReportPublisher publisher;
    private final Duration period;
    private final String host;

    /** {@code period}: what a scheduled report covers ({@code report.period}); {@code host} names the claimant. */
    public ReportService(
            ObjectStore store, ReportBuilder builder, ReportPublisher publisher, Duration period, String host) {
        this.store = store;
        this.builder = builder;
        this.publisher = publisher;
        this.period = period;
        this.host = host;
    }

    /** What one run produced: the report and where it went. */
    public record Run(ComplianceReport report, ReportPublisher.Published published) {}

    /** Builds a report of {@code period} now and publishes it (the chosen forms also to {@code localDirectory}). */
    public Run publishNow(Duration period, Set<ReportFormat> localFormats, Optional<Path> localDirectory)
            throws IOException {
        ComplianceReport report = builder.build(period);
        return new Run(report, publisher.publish(report, localFormats, localDirectory));
    }

    /** The report of the run scheduled at {@code scheduled}, unless another daemon claimed that run first. */
    public Optional<Run> publishScheduled(Instant scheduled) throws IOException {
        String claim = RepositoryLayout.REPORTS
                + scheduled.atZone(ZoneOffset.UTC).toLocalDate() + "/" + CLAIM.format(scheduled) + ".claim";
        byte[] body = ("{\"host\":\"" + host.replace("\"", "") + "\"}").getBytes(StandardCharsets.UTF_8);
        try {
            store.put(PutRequest.ifAbsent(
                    claim, ObjectBody.ofBytes(body), Checksum.of(ChecksumAlgorithm.CRC32C, body), Map.of()));
        } catch (PreconditionFailedException anotherDaemonWrites) {
            return Optional.empty();
        }
        return Optional.of(publishNow(period, Set.of(), Optional.empty()));
    }
}
