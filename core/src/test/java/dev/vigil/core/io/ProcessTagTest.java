package dev.vigil.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcessTagTest {

    @Test
    void theTagIsFoundAtTheEndOfAnyName() {
        assertThat(ProcessTag.of("p-7-1a2b-4242@node-3.example.com"))
                .contains(new ProcessTag(4242, "node-3.example.com"));
        assertThat(ProcessTag.of("put-9182.tmp-17@h")).contains(new ProcessTag(17, "h"));
        assertThat(ProcessTag.of(
                        ".target.vigil-restore-ff" + ProcessTag.current().suffix()))
                .contains(ProcessTag.current());
    }

    @Test
    void namesWithoutATagHaveNone() {
        assertThat(ProcessTag.of("put-9182.tmp")).isEqualTo(Optional.empty());
        assertThat(ProcessTag.of("user@host")).isEmpty();
        assertThat(ProcessTag.of("-12@")).isEmpty();
        assertThat(ProcessTag.of("12@host")).isEmpty();
        assertThat(ProcessTag.of("x-99999999999999999999999@host")).isEmpty();
    }

    @Test
    void onlyAProcessOfThisHostThatEndedIsDead() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        assertThat(new ProcessTag(ended.pid(), ProcessTag.current().host()).isDeadHere())
                .isTrue();
        assertThat(ProcessTag.current().isDeadHere()).isFalse();
        assertThat(new ProcessTag(ended.pid(), "another-host").isDeadHere()).isFalse();
    }
}
