package dev.vigil.report;

import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.alert.AlertResolution;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.repository.ReportSealer;
import dev.vigil.core.repository.RepositoryJson;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.PutRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes a report in all its forms to the repository ({@code reports/<yyyy-mm-dd>/<id>.{html,json,parquet}}: the
 * audit record always holds all three) and, when asked, the chosen forms to a local directory (each file
 * written durably: temp file, fsync, rename). A report that is not compliant raises {@code COMPLIANCE_FAILED}
 * with its reasons. When the repository keeps a signed log, the report is sealed ({@link ReportSealer}): an auditor checks
 * it offline with {@code vigil audit verify}. Thread safe (stateless between calls).
 */
public final class ReportPublisher {

    private final ObjectStore store;
    private final Path scratch;
    private final AlertPublisher alerts;
    private final Clock clock;
    private final Optional<ReportSealer> sealer;

    /** {@code scratch}: a local directory for the Parquet file before it is stored. */
    public ReportPublisher(ObjectStore store, Path scratch, AlertPublisher alerts, Clock clock) {
        this(store, scratch, alerts, clock, Optional.empty());
    }

    /**
     * As above; with a {@code sealer} (the repository keeps a signed log), every report is sealed once stored: the seal
     * is stored beside it ({@code <id>.seal.json}) and written with the local files.
     */
    public ReportPublisher(
            ObjectStore store, Path scratch, AlertPublisher alerts, Clock clock, Optional<ReportSealer> sealer) {
        this.store = store;
        this.scratch = scratch;
        this.alerts = alerts;
        this.clock = clock;
        this.sealer = sealer;
    }

    /** Where a report went: the repository keys and the local files. */
    public record Published(List<String> keys, List<Path> files) {
        public Published {
            keys = List.copyOf(keys);
            files = List.copyOf(files);
        }
    }

    public Published publish(ComplianceReport report, Set<ReportFormat> localFormats, Optional<Path> localDirectory)
            throws IOException {
        Map<ReportFormat, byte[]> rendered = render(report);
        Instant created = report.generatedAt();
        List<String> keys = new ArrayList<>();
        for (Map.Entry<ReportFormat, byte[]> form : rendered.entrySet()) {
            String key = RepositoryLayout.reportKey(
                    created, report.id(), form.getKey().extension());
            store.put(PutRequest.overwrite(
                    key,
                    ObjectBody.ofBytes(form.getValue()),
                    Checksum.of(ChecksumAlgorithm.CRC32C, form.getValue()),
                    Map.of("report-compliant", Boolean.toString(report.compliant()))));
            keys.add(key);
        }
        Optional<byte[]> seal = Optional.empty();
        IOException unsealed = null;
        try {
            seal = seal(report, rendered, keys);
        } catch (IOException e) {
            unsealed = e;
        }
        List<Path> files = new ArrayList<>();
        if (localDirectory.isPresent()) {
            Files.createDirectories(localDirectory.get());
            for (ReportFormat format : localFormats) {
                Path file = localDirectory.get().resolve(report.id() + "." + format.extension());
                DurableFiles.publish(file, Objects.requireNonNull(rendered.get(format)));
                files.add(file);
            }
            if (seal.isPresent()) {
                Path file = localDirectory.get().resolve(report.id() + "." + ReportSealer.EXTENSION);
                DurableFiles.publish(file, seal.get());
                files.add(file);
            }
        }
        // One incident while the repository is not compliant, updated by each failing report, ended by a compliant one.
        String incident = AlertType.COMPLIANCE_FAILED + "|" + report.repository();
        if (report.compliant()) {
            alerts.resolve(AlertResolution.ofKey(
                    AlertType.COMPLIANCE_FAILED,
                    incident,
                    clock.instant(),
                    "compliance report " + report.id() + " for " + report.repository() + " meets every requirement"));
        } else {
            alerts.raise(Alert.of(AlertType.COMPLIANCE_FAILED, clock.instant())
                    .key(incident)
                    .message("compliance report " + report.id() + " for " + report.repository() + ": "
                            + report.reasons().size() + " requirement(s) not met; first: "
                            + report.reasons().getFirst())
                    .action("read the report (" + keys.getFirst() + ") and resolve each reason; the next report says"
                            + " whether it is resolved")
                    .detail("report", keys.getFirst())
                    .build());
        }
        if (unsealed != null) {
            throw new IOException(
                    "the report " + report.id() + " is stored (" + keys.getFirst() + ") but could not be" + " sealed: "
                            + unsealed.getMessage() + "; an auditor cannot check it offline",
                    unsealed);
        }
        return new Published(keys, files);
    }

    /** Seals the report just stored under {@code keys} and stores its seal (added to {@code keys}), if sealing is on. */
    private Optional<byte[]> seal(ComplianceReport report, Map<ReportFormat, byte[]> rendered, List<String> keys)
            throws IOException {
        if (sealer.isEmpty()) {
            return Optional.empty();
        }
        Map<String, byte[]> forms = new TreeMap<>();
        rendered.forEach((format, bytes) -> forms.put(format.extension(), bytes));
        byte[] seal = sealer.get().seal(report.id(), report.periodStart(), forms, keys);
        String key = RepositoryLayout.reportKey(report.generatedAt(), report.id(), ReportSealer.EXTENSION);
        store.put(PutRequest.overwrite(
                key, ObjectBody.ofBytes(seal), Checksum.of(ChecksumAlgorithm.CRC32C, seal), Map.of()));
        keys.add(key);
        return Optional.of(seal);
    }

    private Map<ReportFormat, byte[]> render(ComplianceReport report) throws IOException {
        Map<ReportFormat, byte[]> rendered = new EnumMap<>(ReportFormat.class);
        rendered.put(ReportFormat.HTML, HtmlReport.render(report).getBytes(StandardCharsets.UTF_8));
        rendered.put(ReportFormat.JSON, RepositoryJson.PRETTY.writeValueAsBytes(report));
        Files.createDirectories(scratch);
        Path parquet = Files.createTempFile(scratch, report.id() + "-", ".parquet");
        try {
            ReportParquet.write(report, parquet);
            rendered.put(ReportFormat.PARQUET, Files.readAllBytes(parquet));
        } finally {
            Files.deleteIfExists(parquet);
        }
        return rendered;
    }
}
