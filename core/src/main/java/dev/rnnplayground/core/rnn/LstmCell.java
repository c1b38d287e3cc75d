package dev.rnnplayground.core.rnn;

import org.ejml.data.DMatrixRMaj;

/**
 * Long short-term memory (Hochreiter and Schmidhuber, 1997, with the forget gate of Gers et al.,
 * 2000), exactly as {@code torch.nn.LSTM}, gates stacked in the order i, f, g, o:
 * <pre>
 *   i = sigmoid(W_ii x + b_ii + W_hi h + b_hi)     input gate
 *   f = sigmoid(W_if x + b_if + W_hf h + b_hf)     forget gate
 *   g = tanh   (W_ig x + b_ig + W_hg h + b_hg)     candidate cell
 *   o = sigmoid(W_io x + b_io + W_ho h + b_ho)     output gate
 *   c_t = f * c_{t-1} + i * g
 *   h_t = o * tanh(c_t)
 * </pre>
 * The cell state is the fix for vanishing gradients: dc_{t-1} = f * dc_t is an elementwise
 * product with no weight matrix and no squashing, so with f near 1 the gradient travels far.
 */
final class LstmCell extends RecurrentLayer {

    LstmCell(int layerIndex, int inputSize, int hiddenSize, boolean withGradients) {
        super(layerIndex, inputSize, hiddenSize, 4, withGradients);
    }

    @Override
    boolean hasCellState() {
        return true;
    }

    @Override
    void cellForward(int t, DMatrixRMaj gi, DMatrixRMaj gh, LayerTrace tr) {
        int hs = hiddenSize, width = 4 * hs;
        double[] a = gi.data, b = gh.data, act = tr.gates[t].data;
        double[] cPrev = tr.c[t].data, c = tr.c[t + 1].data, h = tr.h[t + 1].data;
        for (int s = 0; s < tr.batch; s++) {
            int row = s * width;
            for (int j = 0; j < hs; j++) {
                int k = row + j;
                double inputGate = sigmoid(a[k] + b[k]);
                double forgetGate = sigmoid(a[k + hs] + b[k + hs]);
                double candidate = Math.tanh(a[k + 2 * hs] + b[k + 2 * hs]);
                double outputGate = sigmoid(a[k + 3 * hs] + b[k + 3 * hs]);
                act[k] = inputGate;
                act[k + hs] = forgetGate;
                act[k + 2 * hs] = candidate;
                act[k + 3 * hs] = outputGate;
                int u = s * hs + j;
                c[u] = forgetGate * cPrev[u] + inputGate * candidate;
                h[u] = outputGate * Math.tanh(c[u]);
            }
        }
    }

    @Override
    void cellBackward(int t, LayerTrace tr, DMatrixRMaj dh, DMatrixRMaj dc,
                      DMatrixRMaj dGi, DMatrixRMaj dGh, DMatrixRMaj dhPrev, DMatrixRMaj dcPrev) {
        int hs = hiddenSize, width = 4 * hs;
        double[] act = tr.gates[t].data, cPrev = tr.c[t].data, c = tr.c[t + 1].data;
        double[] gH = dh.data, gC = dc.data, di = dGi.data, dr = dGh.data, dcp = dcPrev.data;
        for (int s = 0; s < tr.batch; s++) {
            int row = s * width;
            for (int j = 0; j < hs; j++) {
                int k = row + j;
                int u = s * hs + j;
                double inputGate = act[k], forgetGate = act[k + hs];
                double candidate = act[k + 2 * hs], outputGate = act[k + 3 * hs];
                double tanhC = Math.tanh(c[u]);
                double dOutput = gH[u] * tanhC;
                gC[u] += gH[u] * outputGate * (1 - tanhC * tanhC);   // dL/dc_{t+1}: from later steps and through h_{t+1}
                double dCell = gC[u];
                double dInput = dCell * candidate;
                double dForget = dCell * cPrev[u];
                double dCandidate = dCell * inputGate;
                dcp[u] = dCell * forgetGate;
                // through the nonlinearities to the pre-activations, shared by gi and gh
                double pi = dInput * inputGate * (1 - inputGate);
                double pf = dForget * forgetGate * (1 - forgetGate);
                double pg = dCandidate * (1 - candidate * candidate);
                double po = dOutput * outputGate * (1 - outputGate);
                di[k] = pi; dr[k] = pi;
                di[k + hs] = pf; dr[k + hs] = pf;
                di[k + 2 * hs] = pg; dr[k + 2 * hs] = pg;
                di[k + 3 * hs] = po; dr[k + 3 * hs] = po;
            }
        }
        dhPrev.zero();
    }
}
