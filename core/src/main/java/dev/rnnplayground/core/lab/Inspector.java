package dev.rnnplayground.core.lab;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.rnn.GradientNorms;
import dev.rnnplayground.core.rnn.WindowTrace;
import dev.rnnplayground.core.sample.Generator;
import dev.rnnplayground.core.util.Deadline;

/**
 * The playground's look inside a model on one window of text: what every hidden unit does at every
 * character, and how far back the gradient reaches.
 *
 * <p>Two gradient curves per layer, both ||dL/dh_t|| over the window:
 * <ul>
 *   <li>{@code gradientNormsTotal}: L is the window's mean loss, as in training;</li>
 *   <li>{@code gradientNormsFromLast}: L is the loss of the last character only, so the curve
 *       shows how much that prediction depends on the state t steps before it. For a vanilla RNN
 *       it falls off geometrically: the vanishing gradient. An LSTM's and a GRU's fall far slower.</li>
 * </ul>
 */
public final class Inspector {
    public static final int MAX_STEPS = 1000;

    /**
     * @param symbols           the window's input symbols, one per step
     * @param targetProbability [t] probability the model gave to the character that came next
     * @param hidden            [layer][t][unit] h_t
     * @param cellStates        [layer][t][unit] c_t for an LSTM, else null
     * @param skippedSymbols    symbols of the text the model does not know (left out)
     * @param gates             [layer][t][G*H] gate values (see {@link WindowTrace#gates}), or null when not asked for
     */
    public record Inspection(String[] symbols, double[] targetProbability, double loss,
                             double[][] gradientNormsTotal, double[][] gradientNormsFromLast,
                             double[][][] hidden, double[][][] cellStates, java.util.List<String> skippedSymbols,
                             double[][][] gates) {

        /** The same inspection without the gate values (they are G times the size of the hidden states). */
        public Inspection withoutGates() {
            return new Inspection(symbols, targetProbability, loss, gradientNormsTotal, gradientNormsFromLast,
                    hidden, cellStates, skippedSymbols, null);
        }
    }

    private Inspector() {
    }

    public static Inspection inspect(CharRnn shared, String text) {
        return inspect(shared, text, Deadline.NONE);
    }

    /** As {@link #inspect(CharRnn, String)}, giving up between its three passes when the deadline passes. */
    public static Inspection inspect(CharRnn shared, String text, Deadline deadline) {
        Vocab.Encoded encoded = shared.vocab().encode(text);
        int[] ids = encoded.ids();
        if (ids.length < 2) throw new IllegalArgumentException("the text needs at least 2 symbols the model knows, found " + ids.length);
        if (ids.length - 1 > MAX_STEPS) throw new IllegalArgumentException("the text may hold at most " + (MAX_STEPS + 1) + " symbols, got " + ids.length);
        CharRnn model = shared.copy();   // backward writes gradients: keep the shared model untouched
        int steps = ids.length - 1;
        int[][] inputs = {java.util.Arrays.copyOfRange(ids, 0, steps)};
        int[][] targets = {java.util.Arrays.copyOfRange(ids, 1, steps + 1)};
        WindowTrace tr = model.newTrace(steps, 1);
        GradientNorms norms = new GradientNorms(tr);
        int layers = model.numLayers();

        deadline.check();
        model.forward(inputs, model.zeroState(1), tr);
        double loss = model.loss(tr, targets);
        double[] targetProbability = new double[steps];
        int vocab = model.vocab().size();
        for (int t = 0; t < steps; t++) {
            // from the logits, not as T * dLogits[target] + 1: that cancels to 0 below about 1e-16
            targetProbability[t] = Generator.softmax(tr.logits(t, 0), 1.0)[targets[0][t]];
        }
        double[][][] hidden = new double[layers][steps][];
        double[][][] cells = model.cell() == CellType.LSTM ? new double[layers][steps][] : null;
        double[][][] gates = new double[layers][steps][];
        for (int l = 0; l < layers; l++) {
            for (int t = 0; t < steps; t++) {
                hidden[l][t] = tr.hidden(l, t, 0);
                gates[l][t] = tr.gates(l, t, 0);
                if (cells != null) cells[l][t] = tr.cellState(l, t, 0);
            }
        }
        deadline.check();
        model.backward(tr);
        double[][] total = new double[layers][];
        for (int l = 0; l < layers; l++) total[l] = norms.total(l);

        // keep only the last character's loss: zero every other row of dLoss/dlogits, undo the 1/T
        double[] dz = tr.logitGradients();
        for (int i = 0; i < (steps - 1) * vocab; i++) dz[i] = 0;
        for (int v = 0; v < vocab; v++) dz[(steps - 1) * vocab + v] *= steps;
        model.zeroGradients();
        deadline.check();
        model.backward(tr);
        double[][] fromLast = new double[layers][];
        for (int l = 0; l < layers; l++) fromLast[l] = norms.total(l);

        String[] symbols = new String[steps];
        for (int t = 0; t < steps; t++) symbols[t] = model.vocab().symbol(ids[t]);
        return new Inspection(symbols, targetProbability, loss, total, fromLast, hidden, cells, encoded.skippedSymbols(), gates);
    }
}
