package dev.vigil.demoapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.ExitCodes;
import org.junit.jupiter.api.Test;

/**
 * The launcher's command line is the product's plus the demo's two commands, each with a whole-sentence summary, an
 * example and its exit codes, as every product command has (cli's {@code HelpTest}).
 */
class DemoMainTest {

    @Test
    void theLauncherListsTheProductsCommandsAndTheDemos() {
        DemoRun help = DemoRun.of("--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("restore", "worker", "demo", "demo-node", "vigil help COMMAND");
    }

    @Test
    void eachDemoCommandHasASummaryAnExampleAndItsExitCodes() {
        for (String command : new String[] {"demo", "demo-node"}) {
            DemoRun help = DemoRun.of("help", command);

            assertThat(help.exitCode()).as(command).isZero();
            assertThat(help.out())
                    .as(command)
                    .contains("Usage: vigil " + command, "Exit codes:")
                    .containsPattern("Examples?:\\n  vigil ");
        }
    }

    @Test
    void aMistypedDemoOptionIsAUsageError() {
        DemoRun run = DemoRun.of("demo", "--no-such-option");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--no-such-option");
    }
}
