package dev.vigil.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloserTest {

    @Test
    void closesEverythingInReverseOrderAndKeepsEveryFailure() {
        List<String> closed = new ArrayList<>();
        Closer closer = new Closer();
        closer.register(() -> closed.add("first"));
        closer.register(() -> {
            closed.add("second");
            throw new IOException("second failed");
        });
        closer.register(() -> {
            closed.add("third");
            throw new IllegalStateException("third failed");
        });

        assertThatThrownBy(closer::close)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("third failed")
                .satisfies(e -> assertThat(e.getSuppressed())
                        .extracting(Throwable::getMessage)
                        .containsExactly("second failed"));
        assertThat(closed).containsExactly("third", "second", "first");
    }

    @Test
    void closingTwiceClosesNothingTwice() throws IOException {
        List<String> closed = new ArrayList<>();
        Closer closer = new Closer();
        closer.register(() -> closed.add("once"));
        closer.close();
        closer.close();
        assertThat(closed).containsExactly("once");
    }
}
