package dev.rnnplayground.server.cli;

import dev.rnnplayground.core.lab.MemorySpan;
import dev.rnnplayground.core.lab.MemorySpanDefaults;
import dev.rnnplayground.core.lab.MemorySpanTable;
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

    /** {@code rnn experiment memory-span}: recall accuracy against the gap, per model, on an equal budget. */
    @Command(name = "memory-span", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Train each model on the recall task for each gap and seed with the same budget; print the mean"
                    + " accuracy at the recalled letter on 500 unseen examples and its range over the seeds (chance: 0.25)."
                    + " A recurrent model's BPTT window is 2 x (gap + 4); a gpt's is its block.")
    static final class Span implements Callable<Integer> {
        @Option(names = "--cells", defaultValue = "rnn,lstm,gru,lstm-attention,gpt", split = ",",
                description = "Models to compare (default: ${DEFAULT-VALUE}).")
        List<String> cells;

        @Option(names = "--gaps", defaultValue = MemorySpanDefaults.DOCS_GAPS, split = ",", description = "Default: ${DEFAULT-VALUE}.")
        List<Integer> gaps;

        @Option(names = "--seeds", defaultValue = "3", description = "Seeds per model and gap, 1 to N (default: ${DEFAULT-VALUE}).")
        int seeds;

        @Option(names = "--hidden", defaultValue = "32", description = "Width of every model: hidden units, a gpt's channels (default: ${DEFAULT-VALUE}).")
        int hidden;

        @Option(names = "--steps", defaultValue = MemorySpanDefaults.DOCS_STEPS, description = "Default: ${DEFAULT-VALUE}.")
        long steps;

        @Option(names = "--batch-size", defaultValue = "16", description = "Default: ${DEFAULT-VALUE}.")
        int batchSize;

        @Option(names = "--lr", defaultValue = "0.01", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
        double lr;

        @Option(names = "--clip", defaultValue = "5", description = "Gradient-norm clipping (default: ${DEFAULT-VALUE}).")
        double clip;

        @Option(names = "--block", defaultValue = "32", description = "The gpt's block: its window and the farthest it sees (default: ${DEFAULT-VALUE}).")
        int block;

        @Option(names = "--gpt-layers", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}.")
        int gptLayers;

        @Option(names = "--heads", defaultValue = "2", description = "The gpt's heads (default: ${DEFAULT-VALUE}).")
        int heads;

        @Option(names = "--attend", defaultValue = "16", description = "K, the past states lstm-attention attends over (default: ${DEFAULT-VALUE}).")
        int attend;

        @picocli.CommandLine.Mixin
        EngineOptions engine = new EngineOptions();

        @Override
        public Integer call() {
            List<CellType> models = new ArrayList<>();
            for (String c : cells) {
                CellType cell = UserError.from(() -> CellType.parse(c.trim()));
                if (!MemorySpan.FAMILIES.contains(cell)) throw new UserError("--cells: each must be " + MemorySpan.names() + ", got " + c);
                models.add(cell);
            }
            for (int g : gaps) if (g < 0 || g > 400) throw new UserError("--gaps must each be 0 to 400, got " + g);
            if (seeds < 1 || seeds > 100) throw new UserError("--seeds must be 1 to 100, got " + seeds);
            MemorySpan.Budget budget = new MemorySpan.Budget(hidden, steps, batchSize, lr, clip, block, gptLayers, heads, attend);
            System.out.printf(Locale.ROOT, "recall accuracy on %d unseen examples (chance 0.25): mean and min-max over %d seeds; each run:"
                    + " width %d, batch %d, Adam lr %s, clip %s, %d steps, window 2 x (gap + 4); gpt %d layers x %d heads, block %d;"
                    + " lstm-attention K %d; %s engine%n", MemorySpan.TEST_EXAMPLES, seeds, hidden, batchSize, lr, clip, steps,
                    gptLayers, heads, block, attend, engine.choice().id());
            long started = System.nanoTime();
            List<MemorySpan.Outcome> outcomes = UserError.from(() -> MemorySpan.runAll(models, gaps, seeds, budget, engine.factory(),
                    MemorySpan.UNWATCHED));
            System.out.print(table(MemorySpanTable.of(outcomes), outcomes));
            System.out.printf(Locale.ROOT, "%.0f s in all%n", (System.nanoTime() - started) / 1e9);
            return 0;
        }

        /**
         * One line per model: parameters, seconds of training and scoring over all its gaps and seeds,
         * then per gap "mean min-max"; then where each recalls and where it is at chance.
         */
        static String table(List<MemorySpanTable.Line> lines, List<MemorySpan.Outcome> outcomes) {
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-14s %10s %8s", "model", "parameters", "seconds"));
            for (MemorySpanTable.Cell c : lines.get(0).cells()) out.append(String.format(Locale.ROOT, " %17s", "N=" + c.gap()));
            out.append('\n');
            for (MemorySpanTable.Line line : lines) {
                double seconds = outcomes.stream().filter(o -> o.cell() == line.model()).mapToDouble(MemorySpan.Outcome::seconds).sum();
                out.append(String.format(Locale.ROOT, "%-14s %,10d %8.1f", line.model().id(), line.parameters(), seconds));
                for (MemorySpanTable.Cell c : line.cells()) {
                    out.append(Double.isNaN(c.mean()) ? String.format(Locale.ROOT, " %17s", "diverged")
                            : String.format(Locale.ROOT, " %5.3f %5.3f-%5.3f", c.mean(), c.min(), c.max()));
                }
                out.append('\n');
            }
            for (MemorySpanTable.Line line : lines) {
                out.append(String.format(Locale.ROOT, "%s: recalls (mean >= %.1f) up to gap %s; at chance (mean <= %.2f) from gap %s%n",
                        line.model().id(), MemorySpanTable.RECALLS, line.longestRecalled() == null ? "none" : line.longestRecalled(),
                        MemorySpanTable.AT_CHANCE, line.chanceFrom() == null ? "none" : line.chanceFrom()));
            }
            return out.toString();
        }
    }
}
