package dev.rnnplayground.core.rnn;

import org.ejml.data.DMatrixRMaj;

/**
 * What one layer's forward pass over a window remembers for its backward pass: the hidden states
 * h[0..T] (h[0] is the carried-in state), LSTM cell states c[0..T], post-activation gate values
 * per step, and scratch buffers. Kept apart from the layer so a model can be read by many
 * threads at once, and reused from window to window to spare the garbage collector.
 */
final class LayerTrace {
    final int steps;              // T
    final int batch;              // B
    final DMatrixRMaj[] h;        // [T+1] (B, H)
    final DMatrixRMaj[] c;        // [T+1] (B, H), LSTM only
    final DMatrixRMaj[] gates;    // [T] (B, G*H) gate values after their sigmoid or tanh; a vanilla RNN's pre-activation
    final DMatrixRMaj[] extra;    // [T] (B, H) GRU only: W_hn h + b_hn before the reset gate
    final DMatrixRMaj gi;         // (B, G*H) scratch: input contribution / its gradient
    final DMatrixRMaj gh;         // (B, G*H) scratch: recurrent contribution / its gradient
    final int layerIndex;
    /** Told of every step of the backward pass when set (see {@link WindowTrace#observeBackward}); null in training. */
    BackwardObserver observer;

    LayerTrace(RecurrentLayer layer, int layerIndex, int steps, int batch) {
        this.layerIndex = layerIndex;
        this.steps = steps;
        this.batch = batch;
        int hidden = layer.hiddenSize;
        int width = layer.gates * hidden;
        h = new DMatrixRMaj[steps + 1];
        for (int t = 0; t <= steps; t++) h[t] = new DMatrixRMaj(batch, hidden);
        if (layer.hasCellState()) {
            c = new DMatrixRMaj[steps + 1];
            for (int t = 0; t <= steps; t++) c[t] = new DMatrixRMaj(batch, hidden);
        } else {
            c = null;
        }
        gates = new DMatrixRMaj[steps];
        for (int t = 0; t < steps; t++) gates[t] = new DMatrixRMaj(batch, width);
        if (layer instanceof GruCell) {
            extra = new DMatrixRMaj[steps];
            for (int t = 0; t < steps; t++) extra[t] = new DMatrixRMaj(batch, hidden);
        } else {
            extra = null;
        }
        gi = new DMatrixRMaj(batch, width);
        gh = new DMatrixRMaj(batch, width);
    }
}
