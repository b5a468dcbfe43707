package dev.vigil.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * A report as Parquet: one row per partition, with the report's id and times on every row, so that the files of
 * many reports form a history any Parquet reader can query (DuckDB:
 * <code>SELECT generated_at, partition, compliant FROM 'reports/*&#47;*.parquet' ORDER BY 1</code>). Columns are
 * flat and stable; the schema is {@link #SCHEMA}. Stateless.
 */
final class ReportParquet {

    static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named("report_id")
            .required(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS))
            .named("generated_at")
            .required(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS))
            .named("period_start")
            .required(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named("repository")
            .required(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named("partition")
            .required(PrimitiveTypeName.BOOLEAN)
            .named("compliant")
            .required(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named("reasons")
            .required(PrimitiveTypeName.INT64)
            .named("archived_first_lsn")
            .required(PrimitiveTypeName.INT64)
            .named("archived_last_lsn")
            .required(PrimitiveTypeName.INT32)
            .named("archive_gaps")
            .required(PrimitiveTypeName.INT32)
            .named("segments_archived_in_period")
            .required(PrimitiveTypeName.DOUBLE)
            .named("lag_max_seconds")
            .required(PrimitiveTypeName.DOUBLE)
            .named("lag_p99_seconds")
            .required(PrimitiveTypeName.INT32)
            .named("replicas")
            .required(PrimitiveTypeName.INT32)
            .named("replicas_verified_within_max_age")
            .optional(PrimitiveTypeName.INT64)
            .named("oldest_verification_age_seconds")
            .required(PrimitiveTypeName.BOOLEAN)
            .named("fully_verified_in_period")
            .required(PrimitiveTypeName.INT32)
            .named("findings_opened")
            .required(PrimitiveTypeName.INT32)
            .named("findings_resolved")
            .required(PrimitiveTypeName.INT32)
            .named("findings_open")
            .required(PrimitiveTypeName.INT32)
            .named("drills_passed")
            .required(PrimitiveTypeName.INT32)
            .named("drills_failed")
            .optional(PrimitiveTypeName.INT64)
            .named("restorable_oldest_lsn")
            .optional(PrimitiveTypeName.INT64)
            .named("restorable_newest_lsn")
            .required(PrimitiveTypeName.BOOLEAN)
            .named("restorable_meets_policy")
            .required(PrimitiveTypeName.BOOLEAN)
            .named("object_lock_enabled")
            .named("vigil_compliance_partition");

    private ReportParquet() {}

    static void write(ComplianceReport report, Path file) throws IOException {
        SimpleGroupFactory rows = new SimpleGroupFactory(SCHEMA);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new Configuration(false))
                .withType(SCHEMA)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.ZSTD)
                .build()) {
            for (ComplianceReport.PartitionCompliance p : report.partitions()) {
                Group row = rows.newGroup()
                        .append("report_id", report.id())
                        .append("generated_at", report.generatedAt().toEpochMilli())
                        .append("period_start", report.periodStart().toEpochMilli())
                        .append("repository", report.repository())
                        .append("partition", p.partition().value())
                        .append("compliant", p.compliant())
                        .append("reasons", String.join("\n", p.reasons()))
                        .append("archived_first_lsn", p.coverage().firstLsn())
                        .append("archived_last_lsn", p.coverage().lastLsn())
                        .append("archive_gaps", p.coverage().gaps().size())
                        .append("segments_archived_in_period", p.lag().segments())
                        .append("lag_max_seconds", p.lag().maxSeconds())
                        .append("lag_p99_seconds", p.lag().p99Seconds())
                        .append("replicas", p.replicas().size())
                        .append("replicas_verified_within_max_age", (int) p.replicas().stream()
                                .filter(ComplianceReport.ReplicaVerification::withinMaxAge)
                                .count())
                        .append("fully_verified_in_period", p.fullyVerified())
                        .append("findings_opened", p.findings().size())
                        .append("findings_resolved", (int)
                                p.findings().stream().filter(f -> !f.open()).count())
                        .append("findings_open", (int) p.findings().stream()
                                .filter(ComplianceReport.Finding::blocking)
                                .count())
                        .append("drills_passed", (int) p.drills().stream()
                                .filter(ComplianceReport.Drill::passed)
                                .count())
                        .append("drills_failed", (int)
                                p.drills().stream().filter(d -> !d.passed()).count())
                        .append("restorable_meets_policy", p.restorable().meetsPolicy())
                        .append("object_lock_enabled", report.objectLock().enabled());
                oldestVerificationAge(p).ifPresent(age -> row.append("oldest_verification_age_seconds", age));
                Long oldestLsn = p.restorable().oldestLsn();
                Long newestLsn = p.restorable().newestLsn();
                if (oldestLsn != null && newestLsn != null) {
                    row.append("restorable_oldest_lsn", oldestLsn);
                    row.append("restorable_newest_lsn", newestLsn);
                }
                writer.write(row);
            }
        }
    }

    /** The age of the stalest replica's last clean verdict; empty when some replica was never verified, or none exists. */
    private static Optional<Long> oldestVerificationAge(ComplianceReport.PartitionCompliance p) {
        if (p.replicas().isEmpty() || p.replicas().stream().anyMatch(r -> r.secondsSinceVerified() == null)) {
            return Optional.empty();
        }
        return p.replicas().stream()
                .map(ComplianceReport.ReplicaVerification::secondsSinceVerified)
                .max(Long::compare);
    }
}
