package dev.rnnplayground.core.rnn;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Param;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * One layer of a recurrent stack, shared by the three cells. For every step t of a window it
 * computes the two affine maps PyTorch's cells are written with,
 * <pre>
 *   gi_t = x_t W_ih^T + b_ih      (B, G*H)   input contribution
 *   gh_t = h_{t-1} W_hh^T + b_hh  (B, G*H)   recurrent contribution
 * </pre>
 * and hands them to the cell's {@link #cellForward}, which applies the gates. Backward walks the
 * window from t = T-1 down to 0 (backpropagation through time), carrying dh (and dc) from each
 * step into the one before it; the cell's {@link #cellBackward} turns (dh_t, dc_t) into dGi, dGh.
 *
 * <p>Parameters, in PyTorch's names: weight_ih_l{k} (G*H, In), weight_hh_l{k} (G*H, H),
 * bias_ih_l{k} (G*H), bias_hh_l{k} (G*H).
 */
abstract class RecurrentLayer {
    final int inputSize;
    final int hiddenSize;
    final int gates;
    final Param weightIh;   // (G*H, In)
    final Param weightHh;   // (G*H, H)
    final Param biasIh;     // (G*H)
    final Param biasHh;     // (G*H)

    RecurrentLayer(int layerIndex, int inputSize, int hiddenSize, int gates, boolean withGradients) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.gates = gates;
        int gh = gates * hiddenSize;
        weightIh = Param.matrix("rnn.weight_ih_l" + layerIndex, gh, inputSize, withGradients);
        weightHh = Param.matrix("rnn.weight_hh_l" + layerIndex, gh, hiddenSize, withGradients);
        biasIh = Param.vector("rnn.bias_ih_l" + layerIndex, gh, withGradients);
        biasHh = Param.vector("rnn.bias_hh_l" + layerIndex, gh, withGradients);
    }

    static RecurrentLayer create(CellType cell, int layerIndex, int inputSize, int hiddenSize, boolean withGradients) {
        switch (cell) {
            case RNN: return new RnnCell(layerIndex, inputSize, hiddenSize, withGradients);
            case LSTM: return new LstmCell(layerIndex, inputSize, hiddenSize, withGradients);
            case GRU: return new GruCell(layerIndex, inputSize, hiddenSize, withGradients);
            default: throw new IllegalArgumentException(String.valueOf(cell));
        }
    }

    boolean hasCellState() {
        return false;
    }

    Param[] params() {
        return new Param[] {weightIh, weightHh, biasIh, biasHh};
    }

    /**
     * Applies the cell at step t: reads gi, gh (B, G*H) and tr.h[t] (and tr.c[t]), writes
     * tr.h[t+1] (and tr.c[t+1]) and whatever the backward pass needs into tr.
     */
    abstract void cellForward(int t, DMatrixRMaj gi, DMatrixRMaj gh, LayerTrace tr);

    /**
     * The cell's backward at step t. Given dh = dL/dh_{t+1}'s total (and for an LSTM dc, what
     * dL/dc_{t+1} the later steps sent, to which the cell adds the part through h_{t+1}), writes
     * dGi, dGh (B, G*H), the part of dL/dh_t that does not flow through W_hh into dhPrev (zero for
     * RNN and LSTM, z * dh for a GRU), and dL/dc_t into dcPrev.
     */
    abstract void cellBackward(int t, LayerTrace tr, DMatrixRMaj dh, DMatrixRMaj dc,
                               DMatrixRMaj dGi, DMatrixRMaj dGh, DMatrixRMaj dhPrev, DMatrixRMaj dcPrev);

    /** Runs the layer over a window, starting from tr.h[0] (and tr.c[0]). */
    final void forward(LayerInput x, LayerTrace tr) {
        for (int t = 0; t < tr.steps; t++) {
            x.project(weightIh, biasIh, t, tr.gi);                       // gi_t = x_t W_ih^T + b_ih
            CommonOps_DDRM.multTransB(tr.h[t], weightHh.value, tr.gh);   // gh_t = h_t W_hh^T + b_hh
            LayerInput.addBiasRows(biasHh.w, tr.gh);
            cellForward(t, tr.gi, tr.gh, tr);
        }
    }

    /**
     * The writing path's single step of one stream ({@link CharRnn#step}): {@link #forward}'s two
     * affine maps on transposed weights, then the cell. {@code below} is the layer below's h_t, or
     * null for layer 0, which reads x's symbol; then weightIhT is null too.
     */
    final void step(LayerInput x, DMatrixRMaj below, LayerTrace tr, DMatrixRMaj weightIhT, DMatrixRMaj weightHhT) {
        if (below == null) {
            x.project(weightIh, biasIh, 0, tr.gi);
        } else {
            CommonOps_DDRM.mult(below, weightIhT, tr.gi);
            LayerInput.addBiasRows(biasIh.w, tr.gi);
        }
        CommonOps_DDRM.mult(tr.h[0], weightHhT, tr.gh);
        LayerInput.addBiasRows(biasHh.w, tr.gh);
        cellForward(0, tr.gi, tr.gh, tr);
    }

    /**
     * Backpropagation through time over the window last run by {@link #forward}. dhOut[t] (B, H)
     * is dL/dh_{t+1} arriving from above (decoder or next layer); when dxOut is not null, dL/dx_t is
     * written into dxOut[t]. What reaches the carried-in state h_0 is dropped: truncated BPTT.
     */
    final void backward(LayerInput x, LayerTrace tr, DMatrixRMaj[] dhOut, DMatrixRMaj[] dxOut) {
        Carry carry = new Carry(tr.batch, hiddenSize);
        for (int t = tr.steps - 1; t >= 0; t--) backwardStep(t, x, tr, dhOut[t], dxOut == null ? null : dxOut[t], carry);
    }

    /**
     * One step of {@link #backward}, at step t of the window (run t = T-1 down to 0): adds
     * dhFromAbove (B, H), the gradient arriving at h_{t+1} from above, to what the carry brings from
     * the steps after t; the cell's backward turns that into the gate gradients dGi, dGh (left in
     * tr.gi, tr.gh until the next step); this step's share of dW_hh, db_hh, dW_ih, db_ih is added;
     * and the carry is left holding what flows on to step t-1. {@link BackwardSteps} runs it one
     * step at a time to show a learner each of these.
     */
    final void backwardStep(int t, LayerInput x, LayerTrace tr, DMatrixRMaj dhFromAbove, DMatrixRMaj dx, Carry carry) {
        DMatrixRMaj dGi = tr.gi;   // the forward buffers are free now
        DMatrixRMaj dGh = tr.gh;
        CommonOps_DDRM.addEquals(carry.dh, dhFromAbove);                 // dL/dh_{t+1}, all of it
        cellBackward(t, tr, carry.dh, carry.dc, dGi, dGh, carry.dhPrev, carry.dcPrev);
        if (tr.observer != null) {
            tr.observer.atStep(tr.layerIndex, t, carry.dh, tr.c == null ? null : carry.dc);
            tr.observer.atInput(tr.layerIndex, t, dGi);
        }
        // recurrent path: gh_t = h_t W_hh^T + b_hh
        CommonOps_DDRM.multAddTransA(dGh, tr.h[t], weightHh.grad);       // dW_hh += dGh^T h_t
        LayerInput.addColumnSums(dGh, biasHh.dw);
        CommonOps_DDRM.multAdd(dGh, weightHh.value, carry.dhPrev);       // dL/dh_t through W_hh
        // input path: gi_t = x_t W_ih^T + b_ih
        x.backprop(weightIh, biasIh, t, dGi, dx);
        carry.dh.setTo(carry.dhPrev);                                    // on to step t-1
        carry.dc.setTo(carry.dcPrev);
    }

    /**
     * What BPTT carries from a step back to the step before it, for B streams: dL/dh (and an
     * LSTM's dL/dc) of the state that earlier step produced. Zero at the window's end: nothing flows
     * back from beyond the window.
     */
    static final class Carry {
        final DMatrixRMaj dh;       // (B, H) dL/dh_{t+1}: from the steps after t, then plus what arrives from above
        final DMatrixRMaj dc;       // (B, H) dL/dc_{t+1}, LSTM only: from the steps after t, then plus the part through h_{t+1}
        final DMatrixRMaj dhPrev;   // (B, H) dL/dh_t, built by step t for step t-1
        final DMatrixRMaj dcPrev;   // (B, H) dL/dc_t, likewise

        Carry(int batch, int hiddenSize) {
            dh = new DMatrixRMaj(batch, hiddenSize);
            dc = new DMatrixRMaj(batch, hiddenSize);
            dhPrev = new DMatrixRMaj(batch, hiddenSize);
            dcPrev = new DMatrixRMaj(batch, hiddenSize);
        }
    }

    static double frobenius(DMatrixRMaj m) {
        double s = 0;
        for (int i = 0; i < m.getNumElements(); i++) s += m.data[i] * m.data[i];
        return Math.sqrt(s);
    }

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }
}
