package dev.rnnplayground.engine;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Param;
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

    /**
     * Applies the cell at step t. b.input holds the step's input projections and b.pre its
     * recurrent ones (both B x G*H, without biases; b.biasIn and b.biasRec hold b_ih and b_hh);
     * reads h_t (and c_t) from b.hidden (b.cell); writes the gates into b.act, h_{t+1} into
     * b.hidden (and c_{t+1}), and whatever backward needs.
     */
    abstract void cellForward(int t, LayerBuffers b);

    /**
     * The cell's backward at step t, given b.dh = dLoss/dh_{t+1} in total (and b.dc for an LSTM):
     * writes dLoss/d(pre-activations) into b.dPre (a GRU's recurrent side into b.dPreRec), dc_t
     * into b.dc, and leaves in b.dh the part of dLoss/dh_t that bypasses W_hh (a GRU's z * dh;
     * otherwise nothing: b.dh is then ignored).
     */
    abstract void cellBackward(int t, LayerBuffers b);

    /** True when part of dLoss/dh_t bypasses W_hh (a GRU's z * h_{t-1} term). */
    boolean hasDirectPath() {
        return false;
    }

    /** Forward over {@code steps} steps from b.h[0]; x is the input (T*B x In at xOff) unless bottom. */
    final void forward(LayerBuffers b, int steps, FloatArray x, int xOff) {
        int batch = b.batch, width = gates * hiddenSize, stateSize = batch * hiddenSize, block = batch * width;
        if (!bottom) {
            NativeBlas.gemm(false, true, steps * batch, width, inputSize, 1f, x, xOff, inputSize,
                    weightIh.w, 0, inputSize, 0f, b.gi, 0, width);
        }
        biasIh.w.read(0, b.biasIn, 0, width);
        biasHh.w.read(0, b.biasRec, 0, width);
        for (int t = 0; t < steps; t++) {
            NativeBlas.gemm(false, true, batch, width, hiddenSize, 1f, b.h, t * stateSize, hiddenSize,
                    weightHh.w, 0, hiddenSize, 0f, b.gh, t * block, width);
            b.gh.read(t * block, b.pre, 0, block);
            if (bottom) {
                for (int s = 0; s < batch; s++) weightIh.w.read(b.inputRow[t * batch + s], b.input, s * width, width);
            } else {
                b.gi.read(t * block, b.input, 0, block);
            }
            cellForward(t, b);
            b.h.write((t + 1) * stateSize, b.hidden, (t + 1) * stateSize, stateSize);
        }
    }

    /**
     * Backpropagation through time over the window {@link #forward} last ran: dOut (T*B x H) is
     * dLoss/dh_t arriving from above. Accumulates every weight gradient (into b.grads), and unless bottom writes
     * dLoss/dx into b.dInput.
     */
    final void backward(LayerBuffers b, int steps, FloatArray dOut, FloatArray x, int xOff) {
        int batch = b.batch, rows = steps * batch, width = gates * hiddenSize;
        int stateSize = batch * hiddenSize, block = batch * width;
        java.util.Arrays.fill(b.gradBiasIn, 0f);
        java.util.Arrays.fill(b.gradBiasRec, 0f);
        if (b.dc != null) java.util.Arrays.fill(b.dc, 0f);
        float[] fromAbove = b.dh;
        for (int t = steps - 1; t >= 0; t--) {
            // dh = dLoss/dh_{t+1} from above + through W_hh (and the direct path) from step t+1
            dOut.read(t * stateSize, fromAbove, 0, stateSize);
            if (t < steps - 1) {
                b.dhNext.read(0, b.dhFromNext, 0, stateSize);
                for (int i = 0; i < stateSize; i++) fromAbove[i] += b.dhFromNext[i];
            }
            cellBackward(t, b);
            b.dGi.write(t * block, b.dPre, 0, block);
            addRows(b.dPre, batch, width, b.gradBiasIn);
            float[] recurrent = b.dPreRec != null ? b.dPreRec : b.dPre;
            if (b.dPreRec != null) b.dGh.write(t * block, b.dPreRec, 0, block);
            addRows(recurrent, batch, width, b.gradBiasRec);
            if (bottom) {
                // one-hot input: dW_ih[:, x_t] += dGi_t, a row of the transposed storage
                for (int s = 0; s < batch; s++) addToRow(b.grads[0], b.inputRow[t * batch + s], b.dPre, s * width, width, b.row);
            }
            // dLoss/dh_t through the recurrent product: dGh_t W_hh (plus a GRU's direct path, left in b.dh)
            if (hasDirectPath()) b.dhNext.write(0, b.dh, 0, stateSize);
            NativeBlas.gemm(false, false, batch, hiddenSize, width, 1f, b.dGh, t * block, width,
                    weightHh.w, 0, hiddenSize, hasDirectPath() ? 1f : 0f, b.dhNext, 0, hiddenSize);
        }
        // weight gradients over the whole window at once: dW_hh += dGh^T [h_0 .. h_{T-1}]
        NativeBlas.gemm(true, false, width, hiddenSize, rows, 1f, b.dGh, 0, width, b.h, 0, hiddenSize,
                1f, b.grads[1], 0, hiddenSize);
        addToRow(b.grads[2], 0, b.gradBiasIn, 0, width, b.row);
        addToRow(b.grads[3], 0, b.gradBiasRec, 0, width, b.row);
        if (!bottom) {
            NativeBlas.gemm(true, false, width, inputSize, rows, 1f, b.dGi, 0, width, x, xOff, inputSize,
                    1f, b.grads[0], 0, inputSize);
            NativeBlas.gemm(false, false, rows, inputSize, width, 1f, b.dGi, 0, width, weightIh.w, 0, inputSize,
                    0f, b.dInput, 0, inputSize);
        }
    }

    /** target[j] += sum over the rows of m (rows x cols, row-major). */
    static void addRows(float[] m, int rows, int cols, float[] target) {
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int j = 0; j < cols; j++) target[j] += m[base + j];
        }
    }

    /** array[at .. at+n) += values[off .. off+n), through scratch (n floats). */
    static void addToRow(FloatArray array, int at, float[] values, int off, int n, float[] scratch) {
        array.read(at, scratch, 0, n);
        for (int j = 0; j < n; j++) scratch[j] += values[off + j];
        array.write(at, scratch, 0, n);
    }
}
