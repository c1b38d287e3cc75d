package dev.rnnplayground.server.cli;

import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.access.LearnerTokens;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rnn token add|list|remove}: the teacher's tokens for the learners of a class. The token
 * {@code rnn serve} prints stays the teacher's; each learner's is printed once by {@code add} and
 * kept only as a hash ({@link LearnerTokens}). The commands change the data directory's
 * {@code tokens.json} and nothing else, so they work whether or not the server runs, and a
 * running server takes the change at the learner's next request.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Tokens for the learners of a class: each sees their own corpora, jobs and models and the teacher's.",
        subcommands = {TokenCommand.Add.class, TokenCommand.ListAll.class, TokenCommand.Remove.class})
public final class TokenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** {@code rnn token} alone: say what the subcommands are, and fail as a missing argument does. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** The data directory of the server whose learners these are, and where the subcommand prints. */
    public static final class DataDir {
        @Spec(Spec.Target.MIXEE)
        CommandSpec command;
        @Option(names = "--data", description = "The server's data directory (default: ~/.rnn-playground).")
        Path data;

        /** Runs {@code work} on the directory's tokens; a refusal or an unreadable file is one line, exit 1. */
        <T> T with(Function<LearnerTokens, T> work) {
            try {
                return work.apply(new LearnerTokens(data != null ? data : ServerConfig.defaultDataDir()));
            } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
                throw new UserError(e.getMessage());
            }
        }

        PrintWriter out() {
            return command.commandLine().getOut();
        }

        /** Where a sentence for the person at the terminal goes, so that stdout holds only what a script reads. */
        PrintWriter err() {
            return command.commandLine().getErr();
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Make a token for learner NAME and print it on stdout, this once: only its hash is kept.")
    public static final class Add implements Callable<Integer> {
        @Mixin
        DataDir dir;
        @Parameters(paramLabel = "NAME", description = "1 to 40 letters, digits, '-', '_' or '.'.")
        String name;

        @Override
        public Integer call() {
            String token = dir.with(tokens -> tokens.add(name));
            dir.out().println(token);
            dir.err().println("rnn token: " + name + " opens the address rnn serve prints with ?token="
                    + "<this token> instead of yours; it is not shown again (rnn token remove " + name + ", then add, makes a new one).");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The learners who have a token, oldest first, and when each was made (no secrets).")
    public static final class ListAll implements Callable<Integer> {
        @Mixin
        DataDir dir;

        @Override
        public Integer call() {
            List<LearnerTokens.Learner> learners = dir.with(LearnerTokens::list);
            int width = learners.stream().mapToInt(l -> l.name().length()).max().orElse(0);
            for (LearnerTokens.Learner l : learners) dir.out().println(String.format("%-" + width + "s  %s", l.name(), l.createdAt()));
            if (learners.isEmpty()) dir.err().println("rnn token: no learner has a token; add one with rnn token add NAME");
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove learner NAME's token: it stops working at once. What they made stays, and the teacher still sees it.")
    public static final class Remove implements Callable<Integer> {
        @Mixin
        DataDir dir;
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            if (!dir.with(tokens -> tokens.remove(name))) throw new UserError("no learner named '" + name + "' has a token");
            return 0;
        }
    }
}
