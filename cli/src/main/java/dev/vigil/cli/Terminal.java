package dev.vigil.cli;

import java.io.Console;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Whether the command's output goes to a person at a terminal (progress bars) or to a file, a pipe or a log (plain
 * lines). Up to JDK 21 {@code System.console()} exists only for a terminal; from JDK 22 on it always exists, and
 * {@code Console.isTerminal()} tells. Vigil compiles for 21 and runs on newer JDKs, so the method is looked up.
 */
final class Terminal {

    private Terminal() {}

    static boolean interactive() {
        Optional<Console> console = Optional.ofNullable(System.console());
        if (console.isEmpty()) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return Boolean.TRUE.equals(isTerminal.invoke(console.get()));
        } catch (NoSuchMethodException beforeJdk22) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
