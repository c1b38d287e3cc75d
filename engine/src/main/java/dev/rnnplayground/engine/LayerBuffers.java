package dev.rnnplayground.engine;

/**
 * What one layer keeps over a window of up to T steps and B streams, stacked time-major: row
 * t*B + b is stream b at step t. Matrices that OpenBLAS reads or writes live in native memory
 * ({@link FloatArray}); what only the cell's elementwise code touches lives in Java arrays, where
 * HotSpot vectorises the loops; a step moves whole blocks between the two (memcpy speed).
 * Allocated once per window shape: nothing is allocated inside a step.
 */
final class LayerBuffers {
    final int maxSteps;          // T
    final int batch;             // B
    // native: operands of the products
    final FloatArray h;          // (T+1)*B x H: h[0] is the carried-in state
    final FloatArray gi;         // T*B x G*H: x_t W_ih^T for a dense input (null for the bottom layer)
    final FloatArray gh;         // T*B x G*H: h_{t-1} W_hh^T
    final FloatArray dGi;        // T*B x G*H: dLoss/d(input projection)
    final FloatArray dGh;        // T*B x G*H: dLoss/d(recurrent projection); the same array as dGi but for a GRU
    final FloatArray dhNext;     // B x H: dLoss/dh_t flowing back through W_hh
    final FloatArray dInput;     // T*B x In: dLoss/dx (null for the bottom layer)
    final FloatArray dropped;    // T*B x In: the input after dropout (null without dropout)
    // Java arrays: the cell's own numbers
    final float[] hidden;        // (T+1)*B x H: the same h as above, for the elementwise code
    final float[] cell;          // (T+1)*B x H, LSTM only: c_t
    final float[] tanhCell;      // T*B x H, LSTM only: tanh(c_t), kept for backward
    final float[] hiddenPart;    // T*B x H, GRU only: W_hn h_{t-1} + b_hn, kept for backward
    final float[] act;           // T*B x G*H: the gates after their nonlinearities
    final int[] inputRow;        // [T*B] where row t*B+b of the input projection starts (bottom: W_ih^T's row of the character)
    final float[] dropMask;      // T*B x In: 0 or 1/(1-p) (null without dropout)
    // per-step scratch
    final float[] pre;           // B x G*H: pre-activations
    final float[] input;         // B x G*H: input projections of this step
    final float[] dh;            // B x H
    final float[] dhFromNext;    // B x H: b.dhNext copied out
    final float[] dc;            // B x H, LSTM only: dLoss/dc flowing back
    final float[] dPre;          // B x G*H: dLoss/d(pre-activation), input side
    final float[] dPreRec;       // B x G*H, GRU only: dLoss/d(pre-activation), recurrent side
    final float[] biasIn;        // G*H copies of b_ih and b_hh for the window
    final float[] biasRec;
    final float[] gradBiasIn;    // G*H accumulated over the window, added to the gradients at the end
    final float[] gradBiasRec;
    final float[] row;           // G*H
    // where backward accumulates dW_ih, dW_hh, db_ih, db_hh (the parameters' own arrays, or a worker's)
    FloatArray[] grads;

    LayerBuffers(FloatLayer layer, int maxSteps, int batch, boolean training, boolean dropout) {
        this.maxSteps = maxSteps;
        this.batch = batch;
        int hs = layer.hiddenSize, width = layer.gates * hs, rows = maxSteps * batch;
        boolean lstm = layer instanceof FloatLstmLayer, gru = layer instanceof FloatGruLayer;
        h = new FloatArray((maxSteps + 1) * batch * hs);
        gi = layer.bottom ? null : new FloatArray(rows * width);
        gh = new FloatArray(rows * width);
        dGi = training ? new FloatArray(rows * width) : null;
        dGh = training && gru ? new FloatArray(rows * width) : dGi;
        dhNext = new FloatArray(batch * hs);
        dInput = training && !layer.bottom ? new FloatArray(rows * layer.inputSize) : null;
        dropped = dropout && !layer.bottom ? new FloatArray(rows * layer.inputSize) : null;
        hidden = new float[(maxSteps + 1) * batch * hs];
        cell = lstm ? new float[(maxSteps + 1) * batch * hs] : null;
        tanhCell = lstm ? new float[rows * hs] : null;
        hiddenPart = gru ? new float[rows * hs] : null;
        act = new float[rows * width];
        inputRow = new int[rows];
        for (int r = 0; r < rows; r++) inputRow[r] = r * width;
        dropMask = dropped == null ? null : new float[rows * layer.inputSize];
        pre = new float[batch * width];
        input = new float[batch * width];
        dh = new float[batch * hs];
        dhFromNext = new float[batch * hs];
        dc = lstm ? new float[batch * hs] : null;
        dPre = new float[batch * width];
        dPreRec = gru ? new float[batch * width] : null;
        biasIn = new float[width];
        biasRec = new float[width];
        gradBiasIn = new float[width];
        gradBiasRec = new float[width];
        row = new float[width];
    }

    /** Copies the state at the end of {@code steps} into h[0] (and c[0]): the carry into the next window. */
    void carryForward(int steps, int hs) {
        int n = batch * hs;
        h.copyFrom(h, steps * n, 0, n);
        System.arraycopy(hidden, steps * n, hidden, 0, n);
        if (cell != null) System.arraycopy(cell, steps * n, cell, 0, n);
    }

    void resetState(int hs) {
        int n = batch * hs;
        java.util.Arrays.fill(hidden, 0, n, 0f);
        if (cell != null) java.util.Arrays.fill(cell, 0, n, 0f);
        for (int i = 0; i < n; i++) h.set(i, 0f);
    }

    /**
     * Sets the carried state h[0] (and c[0]) from the reference's arrays, whose streams from
     * {@code offset} (a multiple of H) on are this window's; c may be null.
     */
    void setState(double[] hState, double[] cState, int offset, int hs) {
        for (int i = 0; i < batch * hs; i++) {
            hidden[i] = (float) hState[offset + i];
            h.set(i, hidden[i]);
            if (cell != null) cell[i] = (float) cState[offset + i];
        }
    }

    /** Copies the carried state h[0] (and c[0]) out into the reference's arrays from {@code offset} on; c may be null. */
    void getState(double[] hState, double[] cState, int offset, int hs) {
        for (int i = 0; i < batch * hs; i++) {
            hState[offset + i] = hidden[i];
            if (cell != null) cState[offset + i] = cell[i];
        }
    }
}
