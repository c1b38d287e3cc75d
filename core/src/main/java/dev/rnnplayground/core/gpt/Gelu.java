package dev.rnnplayground.core.gpt;

/**
 * The exact GELU (Hendrycks and Gimpel, 2016), {@code nn.GELU()} with its default
 * approximate='none', as nanoGPT's MLP uses it:
 * <pre>
 *   gelu(x)  = x * Phi(x) = 0.5 * x * (1 + erf(x / sqrt(2)))
 *   gelu'(x) = Phi(x) + x * phi(x),   phi(x) = exp(-x^2 / 2) / sqrt(2 pi)
 * </pre>
 * (llm.c uses the tanh approximation; GPT-2 did too, nanoGPT does not.)
 */
public final class Gelu {
    private static final double INV_SQRT2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;

    private Gelu() {
    }

    /** out[i] = gelu(in[i]) for the first n values; in is not modified. */
    public static void forward(double[] out, double[] in, int n) {
        for (int i = 0; i < n; i++) out[i] = 0.5 * in[i] * (1 + Erf.erf(in[i] * INV_SQRT2));
    }

    /** din[i] += gelu'(in[i]) * dout[i]. */
    public static void backward(double[] din, double[] in, double[] dout, int n) {
        for (int i = 0; i < n; i++) {
            double x = in[i];
            double cdf = 0.5 * (1 + Erf.erf(x * INV_SQRT2));
            double pdf = Math.exp(-0.5 * x * x) * INV_SQRT_2PI;
            din[i] += (cdf + x * pdf) * dout[i];
        }
    }
}
