package dev.rnnplayground.core.lab;

import dev.rnnplayground.core.attend.AttentiveState;
import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.rnn.HiddenState;
import dev.rnnplayground.core.rnn.TruncatedGradient;
import dev.rnnplayground.core.util.SplitMix64;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Numerical gradient check: compares every analytic gradient that backward computes with the
 * central difference (L(w + eps) - L(w - eps)) / (2 eps), in double precision, with no
 * optimizer and no clipping in the loop (deeplearning4j's GradientCheckUtil does the same).
 *
 * <p>A small random model and window is used, for any family; a recurrent one starts from a random
 * non-zero hidden state so that the carried-in state's path through the first step is checked too.
 */
public final class GradientCheck {
    /** Central-difference step. */
    public static final double EPSILON = 1e-5;
    /** Largest relative error accepted. */
    public static final double MAX_RELATIVE_ERROR = 1e-6;
    /** Below this absolute difference two gradients count as equal whatever their ratio. */
    public static final double ABSOLUTE_FLOOR = 1e-9;
    /** T, the window checked. */
    public static final int WINDOW = 5;
    /** K of an attending LSTM checked. */
    static final int ATTEND = 3;

    /**
     * The worst element of one parameter, and the whole tensor's error ||analytic - numeric|| /
     * ||numeric|| (the share of the gradient that is wrong; an element's relative error saturates
     * at 1 where one side is near 0, the tensor's does not).
     */
    public record ParamResult(String name, int checked, double maxRelativeError, double maxAbsoluteError,
                              int worstIndex, double analytic, double numeric, double tensorError) {
        public boolean passed() {
            return maxRelativeError <= MAX_RELATIVE_ERROR || maxAbsoluteError <= ABSOLUTE_FLOOR;
        }
    }

    /** truncatedSteps: BPTT cut this many steps back for the analytic side (0: not cut). */
    public record Result(CellType cell, int layers, int truncatedSteps, List<ParamResult> params) {
        public boolean passed() {
            for (ParamResult p : params) if (!p.passed()) return false;
            return true;
        }

        /** The largest tensor error over all parameters. */
        public double worstTensorError() {
            double worst = 0;
            for (ParamResult p : params) worst = Math.max(worst, p.tensorError());
            return worst;
        }
    }

    private GradientCheck() {
    }

    /** Checks every element of every parameter of a small model (V=5, H=4, B=2, T=5; a GPT with 2 heads, an attending LSTM with K=3). */
    public static Result run(CellType cell, int layers, long seed) {
        return run(cell, layers, seed, 0, model -> { });
    }

    /**
     * As {@link #run(CellType, int, long)}, with {@code afterBackward} applied to the model once its
     * analytic gradients are computed: the negative control uses it to spoil one gradient and
     * proves the check then fails.
     */
    static Result run(CellType cell, int layers, long seed, java.util.function.Consumer<LanguageModel> afterBackward) {
        return run(cell, layers, seed, 0, afterBackward);
    }

    /**
     * As {@link #run(CellType, int, long)}, with the analytic gradient's BPTT cut
     * {@code truncatedSteps} steps back ({@link TruncatedGradient}; 0 = not cut) while the numeric
     * one, from the loss itself, always sees the whole window: below the window's length the check
     * fails by what the steps further back contribute.
     */
    public static Result run(CellType cell, int layers, long seed, int truncatedSteps) {
        return run(cell, layers, seed, truncatedSteps, model -> { });
    }

    private static Result run(CellType cell, int layers, long seed, int truncatedSteps,
                              java.util.function.Consumer<LanguageModel> afterBackward) {
        if (truncatedSteps < 0) throw new IllegalArgumentException("truncation must be 0 (off) or more steps, got " + truncatedSteps);
        if (truncatedSteps > 0 && !cell.recurrent()) throw new IllegalArgumentException("a " + cell.id() + " has no BPTT to truncate");
        Vocab vocab = Vocab.of("abcde");
        // a GPT: 4 channels in 2 heads of 2, biases on so that every kind of parameter is checked;
        // an attending LSTM looks 3 states back, so inside the window of 5 it reads both its own
        // states and the carried-in ones
        LanguageModel model = new Architecture(cell, 4, layers, 2, WINDOW, true, ATTEND).create(vocab, seed);
        return check(model, layers, seed, truncatedSteps, afterBackward);
    }

    /**
     * Checks every element of every parameter of a model built elsewhere (one with gradient buffers),
     * on the same kind of small random window (B=2, T=5): for models no {@link Architecture} builds,
     * the ablated rungs of the {@link Ladder}. The result's layers are 0: the check does not know them.
     */
    public static Result run(LanguageModel model, long seed) {
        return check(model, 0, seed, 0, m -> { });
    }

    /** As {@link #run(LanguageModel, long)}, with {@code afterBackward} spoiling a gradient for the negative control. */
    static Result run(LanguageModel model, long seed, java.util.function.Consumer<LanguageModel> afterBackward) {
        return check(model, 0, seed, 0, afterBackward);
    }

    private static Result check(LanguageModel model, int layers, long seed, int truncatedSteps,
                                java.util.function.Consumer<LanguageModel> afterBackward) {
        Vocab vocab = model.vocab();
        SplitMix64 rng = new SplitMix64(seed ^ 0x5DEECE66DL);
        int batch = 2, steps = WINDOW;
        int[][] inputs = new int[batch][steps];
        int[][] targets = new int[batch][steps];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                inputs[b][t] = (int) (rng.nextDouble() * vocab.size());
                targets[b][t] = (int) (rng.nextDouble() * vocab.size());
            }
        }
        LanguageModel.CarriedState start = model.zeroState(batch);
        for (Map.Entry<String, double[]> state : start.tensors().entrySet()) {
            double[] values = state.getValue();
            if (state.getKey().equals(AttentiveState.PAST_COUNT)) {
                // how many past states are valid is a count, not a value to perturb: 1 for stream 0
                // (the rest masked), all K for stream 1
                for (int b = 0; b < values.length; b++) values[b] = b == 0 ? 1 : ATTEND;
                continue;
            }
            // hidden states h_l and past top-layer states in (-0.5, 0.5), an LSTM's cell states c_l in (-1, 1)
            double scale = state.getKey().startsWith("c") ? 1 : 0.5;
            for (int i = 0; i < values.length; i++) values[i] = scale * (2 * rng.nextDouble() - 1);
        }
        LanguageModel.Trace trace = model.newTrace(steps, batch);
        model.zeroGradients();
        if (truncatedSteps > 0) {
            TruncatedGradient.lossAndGradients((CharRnn) model, inputs, targets, (HiddenState) start.copy(), truncatedSteps);
        }
        else model.lossAndGradients(inputs, targets, start.copy(), trace);
        afterBackward.accept(model);

        List<ParamResult> results = new ArrayList<>();
        for (Param p : model.parameters()) {
            double worstRel = 0, worstAbs = 0, worstA = 0, worstN = 0, differenceSquares = 0, numericSquares = 0;
            int worstIndex = -1;
            for (int i = 0; i < p.size(); i++) {
                double original = p.w[i];
                p.w[i] = original + EPSILON;
                double plus = lossOnly(model, inputs, targets, start, trace);
                p.w[i] = original - EPSILON;
                double minus = lossOnly(model, inputs, targets, start, trace);
                p.w[i] = original;
                double numeric = (plus - minus) / (2 * EPSILON);
                double analytic = p.dw[i];
                double abs = Math.abs(analytic - numeric);
                double rel = abs / Math.max(Math.abs(analytic) + Math.abs(numeric), 1e-300);
                if (abs > ABSOLUTE_FLOOR && rel > worstRel || worstIndex < 0) {
                    worstRel = abs > ABSOLUTE_FLOOR ? rel : worstRel;
                    worstIndex = i;
                    worstA = analytic;
                    worstN = numeric;
                }
                worstAbs = Math.max(worstAbs, abs);
                differenceSquares += abs * abs;
                numericSquares += numeric * numeric;
            }
            double tensorError = Math.sqrt(differenceSquares) / Math.max(Math.sqrt(numericSquares), 1e-300);
            results.add(new ParamResult(p.name, p.size(), worstRel, worstAbs, worstIndex, worstA, worstN, tensorError));
        }
        return new Result(model.kind(), layers, truncatedSteps, results);
    }

    private static double lossOnly(LanguageModel model, int[][] inputs, int[][] targets, LanguageModel.CarriedState start,
                                   LanguageModel.Trace trace) {
        model.forward(inputs, start.copy(), trace);
        return model.loss(trace, targets);
    }
}
