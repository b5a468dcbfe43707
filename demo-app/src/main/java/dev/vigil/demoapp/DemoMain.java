package dev.vigil.demoapp;

import dev.vigil.cli.Main;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.util.List;

/**
 * The {@code vigil} command with the demo's two commands added: {@code vigil demo} (the whole job on embedded parts)
 * and {@code vigil demo-node} (a simulated storage node). What the repository's {@code ./vigil} launcher runs; the
 * product image runs {@link Main}, which carries neither them nor their embedded servers.
 */
public final class DemoMain {

    /** The demo's commands, in the order help lists them after the product's. */
    static final List<Class<?>> COMMANDS = List.of(DemoCommand.class, DemoNodeCommand.class);

    private DemoMain() {}

    public static void main(String[] args) {
        System.exit(run(
                args,
                new PrintWriter(new OutputStreamWriter(System.out, System.out.charset()), true),
                new PrintWriter(new OutputStreamWriter(System.err, System.err.charset()), true)));
    }

    /** Runs a command line (any of the product's commands, or the demo's) and returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return Main.run(args, out, err, COMMANDS);
    }
}
