package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A command's body within a bound: what it waited for is said when the bound passes, and its thread is let go. */
class BoundedTest {

    @Test
    void aBodyThatNeverAnswersIsCutAtTheBoundNamingItsStep() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Bounded.Step step = new Bounded.Step("opening");
        int code = Bounded.within(
                Duration.ofMillis(300),
                step,
                "vigil-test-bounded",
                () -> {
                    step.now("reading the fleet database jdbc:postgresql://db/vigil");
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                    }
                    return 0;
                },
                what -> {
                    assertThat(what).isEqualTo("reading the fleet database jdbc:postgresql://db/vigil");
                    return ExitCodes.FAILURE;
                });
        assertThat(code).isEqualTo(ExitCodes.FAILURE);
    }

    @Test
    void aBodyThatAnswersInTimeGivesItsOwnExitCode() throws Exception {
        assertThat(Bounded.within(
                        Duration.ofSeconds(10), new Bounded.Step("x"), "vigil-test-bounded", () -> 1, what -> 3))
                .isEqualTo(1);
    }
}
