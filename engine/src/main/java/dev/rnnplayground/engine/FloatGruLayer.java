package dev.rnnplayground.engine;

import dev.rnnplayground.core.model.Param;
import java.util.List;

/**
 * core's {@code GruCell} in float32, gates in PyTorch's order r, z, n:
 * n = tanh(W_in x + b_in + r * (W_hn h + b_hn)); h_t = (1 - z) * n + z * h_{t-1}.
 */
final class FloatGruLayer extends FloatLayer {

    FloatGruLayer(List<Param> reference, int inputSize, int hiddenSize, boolean bottom) {
        super(reference, inputSize, hiddenSize, 3, bottom);
    }

    @Override
    boolean hasDirectPath() {
        return true;
    }

    @Override
    void cellForward(int t, LayerBuffers b) {
        int hs = hiddenSize, width = 3 * hs, n = b.batch * hs, prev = t * n, next = (t + 1) * n;
        float[] pre = b.pre, in = b.input, bi = b.biasIn, bh = b.biasRec, hn = b.hiddenPart, h = b.hidden;
        for (int s = 0; s < b.batch; s++) {
            int row = s * width, u = s * hs;
            for (int k = 0; k < 2 * hs; k++) pre[row + k] += in[row + k] + bi[k] + bh[k];
            FastMath.sigmoid(pre, row, row + 2 * hs);            // reset and update gates
            for (int j = 0; j < hs; j++) {
                int k = row + 2 * hs + j;
                float hiddenPart = pre[k] + bh[2 * hs + j];        // W_hn h + b_hn
                hn[prev + u + j] = hiddenPart;
                pre[k] = in[k] + bi[2 * hs + j] + pre[row + j] * hiddenPart;
            }
            FastMath.tanh(pre, row + 2 * hs, row + width);       // candidate
            for (int j = 0; j < hs; j++) {
                float updateGate = pre[row + hs + j], candidate = pre[row + 2 * hs + j];
                h[next + u + j] = (1 - updateGate) * candidate + updateGate * h[prev + u + j];
            }
        }
        System.arraycopy(pre, 0, b.act, t * b.batch * width, b.batch * width);
    }

    @Override
    void cellBackward(int t, LayerBuffers b) {
        int hs = hiddenSize, width = 3 * hs, n = b.batch * hs, prev = t * n;
        float[] act = b.act, hn = b.hiddenPart, h = b.hidden, dh = b.dh, dPre = b.dPre, dRec = b.dPreRec;
        int actBase = t * b.batch * width;
        for (int s = 0; s < b.batch; s++) {
            int row = s * width, u = s * hs, a = actBase + row;
            for (int j = 0; j < hs; j++) {
                float resetGate = act[a + j], updateGate = act[a + hs + j], candidate = act[a + 2 * hs + j];
                float g = dh[u + j];
                float dCandidate = g * (1 - updateGate);
                float dUpdate = g * (h[prev + u + j] - candidate);   // h_{t-1} - n
                dh[u + j] = g * updateGate;                           // the direct path z * h_{t-1}
                float pn = dCandidate * (1 - candidate * candidate);
                float pr = pn * hn[prev + u + j] * resetGate * (1 - resetGate);
                float pz = dUpdate * updateGate * (1 - updateGate);
                dPre[row + j] = pr;
                dRec[row + j] = pr;
                dPre[row + hs + j] = pz;
                dRec[row + hs + j] = pz;
                dPre[row + 2 * hs + j] = pn;
                dRec[row + 2 * hs + j] = pn * resetGate;
            }
        }
    }
}
