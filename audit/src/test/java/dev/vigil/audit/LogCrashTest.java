package dev.vigil.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.tlog.NoteKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several processes append to one repository's log at once and are killed with SIGKILL at random moments, round after
 * round (each round's writers first finish what the killed ones left, as a restarted daemon does): the log has no gap,
 * and once the last intents are finished the repository audits clean: no object outside the log, none logged and
 * missing.
 */
class LogCrashTest {

    private static final int WRITERS = 3;
    private static final int ROUNDS = 3;

    @TempDir
    Path dir;

    @Test
    void writersKilledMidAppendLeaveALogThatAuditsClean() throws Exception {
        Path repository = dir.resolve("repo");
        Files.createDirectories(repository);
        Path intents = dir.resolve("work/state/log-intents");
        SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < ROUNDS; round++) {
            List<Process> writers = new ArrayList<>();
            try {
                for (int w = 0; w < WRITERS; w++) {
                    writers.add(start(repository, intents, "w" + w, round));
                }
                for (int w = 0; w < WRITERS; w++) {
                    awaitLines(
                            dir.resolve("writer-w" + w + "-" + round + ".log"),
                            20 + random.nextInt(60),
                            writers.get(w));
                }
            } finally {
                // Killed whatever happened: a failed wait must not leave writers running after the test.
                for (Process writer : writers) {
                    writer.destroyForcibly();
                    assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
                }
            }
        }

        ObjectStore raw = ObjectStores.localDirectory(repository, Clock.systemUTC());
        LoggingObjectStore next =
                new LoggingObjectStore(raw, new LogAppender(raw), Clock.systemUTC(), "next", new LogIntents(intents));
        long recovered = next.recover().size();
        for (int round = 0; round < ROUNDS; round++) {
            for (int w = 0; w < WRITERS; w++) {
                recovered += Files.readAllLines(dir.resolve("writer-w" + w + "-" + round + ".log")).stream()
                        .filter(line -> line.startsWith("recovered "))
                        .count();
            }
        }
        // The test is worth something only if kills cut operations short (an intent left between a put and its entry).
        assertThat(recovered)
                .as("operations a kill cut short, finished by the next process")
                .isPositive();
        try (var left = Files.list(intents)) {
            assertThat(left).as("every dead writer's intent finished").isEmpty();
        }
        NoteKeys.Signer signer = NoteKeys.generate("crash-test", new SecureRandom());
        new Checkpointer(raw, signer, "crash-test", Clock.systemUTC()).checkpoint();
        Auditor.Report audit = new Auditor(raw, List.of(signer.verifier()), Duration.ZERO, Clock.systemUTC()).audit();

        assertThat(audit.findings()).isEmpty();
        assertThat(audit.entries()).isGreaterThan((long) ROUNDS * WRITERS * 20);
        assertThat(audit.objects()).isPositive();
    }

    private Process start(Path repository, Path intents, String name, int round) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return new ProcessBuilder(
                        java,
                        "-Xmx128m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        LogWriterProcess.class.getName(),
                        repository.toString(),
                        intents.toString(),
                        name)
                .redirectErrorStream(true)
                .redirectOutput(
                        dir.resolve("writer-" + name + "-" + round + ".log").toFile())
                .start();
    }

    /** Waits until the writer has said {@code lines} steps (it is then killed in the middle of the next ones). */
    private static void awaitLines(Path log, int lines, Process writer) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(log) && Files.readAllLines(log).size() >= lines) {
                return;
            }
            if (!writer.isAlive()) {
                List<String> said = Files.exists(log) ? Files.readAllLines(log) : List.of();
                throw new AssertionError("the writer " + log + " stopped by itself; its last words: "
                        + String.join("\n", said.subList(Math.max(0, said.size() - 30), said.size())));
            }
            writer.waitFor(10, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("the writer did not get " + lines + " steps done within 120 s: " + log);
    }
}
