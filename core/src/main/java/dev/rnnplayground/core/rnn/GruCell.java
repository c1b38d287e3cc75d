package dev.rnnplayground.core.rnn;

import org.ejml.data.DMatrixRMaj;

/**
 * Gated recurrent unit (Cho et al., 2014), exactly as {@code torch.nn.GRU}, gates stacked in the
 * order r, z, n:
 * <pre>
 *   r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)            reset gate
 *   z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)            update gate
 *   n = tanh(W_in x + b_in + r * (W_hn h + b_hn))         new gate (candidate)
 *   h_t = (1 - z) * n + z * h_{t-1}
 * </pre>
 * Note that, as in PyTorch (and cuDNN), the reset gate multiplies (W_hn h + b_hn), bias included.
 * The term z * h_{t-1} gives the gradient a path with no weight matrix, like the LSTM's cell.
 */
final class GruCell extends RecurrentLayer {

    GruCell(int layerIndex, int inputSize, int hiddenSize, boolean withGradients) {
        super(layerIndex, inputSize, hiddenSize, 3, withGradients);
    }

    @Override
    void cellForward(int t, DMatrixRMaj gi, DMatrixRMaj gh, LayerTrace tr) {
        int hs = hiddenSize, width = 3 * hs;
        double[] a = gi.data, b = gh.data, act = tr.gates[t].data, hnPart = tr.extra[t].data;
        double[] hPrev = tr.h[t].data, h = tr.h[t + 1].data;
        for (int s = 0; s < tr.batch; s++) {
            int row = s * width;
            for (int j = 0; j < hs; j++) {
                int k = row + j;
                int u = s * hs + j;
                double resetGate = sigmoid(a[k] + b[k]);
                double updateGate = sigmoid(a[k + hs] + b[k + hs]);
                double hiddenPart = b[k + 2 * hs];            // W_hn h + b_hn
                double candidate = Math.tanh(a[k + 2 * hs] + resetGate * hiddenPart);
                act[k] = resetGate;
                act[k + hs] = updateGate;
                act[k + 2 * hs] = candidate;
                hnPart[u] = hiddenPart;
                h[u] = (1 - updateGate) * candidate + updateGate * hPrev[u];
            }
        }
    }

    @Override
    void cellBackward(int t, LayerTrace tr, DMatrixRMaj dh, DMatrixRMaj dc,
                      DMatrixRMaj dGi, DMatrixRMaj dGh, DMatrixRMaj dhPrev, DMatrixRMaj dcPrev) {
        int hs = hiddenSize, width = 3 * hs;
        double[] act = tr.gates[t].data, hnPart = tr.extra[t].data, hPrev = tr.h[t].data;
        double[] g = dh.data, di = dGi.data, dr = dGh.data, dhp = dhPrev.data;
        for (int s = 0; s < tr.batch; s++) {
            int row = s * width;
            for (int j = 0; j < hs; j++) {
                int k = row + j;
                int u = s * hs + j;
                double resetGate = act[k], updateGate = act[k + hs], candidate = act[k + 2 * hs];
                double dCandidate = g[u] * (1 - updateGate);
                double dUpdate = g[u] * (hPrev[u] - candidate);
                dhp[u] = g[u] * updateGate;                   // the direct path z * h_{t-1}
                double pn = dCandidate * (1 - candidate * candidate);
                double dReset = pn * hnPart[u];
                double pr = dReset * resetGate * (1 - resetGate);
                double pz = dUpdate * updateGate * (1 - updateGate);
                di[k] = pr; dr[k] = pr;
                di[k + hs] = pz; dr[k + hs] = pz;
                di[k + 2 * hs] = pn;
                dr[k + 2 * hs] = pn * resetGate;
            }
        }
    }
}
