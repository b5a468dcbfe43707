package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The product's distribution ({@code cli/target/lib}, what the {@code vigil} launcher runs) carries no test
 * framework: the build lists the runtime class path it copies into {@code target/runtime-classpath.txt}.
 */
class DistributionTest {

    @Test
    void theDistributionCarriesNoTestFramework() throws Exception {
        Path listing = Path.of("target", "runtime-classpath.txt");
        assertThat(listing).as("written by the build (list-runtime-libs)").exists();
        List<String> jars = Arrays.stream(Files.readString(listing).strip().split(File.pathSeparator))
                .map(path -> Path.of(path).getFileName().toString())
                .toList();

        assertThat(jars)
                .as("what the launcher runs")
                .isNotEmpty()
                .anyMatch(jar -> jar.startsWith("vigil-core"))
                .anyMatch(jar -> jar.startsWith("vigil-demo"))
                .noneMatch(jar -> jar.startsWith("junit") || jar.startsWith("opentest4j"))
                .noneMatch(jar -> jar.startsWith("testcontainers"))
                .noneMatch(jar -> jar.startsWith("docker-java"))
                .noneMatch(jar -> jar.startsWith("jna"))
                .noneMatch(jar -> jar.startsWith("assertj"))
                .noneMatch(jar -> jar.startsWith("vigil-testkit"));
    }
}
