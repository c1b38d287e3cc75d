package dev.rnnplayground.engine;

import dev.rnnplayground.core.Param;
import java.nio.FloatBuffer;
import java.util.List;

/** core's {@code RnnCell} in float32: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh). */
final class FloatRnnLayer extends FloatLayer {

    FloatRnnLayer(List<Param> reference, int inputSize, int hiddenSize, boolean bottom) {
        super(reference, inputSize, hiddenSize, 1, bottom);
    }

    @Override
    void cellForward(int t, LayerBuffers b, FloatArray projections) {
        int hs = hiddenSize;
        FloatBuffer gi = projections.buf, gh = b.gh.buf, h = b.h.buf, bi = biasIh.w.buf, bh = biasHh.w.buf;
        for (int s = 0; s < b.batch; s++) {
            int row = t * b.batch + s, in = b.giRow[row], rec = row * hs, out = (row + b.batch) * hs;
            for (int j = 0; j < hs; j++) {
                h.put(out + j, FastMath.tanh(gi.get(in + j) + bi.get(j) + gh.get(rec + j) + bh.get(j)));
            }
        }
    }

    @Override
    void cellBackward(int t, LayerBuffers b, FloatArray dOut) {
        int hs = hiddenSize;
        FloatBuffer h = b.h.buf, up = dOut.buf, dNext = b.dhNext.buf, dPre = b.dGi.buf;
        for (int s = 0; s < b.batch; s++) {
            int row = t * b.batch + s, u = row * hs, out = (row + b.batch) * hs;
            for (int j = 0; j < hs; j++) {
                float hv = h.get(out + j);
                float dh = up.get(u + j) + dNext.get(s * hs + j);
                dPre.put(u + j, dh * (1 - hv * hv));   // tanh'(x) = 1 - tanh(x)^2
            }
        }
    }
}
