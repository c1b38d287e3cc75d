package dev.rnnplayground.engine;

import dev.rnnplayground.core.model.Param;
import java.util.List;

/**
 * One transformer block of {@link FloatGpt} (nanoGPT's {@code Block}), forward and backward side
 * by side, over all N rows of a window at once:
 * <pre>
 *   x = x + drop(c_proj(attention(ln_1(x))))
 *   x = x + drop(mlp.c_proj(gelu(mlp.c_fc(ln_2(x)))))
 * </pre>
 * Every Linear layer is one sgemm over the N rows ({@link FloatLinear}); the attention is
 * {@link FloatAttention}; LayerNorm and GELU are Java loops.
 */
final class FloatGptBlock {
    final FloatParam ln1Weight, ln1Bias;                  // (C), (C) or null
    final FloatParam attnWeight, attnBias;                // (3C, C), (3C)
    final FloatParam attnProjWeight, attnProjBias;        // (C, C), (C)
    final FloatParam ln2Weight, ln2Bias;                  // (C), (C)
    final FloatParam fcWeight, fcBias;                    // (4C, C), (4C)
    final FloatParam mlpProjWeight, mlpProjBias;          // (C, 4C), (C)
    private final GptShape shape;

    /** The block's parameters from {@code reference}, in core's order (nanoGPT's). */
    FloatGptBlock(GptShape shape, List<Param> reference) {
        this.shape = shape;
        int i = 0;
        boolean bias = shape.bias();
        ln1Weight = new FloatParam(reference.get(i++), false);
        ln1Bias = bias ? new FloatParam(reference.get(i++), false) : null;
        attnWeight = new FloatParam(reference.get(i++), false);
        attnBias = bias ? new FloatParam(reference.get(i++), false) : null;
        attnProjWeight = new FloatParam(reference.get(i++), false);
        attnProjBias = bias ? new FloatParam(reference.get(i++), false) : null;
        ln2Weight = new FloatParam(reference.get(i++), false);
        ln2Bias = bias ? new FloatParam(reference.get(i++), false) : null;
        fcWeight = new FloatParam(reference.get(i++), false);
        fcBias = bias ? new FloatParam(reference.get(i++), false) : null;
        mlpProjWeight = new FloatParam(reference.get(i++), false);
        mlpProjBias = bias ? new FloatParam(reference.get(i), false) : null;
    }

    /** In the reference's order, biases left out when there are none. */
    List<FloatParam> params() {
        List<FloatParam> all = new java.util.ArrayList<>();
        for (FloatParam p : new FloatParam[] {ln1Weight, ln1Bias, attnWeight, attnBias, attnProjWeight, attnProjBias,
                ln2Weight, ln2Bias, fcWeight, fcBias, mlpProjWeight, mlpProjBias}) {
            if (p != null) all.add(p);
        }
        return all;
    }

    /** From x (N x C, not modified) to the block's output xOut (N x C, written), keeping what backward needs in a. */
    void forward(GptBuffers s, GptBuffers.Block a, float[] x, float[] xOut) {
        int n = s.batch * s.steps, c = shape.embd();
        // x + c_proj(attention(ln_1(x)))
        layerNorm(s, x, n, ln1Weight, ln1Bias, a.mean1, a.rstd1, a.normed1);
        FloatLinear.forward(a.normed1, n, attnWeight, attnBias, null, a.qkv, s.rows);
        boolean drop = s.dropoutUsed;
        FloatAttention.forward(a.qkv, s.batch, s.steps, shape.heads(), shape.headSize(), a.attention,
                drop ? a.attentionKeep : null, a.keptAttention, a.attended, s.headScores);
        residualBranch(s, a.attended, attnProjWeight, attnProjBias, x, drop ? a.attnProjKeep : null, a.middle);
        // + mlp.c_proj(gelu(mlp.c_fc(ln_2(x))))
        layerNorm(s, a.middle, n, ln2Weight, ln2Bias, a.mean2, a.rstd2, a.normed2);
        FloatLinear.forward(a.normed2, n, fcWeight, fcBias, null, a.hidden, s.rows);
        int wide = n * 4 * c;
        a.hidden.read(0, a.hiddenIn, 0, wide);
        FastMath.gelu(a.hiddenIn, s.rows, wide);
        a.hidden.write(0, s.rows, 0, wide);
        residualBranch(s, a.hidden, mlpProjWeight, mlpProjBias, a.middle, drop ? a.mlpProjKeep : null, xOut);
    }

    /**
     * out (N x C, written) = x + drop(in W^T + b): a c_proj adding into the residual stream x (not
     * modified); without dropout (keep null) the product adds straight onto x + b.
     */
    private static void residualBranch(GptBuffers s, FloatArray in, FloatParam weight, FloatParam bias, float[] x,
                                       float[] keep, float[] out) {
        int n = s.batch * s.steps * weight.rows;
        FloatLinear.forward(in, s.batch * s.steps, weight, bias, keep == null ? x : null, s.sum, s.rows);
        s.sum.read(0, out, 0, n);
        if (keep != null) for (int i = 0; i < n; i++) out[i] = x[i] + out[i] * keep[i];
    }

    /** s.dStream = s.dx, times the dropout's keep when the branch dropped (keep null: it did not). */
    private static void branchGradient(GptBuffers s, float[] keep, int n) {
        if (keep == null) {
            s.dStream.write(0, s.dx, 0, n);
            return;
        }
        for (int i = 0; i < n; i++) s.rows2[i] = s.dx[i] * keep[i];
        s.dStream.write(0, s.rows2, 0, n);
    }

    /**
     * Backward through the block: s.dx holds dLoss/d(the block's output) on entry and
     * dLoss/d(its input x) on return; every parameter's gradient accumulates into s.grads.
     */
    void backward(GptBuffers s, GptBuffers.Block a, float[] x) {
        int n = s.batch * s.steps, c = shape.embd(), wide = n * 4 * c;
        boolean drop = s.dropoutUsed;
        // the MLP: the residual passes dx through unchanged, the branch adds its part
        branchGradient(s, drop ? a.mlpProjKeep : null, n * c);
        FloatLinear.backward(s.dStream, n, a.hidden, mlpProjWeight, s.dHidden, s.grad(mlpProjWeight), s.grad(mlpProjBias), s.ones);
        s.dHidden.read(0, s.rows, 0, wide);
        FastMath.geluBackward(a.hiddenIn, s.rows, s.wideScratch, wide);
        s.dHidden.write(0, s.rows, 0, wide);
        FloatLinear.backward(s.dHidden, n, a.normed2, fcWeight, s.dNormed, s.grad(fcWeight), s.grad(fcBias), s.ones);
        layerNormBackward(s, a.middle, n, ln2Weight, ln2Bias, a.mean2, a.rstd2);
        // the attention, likewise
        branchGradient(s, drop ? a.attnProjKeep : null, n * c);
        FloatLinear.backward(s.dStream, n, a.attended, attnProjWeight, s.dAttended, s.grad(attnProjWeight),
                s.grad(attnProjBias), s.ones);
        FloatAttention.backward(a.qkv, a.attention, drop ? a.attentionKeep : null, a.keptAttention, s.dAttended,
                s.batch, s.steps, shape.heads(), shape.headSize(), s.dQkv, s.dHeadScores, s.headScores, s.headGrads);
        FloatLinear.backward(s.dQkv, n, a.normed1, attnWeight, s.dNormed, s.grad(attnWeight), s.grad(attnBias), s.ones);
        layerNormBackward(s, x, n, ln1Weight, ln1Bias, a.mean1, a.rstd1);
    }

    /** out (native, N x C) = LayerNorm(x) with weight and bias (bias may be null); keeps the statistics. */
    static void layerNorm(GptBuffers s, float[] x, int n, FloatParam weight, FloatParam bias,
                          float[] mean, float[] rstd, FloatArray out) {
        int c = weight.size();
        weight.w.read(0, s.normGamma, 0, c);
        if (bias != null) bias.w.read(0, s.normBeta, 0, c);
        FloatLayerNorm.forward(x, n, c, s.normGamma, bias == null ? null : s.normBeta, s.rows2, mean, rstd);
        out.write(0, s.rows2, 0, n * c);
    }

    /** s.dx += the gradient through LayerNorm(x) of s.dNormed; the norm's weight and bias gradients accumulate. */
    static void layerNormBackward(GptBuffers s, float[] x, int n, FloatParam weight, FloatParam bias,
                                  float[] mean, float[] rstd) {
        int c = weight.size();
        weight.w.read(0, s.normGamma, 0, c);
        s.dNormed.read(0, s.rows2, 0, n * c);
        java.util.Arrays.fill(s.dGamma, 0f);
        java.util.Arrays.fill(s.dBeta, 0f);
        FloatLayerNorm.backward(s.rows2, x, n, c, s.normGamma, mean, rstd, s.dx, s.dGamma, bias == null ? null : s.dBeta);
        FloatLayer.addToRow(s.grad(weight), 0, s.dGamma, 0, c, s.gradRow);
        if (bias != null) FloatLayer.addToRow(s.grad(bias), 0, s.dBeta, 0, c, s.gradRow);
    }
}
