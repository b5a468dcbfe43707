package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What a newcomer reads: whole sentences, an example for every command, and help however it is asked for. */
class HelpTest {

    @Test
    void everyCommandSummaryIsAWholeSentence() {
        CliRun help = CliRun.of("--help");
        assertThat(help.exitCode()).isZero();
        List<CommandLine> commands = leaves(new CommandLine(new Main()));
        assertThat(commands).hasSizeGreaterThan(15);
        for (CommandLine command : allCommands(new CommandLine(new Main()))) {
            String[] header = command.getCommandSpec().usageMessage().header();
            String name = command.getCommandSpec().qualifiedName();
            assertThat(header).as(name + " has a one-line summary").hasSize(1);
            assertThat(header[0]).as(name).matches("[A-Z].*\\.").doesNotContain("  ");
        }
        assertThat(help.out())
                .contains(
                        "restore", "Restore a partition to an LSN, a time or the latest point,", "vigil help COMMAND");
    }

    @Test
    void everyCommandHasAnExampleInItsHelp() {
        for (CommandLine command : leaves(new CommandLine(new Main()))) {
            String usage = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertThat(usage).as(command.getCommandSpec().qualifiedName()).containsPattern("Examples?:\\n  vigil ");
        }
    }

    @Test
    void helpCommandAndBareVigil() {
        CliRun help = CliRun.of("help", "restore");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: vigil restore", "--to-time", "Exit codes:", "Example");

        CliRun bare = CliRun.of();
        assertThat(bare.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bare.err()).contains("Usage: vigil", "Commands:", "drill", "ack");
        assertThat(bare.out()).isEmpty();
    }

    private static List<CommandLine> allCommands(CommandLine root) {
        List<CommandLine> all = new ArrayList<>();
        root.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                all.add(sub);
                all.addAll(allCommands(sub));
            }
        });
        return all;
    }

    private static List<CommandLine> leaves(CommandLine root) {
        return allCommands(root).stream()
                .filter(c -> c.getSubcommands().isEmpty())
                .toList();
    }
}
