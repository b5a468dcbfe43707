package dev.vigil.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.vigil.core.io.DurableFiles;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the end-to-end benchmarks share: options, CPU time, scratch directories. */
final class BenchSupport {

    private BenchSupport() {}

    /** The value after {@code name} in {@code args}, or the default. */
    static String option(String[] args, String name, String defaultValue) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return defaultValue;
    }

    /** CPU time of this process (all threads), in nanoseconds. */
    static long cpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** A fresh directory under {@code vigil.bench.dir} (default: the system temp directory). */
    static Path scratch(String name) throws IOException {
        return Files.createTempDirectory(
                Path.of(System.getProperty("vigil.bench.dir", System.getProperty("java.io.tmpdir"))), name);
    }

    static void delete(Path directory) throws IOException {
        DurableFiles.deleteRecursively(directory);
    }
}
