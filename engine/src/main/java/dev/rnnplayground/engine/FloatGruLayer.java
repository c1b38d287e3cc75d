package dev.rnnplayground.engine;

import dev.rnnplayground.core.Param;
import java.nio.FloatBuffer;
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
    void cellForward(int t, LayerBuffers b, FloatArray projections) {
        int hs = hiddenSize, width = 3 * hs;
        FloatBuffer gi = projections.buf, gh = b.gh.buf, act = b.act.buf, h = b.h.buf;
        FloatBuffer bi = biasIh.w.buf, bh = biasHh.w.buf;
        for (int s = 0; s < b.batch; s++) {
            int row = t * b.batch + s, in = b.giRow[row], k = row * width;
            int prev = row * hs, next = (row + b.batch) * hs;
            for (int j = 0; j < hs; j++) {
                int z = j + hs, n = j + 2 * hs;
                float resetGate = FastMath.sigmoid(gi.get(in + j) + bi.get(j) + gh.get(k + j) + bh.get(j));
                float updateGate = FastMath.sigmoid(gi.get(in + z) + bi.get(z) + gh.get(k + z) + bh.get(z));
                float hiddenPart = gh.get(k + n) + bh.get(n);   // W_hn h + b_hn
                float candidate = FastMath.tanh(gi.get(in + n) + bi.get(n) + resetGate * hiddenPart);
                act.put(k + j, resetGate);
                act.put(k + z, updateGate);
                act.put(k + n, candidate);
                h.put(next + j, (1 - updateGate) * candidate + updateGate * h.get(prev + j));
            }
        }
    }

    @Override
    void cellBackward(int t, LayerBuffers b, FloatArray dOut) {
        int hs = hiddenSize, width = 3 * hs;
        FloatBuffer act = b.act.buf, gh = b.gh.buf, h = b.h.buf, up = dOut.buf, bh = biasHh.w.buf;
        FloatBuffer dhNext = b.dhNext.buf, dGi = b.dGi.buf, dGh = b.dGh.buf;
        for (int s = 0; s < b.batch; s++) {
            int row = t * b.batch + s, k = row * width, u = row * hs;
            for (int j = 0; j < hs; j++) {
                int z = j + hs, n = j + 2 * hs;
                float resetGate = act.get(k + j), updateGate = act.get(k + z), candidate = act.get(k + n);
                float hiddenPart = gh.get(k + n) + bh.get(n);
                float dh = up.get(u + j) + dhNext.get(s * hs + j);
                float dCandidate = dh * (1 - updateGate);
                float dUpdate = dh * (h.get(u + j) - candidate);   // h_{t-1} - n
                dhNext.put(s * hs + j, dh * updateGate);          // the direct path z * h_{t-1}
                float pn = dCandidate * (1 - candidate * candidate);
                float pr = pn * hiddenPart * resetGate * (1 - resetGate);
                float pz = dUpdate * updateGate * (1 - updateGate);
                dGi.put(k + j, pr);
                dGh.put(k + j, pr);
                dGi.put(k + z, pz);
                dGh.put(k + z, pz);
                dGi.put(k + n, pn);
                dGh.put(k + n, pn * resetGate);
            }
        }
    }
}
