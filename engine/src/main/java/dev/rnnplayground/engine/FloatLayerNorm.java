package dev.rnnplayground.engine;

/**
 * nn.LayerNorm over the last dimension (C) of N rows, eps 1e-5, in float32 Java loops; backward
 * as llm.c's {@code layernorm_backward}, from the saved mean and 1/std of each row:
 * <pre>
 *   forward:  xhat = (x - mean) / sqrt(var + eps),  out = xhat * gamma + beta
 *   backward: g = dOut * gamma
 *             dx += (g - mean(g) - xhat * mean(g * xhat)) / sqrt(var + eps)
 *             dgamma += sum over rows of dOut * xhat,  dbeta += sum over rows of dOut
 * </pre>
 */
final class FloatLayerNorm {
    static final float EPS = 1e-5f;

    private FloatLayerNorm() {
    }

    /**
     * out (N x C, written) from x (N x C, not modified); gamma (C), beta (C, or null) not modified;
     * mean and rstd (N, written) keep each row's mean and 1/std for backward.
     */
    static void forward(float[] x, int rows, int c, float[] gamma, float[] beta, float[] out,
                        float[] mean, float[] rstd) {
        for (int r = 0; r < rows; r++) {
            int base = r * c;
            float sum = 0;
            for (int i = 0; i < c; i++) sum += x[base + i];
            float m = sum / c;
            float squares = 0;
            for (int i = 0; i < c; i++) {
                float d = x[base + i] - m;
                squares += d * d;
            }
            float s = (float) (1.0 / Math.sqrt(squares / c + EPS));
            for (int i = 0; i < c; i++) {
                float normalized = (x[base + i] - m) * s;
                out[base + i] = beta == null ? normalized * gamma[i] : normalized * gamma[i] + beta[i];
            }
            mean[r] = m;
            rstd[r] = s;
        }
    }

    /**
     * dx (N x C) += the gradient through the norm from dOut (N x C); dGamma (C) and dBeta (C, or
     * null) accumulate; x, gamma, mean and rstd as forward left them (not modified).
     */
    static void backward(float[] dOut, float[] x, int rows, int c, float[] gamma, float[] mean, float[] rstd,
                         float[] dx, float[] dGamma, float[] dBeta) {
        for (int r = 0; r < rows; r++) {
            int base = r * c;
            float m = mean[r], s = rstd[r];
            float gMean = 0, gXhatMean = 0;
            for (int i = 0; i < c; i++) {
                float xhat = (x[base + i] - m) * s;
                float g = dOut[base + i] * gamma[i];
                gMean += g;
                gXhatMean += g * xhat;
            }
            gMean /= c;
            gXhatMean /= c;
            for (int i = 0; i < c; i++) {
                float xhat = (x[base + i] - m) * s;
                float d = dOut[base + i];
                dGamma[i] += d * xhat;
                if (dBeta != null) dBeta[i] += d;
                dx[base + i] += (d * gamma[i] - gMean - xhat * gXhatMean) * s;
            }
        }
    }
}
