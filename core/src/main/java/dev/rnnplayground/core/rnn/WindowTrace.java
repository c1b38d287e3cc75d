package dev.rnnplayground.core.rnn;

import dev.rnnplayground.core.model.LanguageModel;
import org.ejml.data.DMatrixRMaj;

/**
 * Everything one forward pass over a BPTT window leaves behind for the loss and the backward
 * pass: every layer's {@link LayerTrace}, the top layer's outputs stacked as rows, the logits and
 * their gradient. Row {@code t*B + b} of the stacked matrices is stream b at step t.
 *
 * <p>Create one per (steps, batch) shape and reuse it window after window.
 */
public final class WindowTrace implements LanguageModel.Trace {
    public final int steps;            // T
    public final int batch;            // B
    final LayerTrace[] layers;
    final int[][] ids;                 // (T, B) input symbols, time-major
    final DMatrixRMaj topOutputs;      // (T*B, H) the last layer's h_1..h_T
    final DMatrixRMaj logits;          // (T*B, V)
    final DMatrixRMaj dLogits;         // (T*B, V) dLoss/dlogits
    final DMatrixRMaj dTopOutputs;     // (T*B, H)
    final DMatrixRMaj[] dOutputs;      // [T] (B, H) scratch: dL/dh_t from above, per layer
    final DMatrixRMaj[] dInputs;       // [T] (B, H) scratch: dL/dx_t to pass below
    /**
     * Dropout between layers for the next forward pass: dropoutScale[l] (T*B*H, time-major) scales
     * layer l's outputs on their way to layer l+1 (0 = dropped); null when dropout is off.
     */
    double[][] dropoutScale;
    DMatrixRMaj[][] droppedOutputs;    // [layer][T] (B, H) layer l's outputs after dropout

    /** The transposed weights a writing trace steps with ({@link CharRnn#newStepTrace}); null otherwise. */
    final WritingWeights writing;

    WindowTrace(CharRnn model, int steps, int batch) {
        this(model, steps, batch, null);
    }

    WindowTrace(CharRnn model, int steps, int batch, WritingWeights writing) {
        this.writing = writing;
        this.steps = steps;
        this.batch = batch;
        int hidden = model.hiddenSize();
        int vocab = model.vocab().size();
        layers = new LayerTrace[model.layers.length];
        for (int l = 0; l < layers.length; l++) layers[l] = new LayerTrace(model.layers[l], l, steps, batch);
        ids = new int[steps][batch];
        topOutputs = new DMatrixRMaj(steps * batch, hidden);
        logits = new DMatrixRMaj(steps * batch, vocab);
        dLogits = new DMatrixRMaj(steps * batch, vocab);
        dTopOutputs = new DMatrixRMaj(steps * batch, hidden);
        dOutputs = new DMatrixRMaj[steps];
        dInputs = new DMatrixRMaj[steps];
        for (int t = 0; t < steps; t++) {
            dOutputs[t] = new DMatrixRMaj(batch, hidden);
            dInputs[t] = new DMatrixRMaj(batch, hidden);
        }
    }

    /**
     * Turns dropout on for the following forward passes (p > 0) with the masks of training step
     * {@code step}, or off (p = 0). See {@link DropoutMask}.
     */
    @Override
    public void setDropout(double p, long seed, long step) {
        if (p <= 0 || layers.length < 2) {
            dropoutScale = null;
            return;
        }
        int hidden = layers[0].h[0].numCols;
        if (dropoutScale == null || droppedOutputs == null) {
            dropoutScale = new double[layers.length - 1][steps * batch * hidden];
            droppedOutputs = new DMatrixRMaj[layers.length - 1][steps];
            for (DMatrixRMaj[] perStep : droppedOutputs) {
                for (int t = 0; t < steps; t++) perStep[t] = new DMatrixRMaj(batch, hidden);
            }
        }
        for (int l = 0; l < dropoutScale.length; l++) DropoutMask.fill(seed, step, l, p, dropoutScale[l]);
    }

    /** The inputs layer l (l >= 1) read in the last forward pass: the layer below's outputs, after dropout. */
    DMatrixRMaj[] layerInputs(int l) {
        if (dropoutScale != null) return droppedOutputs[l - 1];
        return java.util.Arrays.copyOfRange(layers[l - 1].h, 1, steps + 1);
    }

    /**
     * The top layer's outputs h_1..h_T of the last forward pass, (T*B, H), row t*B + b: a live
     * view, for a head that reads them ({@link CharRnn#forwardLayers}); do not modify.
     */
    public DMatrixRMaj topOutputs() {
        return topOutputs;
    }

    /**
     * dLoss/dlogits (T*B, V), row t*B + b, as the last {@link CharRnn#loss} wrote it: a live view.
     * Measuring code edits it to backpropagate a chosen part of the loss alone.
     */
    public double[] logitGradients() {
        return dLogits.data;
    }

    /** Logits for stream b at step t (V values, a live view offset). */
    public double logit(int t, int b, int symbol) {
        return logits.get(t * batch + b, symbol);
    }

    @Override
    public int steps() {
        return steps;
    }

    @Override
    public int batch() {
        return batch;
    }

    /** Copy of the logits row for stream b at step t. */
    @Override
    public double[] logits(int t, int b) {
        return LanguageModel.Trace.row(logits.data, t * batch + b, logits.numCols);
    }

    /** Copy of layer l's hidden state h_t after reading input t (stream b). */
    public double[] hidden(int layer, int t, int b) {
        return row(layers[layer].h[t + 1], b);
    }

    /** Copy of layer l's LSTM cell state after input t (stream b), or null for other cells. */
    public double[] cellState(int layer, int t, int b) {
        LayerTrace tr = layers[layer];
        return tr.c == null ? null : row(tr.c[t + 1], b);
    }

    /**
     * Copy of layer l's gate values at input t (stream b), G*H in torch's order: i, f, g, o for an
     * LSTM and r, z, n for a GRU (after their sigmoid or tanh); for a vanilla RNN the
     * pre-activation W_ih x + b_ih + W_hh h + b_hh, whose tanh is h_t.
     */
    public double[] gates(int layer, int t, int b) {
        return row(layers[layer].gates[t], b);
    }

    /**
     * Lets {@code observer} watch the following backward passes step by step, from outside the
     * cells (what the page's gradient views measure); null stops it.
     */
    public void observeBackward(BackwardObserver observer) {
        for (LayerTrace lt : layers) lt.observer = observer;
    }

    private static double[] row(DMatrixRMaj m, int r) {
        double[] out = new double[m.numCols];
        System.arraycopy(m.data, r * m.numCols, out, 0, out.length);
        return out;
    }
}
