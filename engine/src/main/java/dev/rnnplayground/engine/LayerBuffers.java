package dev.rnnplayground.engine;

/**
 * What one layer keeps over a window of up to T steps and B streams, stacked time-major so that
 * the products over the whole window (cuDNN's scheme) see one contiguous matrix: row t*B + b is
 * stream b at step t. Allocated once per window shape; nothing is allocated inside a step.
 */
final class LayerBuffers {
    final int maxSteps;          // T
    final int batch;             // B
    final FloatArray h;          // (T+1)*B x H: h[0] is the carried-in state
    final FloatArray c;          // (T+1)*B x H, LSTM only
    final FloatArray tanhC;      // T*B x H, LSTM only: tanh(c_t), kept for backward
    final FloatArray gi;         // T*B x G*H: x_t W_ih^T for a dense input (null for the bottom layer)
    final int[] giRow;           // [T*B] where row t*B+b of the input projection starts (bottom: W_ih^T's row of the character)
    final FloatArray gh;         // T*B x G*H: h_{t-1} W_hh^T
    final FloatArray act;        // T*B x G*H: the gates after their nonlinearities
    final FloatArray dGi;        // T*B x G*H: dLoss/d(input projection)
    final FloatArray dGh;        // T*B x G*H: dLoss/d(recurrent projection); the same array as dGi but for a GRU
    final FloatArray dhNext;     // B x H: dLoss/dh_t flowing back from step t
    final FloatArray dcNext;     // B x H, LSTM only
    final FloatArray dInput;     // T*B x In: dLoss/dx (null for the bottom layer)
    final FloatArray dropped;    // T*B x In: the input after dropout (null without dropout)
    final FloatArray dropMask;   // T*B x In: 0 or 1/(1-p) (null without dropout)

    LayerBuffers(FloatLayer layer, int maxSteps, int batch, boolean training, boolean dropout) {
        this.maxSteps = maxSteps;
        this.batch = batch;
        int hidden = layer.hiddenSize, width = layer.gates * hidden, rows = maxSteps * batch;
        boolean lstm = layer instanceof FloatLstmLayer;
        h = new FloatArray((maxSteps + 1) * batch * hidden);
        c = lstm ? new FloatArray((maxSteps + 1) * batch * hidden) : null;
        tanhC = lstm ? new FloatArray(rows * hidden) : null;
        gi = layer.bottom ? null : new FloatArray(rows * width);
        giRow = new int[rows];
        for (int r = 0; r < rows; r++) giRow[r] = r * width;
        gh = new FloatArray(rows * width);
        act = new FloatArray(rows * width);
        dGi = training ? new FloatArray(rows * width) : null;
        dGh = training && layer instanceof FloatGruLayer ? new FloatArray(rows * width) : dGi;
        dhNext = new FloatArray(batch * hidden);
        dcNext = lstm ? new FloatArray(batch * hidden) : null;
        dInput = training && !layer.bottom ? new FloatArray(rows * layer.inputSize) : null;
        dropped = dropout && !layer.bottom ? new FloatArray(rows * layer.inputSize) : null;
        dropMask = dropped == null ? null : new FloatArray(rows * layer.inputSize);
    }

    /** Copies the state at the end of {@code steps} into h[0] (and c[0]): the carry into the next window. */
    void carryForward(int steps, int hidden) {
        int n = batch * hidden;
        h.copyFrom(h, steps * n, 0, n);
        if (c != null) c.copyFrom(c, steps * n, 0, n);
    }

    void resetState(int hidden) {
        int n = batch * hidden;
        for (int i = 0; i < n; i++) {
            h.set(i, 0f);
            if (c != null) c.set(i, 0f);
        }
    }
}
