package dev.rnnplayground.engine;

import dev.rnnplayground.core.model.Param;
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
    void cellForward(int t, LayerBuffers b) {
        int hs = hiddenSize, width = 4 * hs, n = b.batch * hs;
        float[] pre = b.pre, in = b.input, bi = b.biasIn, bh = b.biasRec;
        for (int s = 0; s < b.batch; s++) {
            int row = s * width;
            for (int k = 0; k < width; k++) pre[row + k] += in[row + k] + bi[k] + bh[k];
            FastMath.sigmoid(pre, row, row + 2 * hs);            // input and forget gates
            FastMath.tanh(pre, row + 2 * hs, row + 3 * hs);      // candidate
            FastMath.sigmoid(pre, row + 3 * hs, row + width);    // output gate
        }
        System.arraycopy(pre, 0, b.act, t * b.batch * width, b.batch * width);
        float[] c = b.cell, tanhC = b.tanhCell, h = b.hidden;
        int prev = t * n, next = (t + 1) * n;
        for (int s = 0; s < b.batch; s++) {
            int row = s * width, u = s * hs;
            for (int j = 0; j < hs; j++) {
                float inputGate = pre[row + j], forgetGate = pre[row + hs + j];
                float candidate = pre[row + 2 * hs + j], outputGate = pre[row + 3 * hs + j];
                float cell = forgetGate * c[prev + u + j] + inputGate * candidate;
                c[next + u + j] = cell;
                tanhC[prev + u + j] = cell;
            }
        }
        FastMath.tanh(tanhC, prev, prev + n);
        for (int s = 0; s < b.batch; s++) {
            int row = s * width + 3 * hs, u = s * hs;
            for (int j = 0; j < hs; j++) h[next + u + j] = pre[row + j] * tanhC[prev + u + j];
        }
    }

    @Override
    void cellBackward(int t, LayerBuffers b) {
        int hs = hiddenSize, width = 4 * hs, n = b.batch * hs, prev = t * n;
        float[] act = b.act, c = b.cell, tanhC = b.tanhCell, dh = b.dh, dc = b.dc, dPre = b.dPre;
        int actBase = t * b.batch * width;
        for (int s = 0; s < b.batch; s++) {
            int row = s * width, u = s * hs, a = actBase + row;
            for (int j = 0; j < hs; j++) {
                float inputGate = act[a + j], forgetGate = act[a + hs + j];
                float candidate = act[a + 2 * hs + j], outputGate = act[a + 3 * hs + j];
                float tc = tanhC[prev + u + j], g = dh[u + j];
                float dOutput = g * tc;
                float dCell = dc[u + j] + g * outputGate * (1 - tc * tc);
                float dInput = dCell * candidate;
                float dForget = dCell * c[prev + u + j];   // c_{t-1}
                float dCandidate = dCell * inputGate;
                dc[u + j] = dCell * forgetGate;
                dPre[row + j] = dInput * inputGate * (1 - inputGate);
                dPre[row + hs + j] = dForget * forgetGate * (1 - forgetGate);
                dPre[row + 2 * hs + j] = dCandidate * (1 - candidate * candidate);
                dPre[row + 3 * hs + j] = dOutput * outputGate * (1 - outputGate);
            }
        }
    }
}
