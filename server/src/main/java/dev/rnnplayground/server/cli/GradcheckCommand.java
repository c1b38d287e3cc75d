package dev.rnnplayground.server.cli;

import dev.rnnplayground.core.lab.GradientCheck;
import dev.rnnplayground.core.model.CellType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rnn gradcheck}: proves backpropagation right by finite differences. */
@Command(name = "gradcheck", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compare every analytic gradient with central differences; exit 1 if any is wrong.")
public final class GradcheckCommand implements Callable<Integer> {

    @Option(names = "--cell", paramLabel = "rnn|lstm|gru|bigram|gpt|lstm-attention", description = "Kind of model to check (default: the three recurrent cells).")
    String cell;

    @Option(names = "--layers", description = "Layer count to check, 1-4 (default: 1 and 2).")
    Integer layers;

    @Option(names = "--truncate", defaultValue = "0", paramLabel = "K",
            description = "Cut the analytic gradient's BPTT K steps back (the numeric one always sees the whole "
                    + "window of 5): below 5 the check fails by what the steps further back add. Default: 0, not cut.")
    int truncate;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the random model and window (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        List<CellType> cells = new ArrayList<>();
        if (cell == null) cells.addAll(CellType.RECURRENT);
        else cells.add(UserError.from(() -> CellType.parse(cell)));
        boolean stacked = cells.get(0) != CellType.BIGRAM;   // the bigram is one table, every other kind stacks layers
        if (!stacked && layers != null || !cells.get(0).recurrent() && truncate > 0) {
            throw new UserError("--cell " + cell + " has " + (stacked ? "" : "no layers and ")
                    + "no BPTT: leave out " + (stacked ? "" : "--layers and ") + "--truncate");
        }
        if (layers != null && (layers < 1 || layers > 4)) throw new UserError("--layers must be 1 to 4, got " + layers);
        if (truncate < 0) throw new UserError("--truncate must be 0 (off) or more steps, got " + truncate);
        List<Integer> layerCounts = layers != null ? List.of(layers) : List.of(1, 2);
        boolean allPassed = true;
        System.out.printf(Locale.ROOT, "central differences, eps %.0e; pass: relative error <= %.0e or absolute <= %.0e%n",
                GradientCheck.EPSILON, GradientCheck.MAX_RELATIVE_ERROR, GradientCheck.ABSOLUTE_FLOOR);
        if (truncate > 0) {
            System.out.printf(Locale.ROOT, "analytic gradient: BPTT cut %d step(s) back in a window of %d%n", truncate, GradientCheck.WINDOW);
        }
        for (CellType c : cells) {
            for (int l : c != CellType.BIGRAM ? layerCounts : List.of(1)) {   // a bigram has no layers to stack
                GradientCheck.Result result = GradientCheck.run(c, l, seed, truncate);
                for (GradientCheck.ParamResult p : result.params()) {
                    // Relative error only means something where the two gradients differ by more than
                    // rounding noise; when every element is within the absolute floor there is none.
                    String relative = p.maxAbsoluteError() <= GradientCheck.ABSOLUTE_FLOOR ? "   (none)"
                            : String.format(Locale.ROOT, "%.2e", p.maxRelativeError());
                    System.out.printf(Locale.ROOT, "%-6s %d layer(s)  %-34s %5d values  max abs err %.2e  max rel err %s  tensor off by %.2e  %s%n",
                            c.id(), l, p.name(), p.checked(), p.maxAbsoluteError(), relative, p.tensorError(), p.passed() ? "ok" : "WRONG");
                }
                allPassed &= result.passed();
            }
        }
        System.out.println(allPassed ? "gradient check passed" : "gradient check FAILED");
        return allPassed ? 0 : 1;
    }
}
