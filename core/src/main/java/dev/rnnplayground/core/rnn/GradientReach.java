package dev.rnnplayground.core.rnn;

import dev.rnnplayground.core.attend.AttentiveInputGradient;
import dev.rnnplayground.core.attend.AttentiveLstm;
import dev.rnnplayground.core.gpt.Gpt;
import dev.rnnplayground.core.gpt.GptInputGradient;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.CrossEntropy;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.util.Deadline;
import java.util.Arrays;
import java.util.List;

/**
 * How far back a prediction's gradient reaches, measured so that it holds: not one character on
 * one window (noise) but many positions of a text, summarised per step back by the median and the
 * interquartile range.
 *
 * <p>For each measured position t the model reads the {@code lags + WARMUP} symbols before it from
 * a blank state (a GPT at most its block), and the loss of that one prediction, L_t, is
 * backpropagated with the model's own backward. Per k = 0..lags it records
 * <ul>
 *   <li>every family: ||dL_t/dx_{t-k}|| / ||dL_t/dx_t||, the input path, where x_p is the character
 *       read at p as the first layer sees it: a GPT's token + position embedding (the encoder's
 *       output), a recurrent network's W_ih x_p (the character's column of the first layer's input
 *       weights; its bias adds nothing to the gradient). One quantity, so the families compare.
 *       A GPT reads at most a block: further back the ratio is 0 by construction, not measured;</li>
 *   <li>the plain recurrent networks, per layer, ||dL_t/dh_{t-k}|| / ||dL_t/dh_t||, the share of
 *       the gradient left on the state k steps back;</li>
 *   <li>for an LSTM, ||dL_t/dc_{t-k}|| / ||dL_t/dh_t||: the same through the cell state, whose
 *       update c_t = f * c_{t-1} + i * g has no weight matrix to shrink it;</li>
 *   <li>||dh_t/dh_{t-1}||, the spectral norm of one step's Jacobian ({@link StepJacobian}) at the
 *       measured character: below 1 a step shrinks the gradient, above 1 it can grow it.</li>
 * </ul>
 * Windows are measured side by side as the streams of one batch, so each is exactly what
 * {@link Inspector#inspect} reports for that window's text alone (its {@code gradientNormsFromLast}).
 */
public final class GradientReach {
    /** Symbols read before the farthest step measured, so that no measured state is the blank start. */
    public static final int WARMUP = 25;
    public static final int MAX_LAGS = 200;
    public static final int MAX_POSITIONS = 500;
    /** Windows measured at once: bounds the memory a measurement takes. */
    public static final int STREAMS_AT_ONCE = 25;
    /** Windows of a GPT measured at once: each position also keeps its attention weights over the block. */
    public static final int GPT_WINDOWS_AT_ONCE = 8;

    /** The curves a measurement has: every family the input path, the plain recurrent networks h (and an LSTM c). */
    public static final String INPUT = "input", HIDDEN = "hidden", CELL = "cell";

    /** Quartiles per step back k (index k): the middle half of the positions lies between q25 and q75. */
    public record Band(double[] q25, double[] median, double[] q75) {
    }

    /** Quartiles of one step's Jacobian norm over the positions, and the share above 1. */
    public record Spread(double q25, double median, double q75, double min, double max, double fractionAbove1) {
    }

    /**
     * @param lags          k runs from 0 to lags
     * @param windowLength  symbols each window reads; window i is the text's symbols
     *                      [windowStarts[i], windowStarts[i] + windowLength], the last one the target
     * @param hidden        [layer] the h-path band; null for a GPT and an LSTM that attends
     * @param cell          [layer] the c-path band for an LSTM, else null
     * @param stepJacobian  [layer] ||dh_t/dh_{t-1}|| over the measured positions; null where hidden is
     * @param input         the input-path band, every family
     * @param blockSize     a GPT's block: from k = blockSize on, input is 0 by construction; null for the others
     * @param curves        which bands this family has, of {@value #INPUT}, {@value #HIDDEN}, {@value #CELL}
     */
    public record Result(int lags, int positions, int windowLength, int[] windowStarts, Band[] hidden, Band[] cell,
                         Spread[] stepJacobian, Band input, Integer blockSize, List<String> curves,
                         List<String> skippedSymbols) {
        Result withSkipped(List<String> skipped) {
            return new Result(lags, positions, windowLength, windowStarts, hidden, cell, stepJacobian, input, blockSize,
                    curves, skipped);
        }
    }

    private GradientReach() {
    }

    /** Symbols a text needs for one measured position. */
    public static int symbolsNeeded(int lags) {
        return lags + WARMUP + 2;
    }

    /** Steps each window reads: lags + WARMUP + 1, but never more than the model can read at once (a GPT's block). */
    public static int windowSteps(int lags, int contextLimit) {
        return Math.min(lags + WARMUP + 1, contextLimit);
    }

    /** Windows measured side by side, as bounded above. */
    public static int windowsAtOnce(CellType kind) {
        return kind == CellType.GPT ? GPT_WINDOWS_AT_ONCE : STREAMS_AT_ONCE;
    }

    public static Result measure(LanguageModel model, String text, int positions, int lags) {
        return measure(model, text, positions, lags, Deadline.NONE);
    }

    /** As {@link #measure(LanguageModel, String, int, int)}, giving up between batches of windows when the deadline passes. */
    public static Result measure(LanguageModel model, String text, int positions, int lags, Deadline deadline) {
        Vocab.Encoded encoded = model.vocab().encode(text);
        return measure(model, encoded.ids(), positions, lags, deadline).withSkipped(encoded.skippedSymbols());
    }

    /** Up to {@code positions} windows spread evenly over the symbols, the last one ending at the end. */
    public static Result measure(LanguageModel shared, int[] ids, int positions, int lags) {
        return measure(shared, ids, positions, lags, Deadline.NONE);
    }

    private static Result measure(LanguageModel shared, int[] ids, int positions, int lags, Deadline deadline) {
        if (lags < 1 || lags > MAX_LAGS) throw new IllegalArgumentException("lags must be 1 to " + MAX_LAGS + ", got " + lags);
        if (positions < 1 || positions > MAX_POSITIONS) {
            throw new IllegalArgumentException("positions must be 1 to " + MAX_POSITIONS + ", got " + positions);
        }
        if (!(shared instanceof CharRnn || shared instanceof Gpt || shared instanceof AttentiveLstm)) {
            throw new IllegalArgumentException("a " + shared.kind().id() + " predicts from the last symbol alone:"
                    + " there is no gradient to follow back");
        }
        int steps = windowSteps(lags, shared.contextLimit());
        int available = ids.length - steps;   // window starts 0 .. available-1
        if (available < 1) {
            throw new IllegalArgumentException("the text needs at least " + (steps + 1) + " symbols the model knows to look "
                    + Math.min(lags, steps - 1) + " steps back, found " + ids.length);
        }
        int count = Math.min(positions, available);
        int[] starts = new int[count];
        for (int i = 0; i < count; i++) {
            starts[i] = count == 1 ? available - 1 : (int) Math.round((double) i * (available - 1) / (count - 1));
        }
        LanguageModel model = shared.copy();   // backward writes gradients: keep the shared model untouched
        double[][] inputRatios = new double[lags + 1][count];   // [k][position]; 0 beyond the window
        Integer block = model instanceof Gpt g ? g.contextLimit() : null;
        if (!(model instanceof CharRnn rnn)) {
            int atOnce = windowsAtOnce(model.kind());
            for (int first = 0; first < count; first += atOnce) {
                deadline.check();
                int[] batch = Arrays.copyOfRange(starts, first, Math.min(count, first + atOnce));
                int[][][] window = windows(ids, batch, steps);
                double[][] norms = model instanceof Gpt gpt ? GptInputGradient.lastPredictionNorms(gpt, window[0], window[1])
                        : AttentiveInputGradient.lastPredictionNorms((AttentiveLstm) model, window[0], window[1]);
                for (int b = 0; b < batch.length; b++) {
                    for (int k = 0; k <= Math.min(lags, steps - 1); k++) {
                        inputRatios[k][first + b] = ratio(norms[b][steps - 1 - k], norms[b][steps - 1]);
                    }
                }
            }
            return new Result(lags, count, steps + 1, starts, null, null, null, band(inputRatios), block, List.of(INPUT),
                    List.of());
        }
        int layers = rnn.numLayers();
        boolean lstm = rnn.cell() == CellType.LSTM;
        double[][][] hRatios = new double[layers][lags + 1][count];   // [layer][k][position]
        double[][][] cRatios = lstm ? new double[layers][lags + 1][count] : null;
        double[][] jacobians = new double[layers][count];
        for (int first = 0; first < count; first += STREAMS_AT_ONCE) {
            deadline.check();
            int batch = Math.min(STREAMS_AT_ONCE, count - first);
            measureStreams(rnn, ids, Arrays.copyOfRange(starts, first, first + batch), steps, lags,
                    first, hRatios, cRatios, inputRatios, jacobians);
        }
        Band[] hidden = new Band[layers];
        Band[] cell = lstm ? new Band[layers] : null;
        Spread[] spread = new Spread[layers];
        for (int l = 0; l < layers; l++) {
            hidden[l] = band(hRatios[l]);
            if (lstm) cell[l] = band(cRatios[l]);
            spread[l] = spread(jacobians[l]);
        }
        List<String> curves = lstm ? List.of(INPUT, HIDDEN, CELL) : List.of(INPUT, HIDDEN);
        return new Result(lags, count, steps + 1, starts, hidden, cell, spread, band(inputRatios), null, curves, List.of());
    }

    /** The windows starting at {@code starts}: [0] the inputs (B, steps), [1] the targets, one symbol later. */
    private static int[][][] windows(int[] ids, int[] starts, int steps) {
        int[][] inputs = new int[starts.length][];
        int[][] targets = new int[starts.length][];
        for (int b = 0; b < starts.length; b++) {
            inputs[b] = Arrays.copyOfRange(ids, starts[b], starts[b] + steps);
            targets[b] = Arrays.copyOfRange(ids, starts[b] + 1, starts[b] + steps + 1);
        }
        return new int[][][] {inputs, targets};
    }

    /** One batch of windows: forward, the Jacobians, then backward from each window's last prediction. */
    private static void measureStreams(CharRnn model, int[] ids, int[] starts, int steps, int lags, int offset,
                                       double[][][] hRatios, double[][][] cRatios, double[][] inputRatios,
                                       double[][] jacobians) {
        int batch = starts.length;
        int[][][] window = windows(ids, starts, steps);
        WindowTrace tr = model.newTrace(steps, batch);
        GradientNorms norms = new GradientNorms(tr);
        model.forward(window[0], model.zeroState(batch), tr);
        model.loss(tr, window[1]);
        for (int l = 0; l < model.numLayers(); l++) {
            double[] jacobianNorms = StepJacobian.spectralNorms(model.layers[l], tr.layers[l], steps - 1);
            System.arraycopy(jacobianNorms, 0, jacobians[l], offset, batch);
        }
        // keep only each window's last prediction (time-major rows), so every stream carries its own L_t
        int[] last = new int[batch];
        for (int b = 0; b < batch; b++) last[b] = (steps - 1) * batch + b;
        CrossEntropy.keepOnlyRows(tr.dLogits.data, last, model.vocab().size());
        model.backward(tr);
        for (int l = 0; l < model.numLayers(); l++) {
            for (int b = 0; b < batch; b++) {
                double base = norms.stream(l, steps - 1, b);
                for (int k = 0; k <= lags; k++) {
                    hRatios[l][k][offset + b] = ratio(norms.stream(l, steps - 1 - k, b), base);
                    if (cRatios != null) cRatios[l][k][offset + b] = ratio(norms.cellStream(l, steps - 1 - k, b), base);
                }
            }
        }
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k <= lags; k++) {
                inputRatios[k][offset + b] = ratio(norms.inputStream(0, steps - 1 - k, b), norms.inputStream(0, steps - 1, b));
            }
        }
    }

    private static double ratio(double value, double base) {
        return base > 0 ? value / base : 0;
    }

    private static Band band(double[][] byLag) {
        int lags = byLag.length;
        double[] q25 = new double[lags], median = new double[lags], q75 = new double[lags];
        for (int k = 0; k < lags; k++) {
            double[] sorted = byLag[k].clone();
            Arrays.sort(sorted);
            q25[k] = quantile(sorted, 0.25);
            median[k] = quantile(sorted, 0.5);
            q75[k] = quantile(sorted, 0.75);
        }
        return new Band(q25, median, q75);
    }

    private static Spread spread(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int above = 0;
        for (double v : sorted) if (v > 1) above++;
        return new Spread(quantile(sorted, 0.25), quantile(sorted, 0.5), quantile(sorted, 0.75),
                sorted[0], sorted[sorted.length - 1], (double) above / sorted.length);
    }

    /** The p-quantile of sorted values, interpolating linearly between neighbours (numpy's default). */
    public static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
