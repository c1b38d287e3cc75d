package dev.rnnplayground.core.rnn;

import dev.rnnplayground.core.model.CellType;
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
 * a blank state, and the loss of that one prediction, L_t, is backpropagated through time. Per
 * layer and per k = 0..lags it records
 * <ul>
 *   <li>||dL_t/dh_{t-k}|| / ||dL_t/dh_t||: the share of the gradient left k steps back;</li>
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
     * @param hidden        [layer] the h-path band
     * @param cell          [layer] the c-path band for an LSTM, else null
     * @param stepJacobian  [layer] ||dh_t/dh_{t-1}|| over the measured positions
     */
    public record Result(int lags, int positions, int windowLength, int[] windowStarts, Band[] hidden, Band[] cell,
                         Spread[] stepJacobian, List<String> skippedSymbols) {
    }

    private GradientReach() {
    }

    /** Symbols a text needs for one measured position. */
    public static int symbolsNeeded(int lags) {
        return lags + WARMUP + 2;
    }

    public static Result measure(CharRnn model, String text, int positions, int lags) {
        return measure(model, text, positions, lags, Deadline.NONE);
    }

    /** As {@link #measure(CharRnn, String, int, int)}, giving up between batches of windows when the deadline passes. */
    public static Result measure(CharRnn model, String text, int positions, int lags, Deadline deadline) {
        Vocab.Encoded encoded = model.vocab().encode(text);
        Result r = measure(model, encoded.ids(), positions, lags, deadline);
        return new Result(r.lags, r.positions, r.windowLength, r.windowStarts, r.hidden, r.cell, r.stepJacobian,
                encoded.skippedSymbols());
    }

    /** Up to {@code positions} windows spread evenly over the symbols, the last one ending at the end. */
    public static Result measure(CharRnn shared, int[] ids, int positions, int lags) {
        return measure(shared, ids, positions, lags, Deadline.NONE);
    }

    private static Result measure(CharRnn shared, int[] ids, int positions, int lags, Deadline deadline) {
        if (lags < 1 || lags > MAX_LAGS) throw new IllegalArgumentException("lags must be 1 to " + MAX_LAGS + ", got " + lags);
        if (positions < 1 || positions > MAX_POSITIONS) {
            throw new IllegalArgumentException("positions must be 1 to " + MAX_POSITIONS + ", got " + positions);
        }
        int steps = lags + WARMUP + 1;
        int available = ids.length - steps;   // window starts 0 .. available-1
        if (available < 1) {
            throw new IllegalArgumentException("the text needs at least " + symbolsNeeded(lags) + " symbols the model knows to look "
                    + lags + " steps back, found " + ids.length);
        }
        int count = Math.min(positions, available);
        int[] starts = new int[count];
        for (int i = 0; i < count; i++) {
            starts[i] = count == 1 ? available - 1 : (int) Math.round((double) i * (available - 1) / (count - 1));
        }
        CharRnn model = shared.copy();   // backward writes gradients: keep the shared model untouched
        int layers = model.numLayers();
        boolean lstm = model.cell() == CellType.LSTM;
        double[][][] hRatios = new double[layers][lags + 1][count];   // [layer][k][position]
        double[][][] cRatios = lstm ? new double[layers][lags + 1][count] : null;
        double[][] jacobians = new double[layers][count];
        for (int first = 0; first < count; first += STREAMS_AT_ONCE) {
            deadline.check();
            int batch = Math.min(STREAMS_AT_ONCE, count - first);
            measureStreams(model, ids, Arrays.copyOfRange(starts, first, first + batch), steps, lags,
                    first, hRatios, cRatios, jacobians);
        }
        Band[] hidden = new Band[layers];
        Band[] cell = lstm ? new Band[layers] : null;
        Spread[] spread = new Spread[layers];
        for (int l = 0; l < layers; l++) {
            hidden[l] = band(hRatios[l]);
            if (lstm) cell[l] = band(cRatios[l]);
            spread[l] = spread(jacobians[l]);
        }
        return new Result(lags, count, steps + 1, starts, hidden, cell, spread, List.of());
    }

    /** One batch of windows: forward, the Jacobians, then backward from each window's last prediction. */
    private static void measureStreams(CharRnn model, int[] ids, int[] starts, int steps, int lags, int offset,
                                       double[][][] hRatios, double[][][] cRatios, double[][] jacobians) {
        int batch = starts.length;
        int[][] inputs = new int[batch][];
        int[][] targets = new int[batch][];
        for (int b = 0; b < batch; b++) {
            inputs[b] = Arrays.copyOfRange(ids, starts[b], starts[b] + steps);
            targets[b] = Arrays.copyOfRange(ids, starts[b] + 1, starts[b] + steps + 1);
        }
        WindowTrace tr = model.newTrace(steps, batch);
        GradientNorms norms = new GradientNorms(tr);
        model.forward(inputs, model.zeroState(batch), tr);
        model.loss(tr, targets);
        for (int l = 0; l < model.numLayers(); l++) {
            double[] jacobianNorms = StepJacobian.spectralNorms(model.layers[l], tr.layers[l], steps - 1);
            System.arraycopy(jacobianNorms, 0, jacobians[l], offset, batch);
        }
        // keep only each window's last prediction: zero the other rows of dLoss/dlogits and undo
        // the mean's 1/(B*T), so every stream carries the gradient of its own L_t
        double[] dz = tr.dLogits.data;
        int lastRows = (steps - 1) * batch * model.vocab().size();
        Arrays.fill(dz, 0, lastRows, 0);
        for (int i = lastRows; i < dz.length; i++) dz[i] *= (double) batch * steps;
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
