package dev.rnnplayground.server;

import dev.rnnplayground.server.cli.BenchCommand;
import dev.rnnplayground.server.cli.EvalCommand;
import dev.rnnplayground.server.cli.ExperimentCommand;
import dev.rnnplayground.server.cli.GradcheckCommand;
import dev.rnnplayground.server.cli.PredictCommand;
import dev.rnnplayground.server.cli.ReachCommand;
import dev.rnnplayground.server.cli.SampleCommand;
import dev.rnnplayground.server.cli.ServeCommand;
import dev.rnnplayground.server.cli.TokenCommand;
import dev.rnnplayground.server.cli.TrainCommand;
import dev.rnnplayground.server.cli.UserError;
import dev.rnnplayground.server.cli.WorkerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rnn} command: one executable jar for training on the command line and for the server. */
@Command(
        name = "rnn",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "RNN Playground: train, sample and serve character-level recurrent networks.",
        subcommands = {
                TrainCommand.class,
                SampleCommand.class,
                PredictCommand.class,
                EvalCommand.class,
                GradcheckCommand.class,
                ReachCommand.class,
                ExperimentCommand.class,
                BenchCommand.class,
                ServeCommand.class,
                WorkerCommand.class,
                TokenCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The configured command line: a user's mistake (bad option, missing file, bad text) is one
     * line on stderr and exit code 1 or 2, never a stack trace.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String name = commandLine.getCommandSpec().qualifiedName();
            if (e instanceof UserError) {
                commandLine.getErr().println(name + ": " + e.getMessage());
                return 1;
            }
            throw e;
        });
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println(failed.getCommandSpec().qualifiedName() + ": " + e.getMessage()
                    + " (see --help)");
            return 2;
        });
        return cli;
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
