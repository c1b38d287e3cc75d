package dev.rnnplayground.server;

import dev.rnnplayground.server.cli.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rnn} command: one executable jar for training on the command line and for the server. */
@Command(
        name = "rnn",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "RNN Playground: train, sample and serve character-level recurrent networks.",
        subcommands = {
                ServeCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"rnn " + Version.get()};
        }
    }
}
