package dev.rnnplayground.core.gpt;

/**
 * Layer normalisation (Ba et al., 2016), as {@code nn.LayerNorm(C, eps=1e-5)}: each row is shifted
 * to mean 0 and scaled to variance 1 (the biased variance), then scaled and shifted per channel:
 * <pre>
 *   mean = sum(x) / C,  rstd = 1 / sqrt(sum((x - mean)^2) / C + 1e-5)
 *   y_i  = (x_i - mean) * rstd * weight_i + bias_i
 * </pre>
 * The bias is null in a model without biases (nanoGPT's bias=False). llm.c's
 * {@code layernorm_forward} and {@code layernorm_backward}.
 */
final class LayerNorm {
    static final double EPSILON = 1e-5;

    private LayerNorm() {
    }

    /**
     * @param out    (R, C) output
     * @param mean   (R) output: each row's mean, kept for backward
     * @param rstd   (R) output: each row's 1/standard deviation, kept for backward
     * @param in     (R, C) not modified
     * @param weight (C), bias (C) or null: not modified
     */
    static void forward(double[] out, double[] mean, double[] rstd, double[] in, double[] weight, double[] bias,
                        int rows, int channels) {
        for (int r = 0; r < rows; r++) {
            int row = r * channels;
            double m = 0;
            for (int i = 0; i < channels; i++) m += in[row + i];
            m /= channels;
            double variance = 0;
            for (int i = 0; i < channels; i++) {
                double d = in[row + i] - m;
                variance += d * d;
            }
            variance /= channels;
            double s = 1 / Math.sqrt(variance + EPSILON);
            for (int i = 0; i < channels; i++) {
                double normalised = (in[row + i] - m) * s;
                out[row + i] = normalised * weight[i] + (bias == null ? 0 : bias[i]);
            }
            mean[r] = m;
            rstd[r] = s;
        }
    }

    /**
     * Adds into din (R, C), dweight (C) and dbias (C, or null) the gradients that dout (R, C)
     * implies, from forward's input, mean and rstd (not modified).
     */
    static void backward(double[] din, double[] dweight, double[] dbias, double[] dout, double[] in, double[] weight,
                         double[] mean, double[] rstd, int rows, int channels) {
        for (int r = 0; r < rows; r++) {
            int row = r * channels;
            // the two means the normalisation's gradient subtracts: of dnorm and of dnorm * norm
            double dnormMean = 0, dnormNormMean = 0;
            for (int i = 0; i < channels; i++) {
                double normalised = (in[row + i] - mean[r]) * rstd[r];
                double dnorm = weight[i] * dout[row + i];
                dnormMean += dnorm;
                dnormNormMean += dnorm * normalised;
            }
            dnormMean /= channels;
            dnormNormMean /= channels;
            for (int i = 0; i < channels; i++) {
                double normalised = (in[row + i] - mean[r]) * rstd[r];
                double dnorm = weight[i] * dout[row + i];
                if (dbias != null) dbias[i] += dout[row + i];
                dweight[i] += normalised * dout[row + i];
                din[row + i] += (dnorm - dnormMean - normalised * dnormNormMean) * rstd[r];
            }
        }
    }
}
