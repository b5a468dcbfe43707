package dev.vigil.cli;

import com.google.common.util.concurrent.RateLimiter;
import dev.vigil.cli.config.Sizes;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;

/** A command's {@code --max-rate SIZE}: what a long read of the repository is paced by (bytes per second). */
final class MaxRate {

    private MaxRate() {}

    /**
     * A pace that blocks until {@code bytes} may be read at {@code maxRate} (a size per second, e.g. 50MiB); no limit
     * when it is null.
     *
     * @throws CommandLine.ParameterException when {@code maxRate} is not a size above 0
     */
    static LongConsumer pace(CommandLine.Model.CommandSpec spec, @Nullable String maxRate) {
        if (maxRate == null) {
            return bytes -> {};
        }
        Optional<Long> parsed;
        try {
            parsed = Sizes.parse(maxRate).filter(r -> r > 0);
        } catch (ArithmeticException e) {
            parsed = Optional.empty();
        }
        long rate = parsed.orElseThrow(() -> new CommandLine.ParameterException(
                spec.commandLine(), "--max-rate '" + maxRate + "' is not " + Sizes.FORMS + " (above 0)"));
        RateLimiter limiter = RateLimiter.create((double) rate);
        return bytes -> {
            for (long left = bytes; left > 0; left -= Integer.MAX_VALUE) {
                limiter.acquire((int) Math.min(left, Integer.MAX_VALUE));
            }
        };
    }
}
