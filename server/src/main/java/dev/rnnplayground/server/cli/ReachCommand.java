package dev.rnnplayground.server.cli;

import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.rnn.GradientReach;
import dev.rnnplayground.server.common.Jackson;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rnn reach}: how far back a model's gradients reach, over many positions of a text. */
@Command(name = "reach", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"How much of one prediction's gradient is left k steps back (median and middle half over many"
                + " positions): on the character read k steps back (x as the first layer sees it, every family: rnn, lstm,"
                + " gru, lstm-attention, gpt); for the plain recurrent networks also through h and, for an LSTM, through"
                + " the cell state c, and the norm of one step's Jacobian dh_t/dh_{t-1} (below 1: it shrinks the gradient)."})
public final class ReachCommand implements Callable<Integer> {

    private static final int[] SHOWN = {0, 1, 5, 10, 20, 30, 50, 80, 100, 150, 200};

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model .safetensors file.")
    Path model;

    @Option(names = "--text", required = true, paramLabel = "FILE", description = "UTF-8 text to measure on.")
    Path text;

    @Option(names = "--held-out", defaultValue = "0", paramLabel = "F",
            description = "Measure on the last F of the text only (0.05: the part rnn train holds out by default). Default: all of it.")
    double heldOut;

    @Option(names = "--positions", defaultValue = "100", description = "Predictions measured, spread evenly (default: ${DEFAULT-VALUE}).")
    int positions;

    @Option(names = "--lags", defaultValue = "100", description = "Steps back measured (default: ${DEFAULT-VALUE}).")
    int lags;

    @Option(names = "--json", description = "Print the whole measurement as JSON.")
    boolean json;

    @Override
    public Integer call() {
        if (!(heldOut >= 0 && heldOut < 1)) throw new UserError("--held-out must be at least 0 and below 1, got " + heldOut);
        LanguageModel m = InputFiles.readModel(model);
        String content = InputFiles.readText(text);
        if (heldOut > 0) {
            int symbols = content.codePointCount(0, content.length());
            content = content.substring(content.offsetByCodePoints(0, symbols - (int) Math.floor(symbols * heldOut)));
        }
        String measured = content;
        GradientReach.Result r = UserError.from(() -> GradientReach.measure(m, measured, positions, lags));
        if (json) {
            System.out.println(Jackson.toString(r));
            return 0;
        }
        System.out.printf(Locale.ROOT, "%s: %d positions, each from a blank state %d symbols back%n",
                Architecture.describe(m.shape()), r.positions(), r.windowLength() - 1);
        System.out.println("share of the gradient left k steps back: median [middle half]");
        print("input x", r.input());
        if (r.blockSize() != null && r.blockSize() <= lags) {
            System.out.printf(Locale.ROOT, "input x: 0 from k = %d on by construction: the model reads a block of %d positions%n",
                    r.blockSize(), r.blockSize());
        }
        if (r.hidden() == null) return 0;
        for (int l = 0; l < r.hidden().length; l++) {
            print("layer " + (l + 1) + " h", r.hidden()[l]);
            if (r.cell() != null) print("layer " + (l + 1) + " c", r.cell()[l]);
        }
        for (int l = 0; l < r.hidden().length; l++) {
            GradientReach.Spread s = r.stepJacobian()[l];
            System.out.printf(Locale.ROOT, "layer %d ||dh_t/dh_{t-1}||: median %.3f [%.3f, %.3f], range %.3f to %.3f, above 1 at %.0f%% of positions%n",
                    l + 1, s.median(), s.q25(), s.q75(), s.min(), s.max(), 100 * s.fractionAbove1());
        }
        return 0;
    }

    private void print(String what, GradientReach.Band band) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-10s", what));
        for (int k : SHOWN) {
            if (k > lags) break;
            line.append(String.format(Locale.ROOT, "  k=%d %s [%s, %s]", k, number(band.median()[k]),
                    number(band.q25()[k]), number(band.q75()[k])));
        }
        System.out.println(line);
    }

    private static String number(double v) {
        return v >= 0.01 ? String.format(Locale.ROOT, "%.3g", v) : String.format(Locale.ROOT, "%.1e", v);
    }
}
