package dev.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.PartitionId;
import dev.vigil.core.wal.Op;
import dev.vigil.core.wal.WalFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's JSON results into the Markdown tables of {@code docs/performance.md}: throughput in MB/s and
 * records/s, and every Vigil figure as a ratio to the baseline measured in the same run.
 */
public final class BenchReport {

    private BenchReport() {}

    public static void main(String[] args) throws IOException {
        JsonNode results = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        Map<String, double[]> scores = new LinkedHashMap<>();
        for (JsonNode result : results) {
            String name = result.get("benchmark").asText();
            String method = name.substring(name.lastIndexOf('.') + 1);
            String clazz = name.substring(0, name.lastIndexOf('.'));
            clazz = clazz.substring(clazz.lastIndexOf('.') + 1);
            JsonNode params = result.get("params");
            String param = params == null ? "" : params.elements().next().asText();
            JsonNode metric = result.get("primaryMetric");
            scores.put(clazz + "/" + method + "/" + param, new double[] {
                metric.get("score").asDouble(), metric.get("scoreError").asDouble()
            });
        }
        StringBuilder out = new StringBuilder();
        segmentTable(
                out,
                scores,
                "SegmentWriteBenchmark",
                "vigilSegmentWriter",
                new String[] {"baselineRawFileWrite"},
                "Segment write (append + seal + one fsync, 16 MiB segments)");
        segmentTable(
                out,
                scores,
                "SegmentReadBenchmark",
                "vigilSegmentReader",
                new String[] {"baselineRawRead", "baselineRawReadWithCrc32c"},
                "Segment read (stream + validate every record, page-cached 16 MiB segment)");
        checksumTable(out, scores);
        System.out.print(out);
    }

    private static void segmentTable(
            StringBuilder out,
            Map<String, double[]> scores,
            String clazz,
            String vigil,
            String[] baselines,
            String title) {
        out.append("### ").append(title).append("\n\n");
        out.append("| value size | Vigil MB/s | Vigil records/s |");
        for (String baseline : baselines) {
            out.append(' ').append(baseline).append(" MB/s | ratio |");
        }
        out.append("\n|---|---|---|");
        out.append("---|---|".repeat(baselines.length)).append('\n');
        for (String valueSize : new String[] {"100", "4096"}) {
            double[] score = scores.get(clazz + "/" + vigil + "/" + valueSize);
            if (score == null) {
                continue;
            }
            int size = Integer.parseInt(valueSize);
            int frame = WalFormat.frameLength(Op.PUT, 16, size);
            long records = SegmentWriteBenchmark.SEGMENT_BYTES / frame;
            double bytes =
                    records * (double) frame + WalFormat.headerLength(PartitionId.of("bench")) + WalFormat.TAIL_LENGTH;
            out.append(String.format(
                    Locale.ROOT,
                    "| %d B | %.0f ± %.0f | %,.0f |",
                    size,
                    mb(score[0] * bytes),
                    mb(score[1] * bytes),
                    score[0] * records));
            for (String baseline : baselines) {
                double[] base = scores.get(clazz + "/" + baseline + "/" + valueSize);
                if (base == null) {
                    out.append(" not measured | – |");
                    continue;
                }
                out.append(String.format(
                        Locale.ROOT,
                        " %.0f ± %.0f | %.2f× |",
                        mb(base[0] * bytes),
                        mb(base[1] * bytes),
                        score[0] / base[0]));
            }
            out.append('\n');
        }
        out.append('\n');
    }

    private static void checksumTable(StringBuilder out, Map<String, double[]> scores) {
        out.append("### Record checksum (one record payload)\n\n");
        out.append("| payload | CRC32C MB/s | SHA-256 MB/s | CRC32C / SHA-256 |\n|---|---|---|---|\n");
        for (String payload : new String[] {"141", "4137"}) {
            double[] crc = scores.get("RecordChecksumBenchmark/crc32cRecordChecksum/" + payload);
            double[] sha = scores.get("RecordChecksumBenchmark/sha256SameBytes/" + payload);
            if (crc == null || sha == null) {
                continue;
            }
            int bytes = Integer.parseInt(payload);
            out.append(String.format(
                    Locale.ROOT,
                    "| %d B | %.0f | %.0f | %.1f× |%n",
                    bytes,
                    mb(crc[0] * bytes),
                    mb(sha[0] * bytes),
                    crc[0] / sha[0]));
        }
        out.append('\n');
    }

    private static double mb(double bytesPerSecond) {
        return bytesPerSecond / 1_000_000.0;
    }
}
