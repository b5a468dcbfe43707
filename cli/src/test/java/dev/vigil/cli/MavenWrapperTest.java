package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's test command works as written on a machine whose default {@code java} (and {@code JAVA_HOME}) is older
 * than 21 and that has a JDK 21+ installed: the Maven wrapper finds it by itself, as the {@code vigil} launcher does.
 */
class MavenWrapperTest {

    @TempDir
    Path dir;

    @Test
    void theWrapperRunsMavenOnAJdk21OrNewerWhenTheDefaultJavaIsOlder() throws Exception {
        // A JDK 17 as find-jdk.sh sees one: java and javac that report specification version 17.
        Path old = dir.resolve("jdk-17");
        Files.createDirectories(old.resolve("bin"));
        for (String tool : new String[] {"java", "javac"}) {
            Path script = old.resolve("bin").resolve(tool);
            Files.writeString(script, """
                    #!/bin/sh
                    echo "    java.specification.version = 17" >&2
                    echo "    java.home = %s" >&2
                    echo 'openjdk version "17.0.15"' >&2
                    """.formatted(old));
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path root = Path.of("..").toAbsolutePath().normalize();
        ProcessBuilder builder = new ProcessBuilder(root.resolve("mvnw").toString(), "-v")
                .directory(root.toFile())
                .redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", old.toString());
        builder.environment().put("PATH", old.resolve("bin") + ":/usr/bin:/bin");
        Process mvnw = builder.start();
        String output = new String(mvnw.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(mvnw.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(mvnw.exitValue()).as(output).isZero();
        assertThat(output).containsPattern("Java version: (2[1-9]|[3-9][0-9])").doesNotContain("Java version: 17");
    }
}
