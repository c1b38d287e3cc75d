package dev.rnnplayground.engine;

import dev.rnnplayground.core.model.Param;
import java.util.List;

/** core's {@code RnnCell} in float32: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh). */
final class FloatRnnLayer extends FloatLayer {

    FloatRnnLayer(List<Param> reference, int inputSize, int hiddenSize, boolean bottom) {
        super(reference, inputSize, hiddenSize, 1, bottom);
    }

    @Override
    void cellForward(int t, LayerBuffers b) {
        int hs = hiddenSize, n = b.batch * hs, next = (t + 1) * n;
        float[] pre = b.pre, in = b.input, bi = b.biasIn, bh = b.biasRec;
        for (int s = 0; s < b.batch; s++) {
            int row = s * hs;
            for (int j = 0; j < hs; j++) pre[row + j] += in[row + j] + bi[j] + bh[j];
        }
        FastMath.tanh(pre, 0, n);
        System.arraycopy(pre, 0, b.hidden, next, n);
    }

    @Override
    void cellBackward(int t, LayerBuffers b) {
        int n = b.batch * hiddenSize, next = (t + 1) * n;
        float[] h = b.hidden, dh = b.dh, dPre = b.dPre;
        for (int i = 0; i < n; i++) {
            float hv = h[next + i];
            dPre[i] = dh[i] * (1 - hv * hv);   // tanh'(x) = 1 - tanh(x)^2
        }
    }
}
