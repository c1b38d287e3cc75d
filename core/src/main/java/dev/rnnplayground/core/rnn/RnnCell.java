package dev.rnnplayground.core.rnn;

import org.ejml.data.DMatrixRMaj;

/**
 * The Elman ("vanilla") RNN cell, as {@code torch.nn.RNN} with the default tanh:
 * <pre>
 *   h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)
 * </pre>
 * Its gradient flowing back one step is multiplied by W_hh^T diag(1 - h_t^2): a product of T such
 * factors shrinks (or grows) geometrically, which is the vanishing (exploding) gradient problem
 * (Bengio, Simard and Frasconi, 1994).
 */
final class RnnCell extends RecurrentLayer {

    RnnCell(int layerIndex, int inputSize, int hiddenSize, boolean withGradients) {
        super(layerIndex, inputSize, hiddenSize, 1, withGradients);
    }

    @Override
    void cellForward(int t, DMatrixRMaj gi, DMatrixRMaj gh, LayerTrace tr) {
        double[] a = gi.data, b = gh.data, h = tr.h[t + 1].data, preActivation = tr.gates[t].data;
        for (int i = 0; i < h.length; i++) {
            preActivation[i] = a[i] + b[i];   // W_ih x_t + b_ih + W_hh h_{t-1} + b_hh
            h[i] = Math.tanh(preActivation[i]);
        }
    }

    @Override
    void cellBackward(int t, LayerTrace tr, DMatrixRMaj dh, DMatrixRMaj dc,
                      DMatrixRMaj dGi, DMatrixRMaj dGh, DMatrixRMaj dhPrev, DMatrixRMaj dcPrev) {
        double[] h = tr.h[t + 1].data, g = dh.data, di = dGi.data, dr = dGh.data;
        for (int i = 0; i < h.length; i++) {
            double dPre = g[i] * (1 - h[i] * h[i]);   // tanh'(x) = 1 - tanh(x)^2
            di[i] = dPre;
            dr[i] = dPre;
        }
        dhPrev.zero();   // all of dL/dh_{t-1} flows through W_hh
    }
}
