package dev.rnnplayground.engine;

/**
 * tanh, sigmoid, exp and GELU (through erf) in float32, written so that HotSpot turns the array loops into SIMD
 * code: after the products, the gates' nonlinearities are where a training step spends its time,
 * and {@code Math.tanh} costs about 50 ns a call. Accurate to about 3e-7 (absolute).
 *
 * <p>tanh is Eigen's rational approximation (a degree-13 odd polynomial over a degree-6 even one,
 * on x clamped to [-7.9, 7.9], where float32 tanh is already ±1); sigmoid(x) = (1 + tanh(x/2))/2.
 * Only additions, multiplications, a division and min/max: all of them vectorise.
 */
final class FastMath {
    private static final float TANH_CLAMP = 7.90531110763549805f;
    private static final float LOG2E = 1.44269504f;
    private static final float ROUNDING_BIAS = 12582912f;   // 1.5 * 2^23: adding it rounds to an integer

    private FastMath() {
    }

    static float tanh(float x) {
        float v = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, x));
        float x2 = v * v;
        float p = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
        p = p * x2 + -8.60467152213735e-11f;
        p = p * x2 + 5.12229709037114e-08f;
        p = p * x2 + 1.48572235717979e-05f;
        p = p * x2 + 6.37261928875436e-04f;
        p = p * x2 + 4.89352455891786e-03f;
        float q = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
        q = q * x2 + 2.26843463243900e-03f;
        q = q * x2 + 4.89352518554385e-03f;
        return p * v / q;
    }

    static float sigmoid(float x) {
        return 0.5f + 0.5f * tanh(0.5f * x);
    }

    /** a[from..to) = tanh(a[from..to)). */
    static void tanh(float[] a, int from, int to) {
        for (int i = from; i < to; i++) a[i] = tanh(a[i]);
    }

    /** a[from..to) = sigmoid(a[from..to)). */
    static void sigmoid(float[] a, int from, int to) {
        for (int i = from; i < to; i++) a[i] = sigmoid(a[i]);
    }

    /**
     * exp(x) = 2^n * 2^f with n = round(x / ln 2): 2^n is built in the exponent bits, 2^f for
     * f in [-1/2, 1/2] is a degree-7 polynomial (relative error below 1e-6). For the softmax.
     */
    static float exp(float x) {
        float v = Math.max(-87f, Math.min(88f, x));
        float biased = v * LOG2E + ROUNDING_BIAS;
        int n = Float.floatToRawIntBits(biased) - 0x4B400000;   // round(v * log2 e)
        float f = v * LOG2E - (biased - ROUNDING_BIAS);          // in [-1/2, 1/2]
        float p = 1.5252733e-5f;
        p = p * f + 1.5403530e-4f;
        p = p * f + 1.3333558e-3f;
        p = p * f + 9.6181291e-3f;
        p = p * f + 5.5504109e-2f;
        p = p * f + 2.4022651e-1f;
        p = p * f + 6.9314718e-1f;
        p = p * f + 1.0f;
        return p * Float.intBitsToFloat((n + 127) << 23);
    }

    private static final float EXP_FLOOR = -30f;   // exp(-30) = 9e-14: nothing beside a term of 1

    /**
     * exp(x) for x <= 0 with multiplications and additions only, so that a loop of it vectorises
     * (the bit tricks of {@link #exp(float)} keep HotSpot 17 from vectorising, measured ~14x
     * slower): e^x = (e^(x/32))^32, e^(x/32) for x/32 in [-0.94, 0] by its Taylor polynomial of
     * degree 9, then five squarings. Relative error below 3e-6 for x >= -5, 4e-6 down to -10, 2e-5
     * down to -30, below which x counts as -30 (measured in steps of 1e-5). For the
     * attention's softmax and GELU's gradient, whose arguments are never positive.
     */
    static float expNonPositive(float x) {
        float v = Math.max(x, EXP_FLOOR) * (1f / 32);
        float p = 1f / 362880;
        p = p * v + 1f / 40320;
        p = p * v + 1f / 5040;
        p = p * v + 1f / 720;
        p = p * v + 1f / 120;
        p = p * v + 1f / 24;
        p = p * v + 1f / 6;
        p = p * v + 0.5f;
        p = p * v + 1f;
        p = p * v + 1f;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        return p * p;
    }

    private static final float SQRT_HALF = 0.70710678118654752f;
    private static final float INV_SQRT_2PI = 0.39894228040143268f;

    /**
     * erf(x), Eigen's float rational approximation (a degree-13 odd polynomial over a degree-8
     * even one, on x clamped to [-4, 4], where float32 erf is already ±1). For GELU.
     */
    static float erf(float x) {
        float v = Math.max(-4f, Math.min(4f, x));
        float x2 = v * v;
        float p = x2 * -2.72614225801306e-10f + 2.77068142495902e-08f;
        p = p * x2 + -2.10102402082508e-06f;
        p = p * x2 + -5.69250639462346e-05f;
        p = p * x2 + -7.34990630326855e-04f;
        p = p * x2 + -2.95459980854025e-03f;
        p = p * x2 + -1.60960333262415e-02f;
        float q = x2 * -1.45660718464996e-05f + -2.13374055278905e-04f;
        q = q * x2 + -1.68282697438203e-03f;
        q = q * x2 + -7.37332916720468e-03f;
        q = q * x2 + -1.42647390514189e-02f;
        return v * p / q;
    }

    /** GELU, the exact (erf) form nanoGPT's nn.GELU() computes: x * Phi(x) = x/2 * (1 + erf(x/sqrt 2)). */
    static float gelu(float x) {
        return 0.5f * x * (1f + erf(x * SQRT_HALF));
    }

    /** out[i] = gelu(x[i]) for i < n. */
    static void gelu(float[] x, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = gelu(x[i]);
    }

    /**
     * grad[i] *= gelu'(x[i]) for i < n, where gelu'(x) = Phi(x) + x * phi(x), phi the standard
     * normal density; density (n floats) is scratch. Two loops, because HotSpot 17 vectorises each
     * alone but not erf and exp together in one (measured: 30 ns an element against 1).
     */
    static void geluBackward(float[] x, float[] grad, float[] density, int n) {
        for (int i = 0; i < n; i++) density[i] = x[i] * INV_SQRT_2PI * expNonPositive(-0.5f * x[i] * x[i]);
        for (int i = 0; i < n; i++) grad[i] *= 0.5f * (1f + erf(x[i] * SQRT_HALF)) + density[i];
    }
}
