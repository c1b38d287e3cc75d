package dev.rnnplayground.core.gpt;

import dev.rnnplayground.core.model.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of one transformer block, named as nanoGPT's {@code transformer.h.i} and in its
 * {@code named_parameters()} order. The biases are null in a model without biases (bias=False
 * removes every Linear bias and every LayerNorm bias).
 */
final class BlockParams {
    final Param ln1Weight;        // (C)
    final Param ln1Bias;          // (C) or null
    final Param attnWeight;       // (3C, C) c_attn: q, k, v stacked
    final Param attnBias;         // (3C) or null
    final Param attnProjWeight;   // (C, C) c_proj of the attention
    final Param attnProjBias;     // (C) or null
    final Param ln2Weight;        // (C)
    final Param ln2Bias;          // (C) or null
    final Param fcWeight;         // (4C, C) c_fc of the MLP
    final Param fcBias;           // (4C) or null
    final Param fcProjWeight;     // (C, 4C) c_proj of the MLP
    final Param fcProjBias;       // (C) or null

    BlockParams(int layer, int channels, boolean bias, boolean withGradients) {
        String p = "transformer.h." + layer + ".";
        int c = channels;
        ln1Weight = Param.vector(p + "ln_1.weight", c, withGradients);
        ln1Bias = bias ? Param.vector(p + "ln_1.bias", c, withGradients) : null;
        attnWeight = Param.matrix(p + "attn.c_attn.weight", 3 * c, c, withGradients);
        attnBias = bias ? Param.vector(p + "attn.c_attn.bias", 3 * c, withGradients) : null;
        attnProjWeight = Param.matrix(p + "attn.c_proj.weight", c, c, withGradients);
        attnProjBias = bias ? Param.vector(p + "attn.c_proj.bias", c, withGradients) : null;
        ln2Weight = Param.vector(p + "ln_2.weight", c, withGradients);
        ln2Bias = bias ? Param.vector(p + "ln_2.bias", c, withGradients) : null;
        fcWeight = Param.matrix(p + "mlp.c_fc.weight", 4 * c, c, withGradients);
        fcBias = bias ? Param.vector(p + "mlp.c_fc.bias", 4 * c, withGradients) : null;
        fcProjWeight = Param.matrix(p + "mlp.c_proj.weight", c, 4 * c, withGradients);
        fcProjBias = bias ? Param.vector(p + "mlp.c_proj.bias", c, withGradients) : null;
    }

    /** In nanoGPT's order, the missing biases left out. */
    List<Param> all() {
        List<Param> all = new ArrayList<>();
        for (Param p : new Param[] {ln1Weight, ln1Bias, attnWeight, attnBias, attnProjWeight, attnProjBias,
                ln2Weight, ln2Bias, fcWeight, fcBias, fcProjWeight, fcProjBias}) {
            if (p != null) all.add(p);
        }
        return all;
    }

    /** The value array of a parameter that may be absent (a bias of a model without biases). */
    static double[] w(Param p) {
        return p == null ? null : p.w;
    }

    /** The gradient array of a parameter that may be absent. */
    static double[] dw(Param p) {
        return p == null ? null : p.dw;
    }
}
