package dev.vigil.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdaptiveLimitTest {

    @Test
    void throttlingHalvesTheLimitAndSuccessesRestoreItOneByOne() throws Exception {
        AdaptiveLimit limit = new AdaptiveLimit(8);
        limit.acquire();
        limit.release(true);
        assertThat(limit.limit()).isEqualTo(4);
        limit.acquire();
        limit.release(true);
        limit.acquire();
        limit.release(true);
        limit.acquire();
        limit.release(true);
        assertThat(limit.limit()).as("never below one").isEqualTo(1);
        for (int i = 0; i < 1 + 2 + 3; i++) {
            limit.acquire();
            limit.release(false);
        }
        assertThat(limit.limit()).isEqualTo(4);
        for (int i = 0; i < 100; i++) {
            limit.acquire();
            limit.release(false);
        }
        assertThat(limit.limit()).as("never above the configured concurrency").isEqualTo(8);
    }
}
