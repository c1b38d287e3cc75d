package dev.rnnplayground.engine;

import dev.rnnplayground.core.Param;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * core's {@code LstmCell} in float32, gates in PyTorch's order i, f, g, o:
 * c_t = f * c_{t-1} + i * g; h_t = o * tanh(c_t).
 */
final class FloatLstmLayer extends FloatLayer {

    FloatLstmLayer(List<Param> reference, int inputSize, int hiddenSize, boolean bottom) {
        super(reference, inputSize, hiddenSize, 4, bottom);
    }

    @Override
    void cellForward(int t, LayerBuffers b, FloatArray projections) {
        int hs = hiddenSize, width = 4 * hs;
        FloatBuffer gi = projections.buf, gh = b.gh.buf, act = b.act.buf, c = b.c.buf, h = b.h.buf;
        FloatBuffer tanhC = b.tanhC.buf, bi = biasIh.w.buf, bh = biasHh.w.buf;
        for (int s = 0; s < b.batch; s++) {
            int row = t * b.batch + s, in = b.giRow[row], k = row * width;
            int prev = row * hs, next = (row + b.batch) * hs;
            for (int j = 0; j < hs; j++) {
                float inputGate = FastMath.sigmoid(gi.get(in + j) + bi.get(j) + gh.get(k + j) + bh.get(j));
                int f = j + hs, g = j + 2 * hs, o = j + 3 * hs;
                float forgetGate = FastMath.sigmoid(gi.get(in + f) + bi.get(f) + gh.get(k + f) + bh.get(f));
                float candidate = FastMath.tanh(gi.get(in + g) + bi.get(g) + gh.get(k + g) + bh.get(g));
                float outputGate = FastMath.sigmoid(gi.get(in + o) + bi.get(o) + gh.get(k + o) + bh.get(o));
                act.put(k + j, inputGate);
                act.put(k + f, forgetGate);
                act.put(k + g, candidate);
                act.put(k + o, outputGate);
                float cell = forgetGate * c.get(prev + j) + inputGate * candidate;
                float tc = FastMath.tanh(cell);
                c.put(next + j, cell);
                tanhC.put(prev + j, tc);
                h.put(next + j, outputGate * tc);
            }
        }
    }

    @Override
    void cellBackward(int t, LayerBuffers b, FloatArray dOut) {
        int hs = hiddenSize, width = 4 * hs;
        FloatBuffer act = b.act.buf, c = b.c.buf, tanhC = b.tanhC.buf, up = dOut.buf;
        FloatBuffer dhNext = b.dhNext.buf, dcNext = b.dcNext.buf, dPre = b.dGi.buf;
        for (int s = 0; s < b.batch; s++) {
            int row = t * b.batch + s, k = row * width, u = row * hs;
            for (int j = 0; j < hs; j++) {
                int f = j + hs, g = j + 2 * hs, o = j + 3 * hs;
                float inputGate = act.get(k + j), forgetGate = act.get(k + f);
                float candidate = act.get(k + g), outputGate = act.get(k + o);
                float tc = tanhC.get(u + j);
                float dh = up.get(u + j) + dhNext.get(s * hs + j);
                float dOutput = dh * tc;
                float dCell = dcNext.get(s * hs + j) + dh * outputGate * (1 - tc * tc);
                float dInput = dCell * candidate;
                float dForget = dCell * c.get(u + j);   // c_{t-1}
                float dCandidate = dCell * inputGate;
                dcNext.put(s * hs + j, dCell * forgetGate);
                dPre.put(k + j, dInput * inputGate * (1 - inputGate));
                dPre.put(k + f, dForget * forgetGate * (1 - forgetGate));
                dPre.put(k + g, dCandidate * (1 - candidate * candidate));
                dPre.put(k + o, dOutput * outputGate * (1 - outputGate));
            }
        }
    }
}
