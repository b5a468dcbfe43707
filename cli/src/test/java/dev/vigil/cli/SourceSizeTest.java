package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No class grows back into a god class unseen: a main source file over {@value #LIMIT} lines fails the build, unless it
 * is one of the one-concept classes named here with the reason it stays whole (docs/architecture.md lists the same).
 * A named file that shrinks below the limit must leave the list, so the list stays true.
 */
class SourceSizeTest {

    private static final int LIMIT = 450;

    /** The files allowed over the limit, and why each is one concept that reads best whole. */
    private static final Map<String, String> ONE_CONCEPT = Map.of(
            "core/src/main/java/dev/vigil/core/sketch/DifferenceSketch.java",
            "the invertible Bloom lookup table: cells, the key table of long keys, subtraction, peeling and its"
                    + " encoding, which share one cell layout",
            "core/src/main/java/dev/vigil/core/wal/SegmentWriter.java",
            "the WAL segment format's writer: header, records, seal and crash-safe rotation, which share one"
                    + " buffer and one file",
            "bench/src/main/java/dev/vigil/bench/FleetBenchmark.java",
            "a benchmark scenario read top to bottom (a fleet of nodes and workers started, measured, stopped),"
                    + " not product code");

    @Test
    void noMainSourceFileGrowsPastTheLimitUnlessNamed() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Map<String, Long> sizes = new TreeMap<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/java")))
                    .toList()) {
                try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
                    for (Path file :
                            files.filter(f -> f.toString().endsWith(".java")).toList()) {
                        try (Stream<String> lines = Files.lines(file)) {
                            sizes.put(root.relativize(file).toString().replace('\\', '/'), lines.count());
                        }
                    }
                }
            }
        }
        assertThat(sizes).as("main source files found under %s", root).hasSizeGreaterThan(100);
        List<String> tooLong = new ArrayList<>();
        sizes.forEach((file, lines) -> {
            if (lines > LIMIT && !ONE_CONCEPT.containsKey(file)) {
                tooLong.add(file + " (" + lines + " lines)");
            }
        });
        assertThat(tooLong)
                .as(
                        "main source files over %d lines: cut them into one-concept classes, or name them in"
                                + " ONE_CONCEPT with the reason",
                        LIMIT)
                .isEmpty();
        List<String> stale = ONE_CONCEPT.keySet().stream()
                .filter(file -> sizes.getOrDefault(file, 0L) <= LIMIT)
                .toList();
        assertThat(stale)
                .as("named in ONE_CONCEPT but no longer over %d lines", LIMIT)
                .isEmpty();
    }
}
