package dev.rnnplayground.server.cli;

import dev.rnnplayground.core.lab.MemorySpan;
import dev.rnnplayground.core.lab.SyntheticTexts;
import dev.rnnplayground.core.model.CellType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rnn experiment}: the synthetic tasks with a controlled gap, and what each cell remembers. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Experiments: texts with a controlled gap between cause and effect, what each cell remembers, and the"
                + " ablation ladder from bigram to GPT.",
        subcommands = {ExperimentCommand.Text.class, ExperimentCommand.Span.class, LadderCommand.class})
public final class ExperimentCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code rnn experiment text TASK}: prints a synthetic text (the same seed, the same text). */
    @Command(name = "text", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Print a synthetic text: recall (a letter, GAP fillers, '?', the letter), brackets (nested, "
                    + "at most SIZE deep) or reber (the embedded Reber grammar).")
    static final class Text implements Callable<Integer> {
        @Parameters(paramLabel = "TASK", description = "recall, brackets or reber")
        String task;

        @Option(names = "--size", defaultValue = "10", description = "recall: the gap; brackets: the deepest nesting (default: ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--examples", defaultValue = "20", description = "Lines to write (default: ${DEFAULT-VALUE}).")
        int examples;

        @Option(names = "--seed", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
        long seed;

        @Override
        public Integer call() {
            SyntheticTexts.Task t = UserError.from(() -> SyntheticTexts.Task.parse(task));
            if (examples < 1 || examples > 1_000_000) throw new UserError("--examples must be 1 to 1000000, got " + examples);
            System.out.print(UserError.from(() -> SyntheticTexts.generate(t, size, examples, seed)).text());
            return 0;
        }
    }

    /** {@code rnn experiment memory-span}: recall accuracy against the gap, per cell, on an equal budget. */
    @Command(name = "memory-span", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Train each cell on the recall task for each gap with the same budget; print the accuracy at"
                    + " the recalled letter on 500 unseen examples (chance: 0.25).")
    static final class Span implements Callable<Integer> {
        @Option(names = "--cells", defaultValue = "rnn,lstm,gru", split = ",", description = "Default: ${DEFAULT-VALUE}.")
        List<String> cells;

        @Option(names = "--gaps", defaultValue = "2,5,10,20,50", split = ",", description = "Default: ${DEFAULT-VALUE}.")
        List<Integer> gaps;

        @Option(names = "--hidden", defaultValue = "32", description = "Default: ${DEFAULT-VALUE}.")
        int hidden;

        @Option(names = "--seq-length", defaultValue = "100", description = "BPTT window (default: ${DEFAULT-VALUE}).")
        int seqLength;

        @Option(names = "--batch-size", defaultValue = "16", description = "Default: ${DEFAULT-VALUE}.")
        int batchSize;

        @Option(names = "--lr", defaultValue = "0.01", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
        double lr;

        @Option(names = "--steps", defaultValue = "600", description = "Default: ${DEFAULT-VALUE}.")
        long steps;

        @Option(names = "--seed", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
        long seed;

        @Override
        public Integer call() {
            List<CellType> cellTypes = new ArrayList<>();
            for (String c : cells) cellTypes.add(UserError.from(() -> CellType.parse(c.trim())));
            for (int g : gaps) if (g < 0 || g > 1000) throw new UserError("--gaps must each be 0 to 1000, got " + g);
            MemorySpan.Budget budget = new MemorySpan.Budget(hidden, seqLength, batchSize, lr, steps, seed);
            System.out.printf(Locale.ROOT, "recall accuracy on 500 unseen examples (chance 0.25); each run: hidden %d, window %d,"
                    + " batch %d, Adam lr %s, %d steps, seed %d%n", hidden, seqLength, batchSize, lr, steps, seed);
            StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-6s %10s", "cell", "parameters"));
            for (int g : gaps) head.append(String.format(Locale.ROOT, " %7s", "N=" + g));
            System.out.println(head);
            for (CellType cell : cellTypes) {
                StringBuilder line = new StringBuilder();
                long parameters = 0;
                for (int g : gaps) {
                    MemorySpan.Outcome o = UserError.from(() -> MemorySpan.run(cell, g, budget));
                    parameters = o.parameters();
                    line.append(o.diverged() != null ? "  diverged" : String.format(Locale.ROOT, " %7.3f", o.accuracy()));
                }
                System.out.printf(Locale.ROOT, "%-6s %,10d%s%n", cell.id(), parameters, line);
            }
            return 0;
        }
    }
}
