package dev.rnnplayground.engine;

import dev.rnnplayground.core.CellType;
import dev.rnnplayground.core.Param;
import java.util.List;

/**
 * One recurrent layer of the fast engine: the same two affine maps and the same backpropagation
 * through time as core's {@code RecurrentLayer}, in float32, with the work arranged the way cuDNN
 * arranges it:
 * <ul>
 *   <li>the input projection x_t W_ih^T of every step in one product before the loop (the bottom
 *       layer's one-hot input is a row lookup, never a product);</li>
 *   <li>only the recurrent product h_{t-1} W_hh^T inside the loop, step by step;</li>
 *   <li>on the way back, dW_hh, dW_ih and dx each in one product over the whole window.</li>
 * </ul>
 * The cell's equations live in the subclasses, named as in core's cells.
 */
abstract class FloatLayer {
    final int inputSize;
    final int hiddenSize;
    final int gates;
    final boolean bottom;
    final FloatParam weightIh;   // (G*H, In); the bottom layer stores it transposed, (V, G*H)
    final FloatParam weightHh;   // (G*H, H)
    final FloatParam biasIh;     // (G*H)
    final FloatParam biasHh;     // (G*H)

    FloatLayer(List<Param> reference, int inputSize, int hiddenSize, int gates, boolean bottom) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.gates = gates;
        this.bottom = bottom;
        weightIh = new FloatParam(reference.get(0), bottom);
        weightHh = new FloatParam(reference.get(1), false);
        biasIh = new FloatParam(reference.get(2), false);
        biasHh = new FloatParam(reference.get(3), false);
    }

    static FloatLayer create(CellType cell, List<Param> reference, int inputSize, int hiddenSize, boolean bottom) {
        switch (cell) {
            case RNN: return new FloatRnnLayer(reference, inputSize, hiddenSize, bottom);
            case LSTM: return new FloatLstmLayer(reference, inputSize, hiddenSize, bottom);
            case GRU: return new FloatGruLayer(reference, inputSize, hiddenSize, bottom);
            default: throw new IllegalArgumentException(String.valueOf(cell));
        }
    }

    FloatParam[] params() {
        return new FloatParam[] {weightIh, weightHh, biasIh, biasHh};
    }

    /** Where the input projection of each row is read from: W_ih^T itself for the bottom layer, else the gi buffer. */
    final FloatArray inputProjections(LayerBuffers b) {
        return bottom ? weightIh.w : b.gi;
    }

    /**
     * Applies the cell at step t: reads the input projection (row b.giRow[t*B+s] of
     * {@code projections}, without b_ih), the recurrent projection b.gh (without b_hh) and h_t
     * (and c_t); writes h_{t+1} (and c_{t+1}) and what backward needs.
     */
    abstract void cellForward(int t, LayerBuffers b, FloatArray projections);

    /**
     * The cell's backward at step t: with dh = dOut[t] + b.dhNext (and dc = b.dcNext), writes
     * dLoss/d(pre-activations) into b.dGi (and b.dGh), dc_t into b.dcNext, and into b.dhNext the
     * part of dL/dh_t that does not flow through W_hh (a GRU's z * dh; zero otherwise, which the
     * product then overwrites).
     */
    abstract void cellBackward(int t, LayerBuffers b, FloatArray dOut);

    /** True when dhNext holds a direct path to which the W_hh product must add (a GRU). */
    boolean hasDirectPath() {
        return false;
    }

    /** Forward over {@code steps} steps from b.h[0]; x is the input (T*B x In at xOff) unless bottom. */
    final void forward(LayerBuffers b, int steps, FloatArray x, int xOff) {
        int rows = steps * b.batch, width = gates * hiddenSize, stateSize = b.batch * hiddenSize;
        if (!bottom) {
            NativeBlas.gemm(false, true, rows, width, inputSize, 1f, x, xOff, inputSize,
                    weightIh.w, 0, inputSize, 0f, b.gi, 0, width);
        }
        FloatArray projections = inputProjections(b);
        for (int t = 0; t < steps; t++) {
            NativeBlas.gemm(false, true, b.batch, width, hiddenSize, 1f, b.h, t * stateSize, hiddenSize,
                    weightHh.w, 0, hiddenSize, 0f, b.gh, t * b.batch * width, width);
            cellForward(t, b, projections);
        }
    }

    /**
     * Backpropagation through time over the window {@link #forward} last ran: dOut (T*B x H) is
     * dLoss/dh_t arriving from above. Accumulates every weight gradient, and unless bottom writes
     * dLoss/dx into b.dInput.
     */
    final void backward(LayerBuffers b, int steps, FloatArray dOut, FloatArray x, int xOff) {
        int rows = steps * b.batch, width = gates * hiddenSize;
        b.dhNext.zero();
        if (b.dcNext != null) b.dcNext.zero();
        for (int t = steps - 1; t >= 0; t--) {
            cellBackward(t, b, dOut);
            // recurrent path: dL/dh_{t-1} += dGh_t W_hh
            NativeBlas.gemm(false, false, b.batch, hiddenSize, width, 1f, b.dGh, t * b.batch * width, width,
                    weightHh.w, 0, hiddenSize, hasDirectPath() ? 1f : 0f, b.dhNext, 0, hiddenSize);
        }
        // weight gradients over the whole window at once: dW_hh += dGh^T [h_0 .. h_{T-1}]
        NativeBlas.gemm(true, false, width, hiddenSize, rows, 1f, b.dGh, 0, width, b.h, 0, hiddenSize,
                1f, weightHh.dw, 0, hiddenSize);
        addColumnSums(b.dGh, rows, width, biasHh.dw);
        addColumnSums(b.dGi, rows, width, biasIh.dw);
        if (bottom) {
            // one-hot input: dW_ih[:, x_t] += dGi_t, a row of the transposed storage
            for (int r = 0; r < rows; r++) addRow(b.dGi, r * width, weightIh.dw, b.giRow[r], width);
        } else {
            NativeBlas.gemm(true, false, width, inputSize, rows, 1f, b.dGi, 0, width, x, xOff, inputSize,
                    1f, weightIh.dw, 0, inputSize);
            NativeBlas.gemm(false, false, rows, inputSize, width, 1f, b.dGi, 0, width, weightIh.w, 0, inputSize,
                    0f, b.dInput, 0, inputSize);
        }
    }

    /** target[j] += sum over rows of m[r][j] (row by row, in memory order). */
    static void addColumnSums(FloatArray m, int rows, int cols, FloatArray target) {
        for (int r = 0; r < rows; r++) addRow(m, r * cols, target, 0, cols);
    }

    private static void addRow(FloatArray from, int fromOff, FloatArray to, int toOff, int n) {
        for (int j = 0; j < n; j++) to.buf.put(toOff + j, to.buf.get(toOff + j) + from.buf.get(fromOff + j));
    }
}
