package dev.rnnplayground.engine;

import dev.rnnplayground.core.model.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * The sizes of a character GPT (nanoGPT's {@code GPTConfig}), and the names and shapes of its
 * parameters in the order core's model lists them (PyTorch's {@code named_parameters()} without
 * the tied {@code lm_head.weight}): the token and position embeddings, then per block
 * ln_1, attn.c_attn, attn.c_proj, ln_2, mlp.c_fc, mlp.c_proj, then ln_f. With {@code bias} off
 * (nanoGPT's {@code bias=False}) neither the Linear layers nor the LayerNorms have a bias.
 */
record GptShape(int vocabSize, int blockSize, int embd, int heads, int layers, boolean bias) {
    GptShape {
        if (heads < 1 || embd % heads != 0) {
            throw new IllegalArgumentException("the embedding (" + embd + ") must split evenly into " + heads + " heads");
        }
    }

    /** C / nh: the width of one attention head. */
    int headSize() {
        return embd / heads;
    }

    /** Parameters per block: 6 weights, and 6 biases with {@code bias}. */
    int perBlock() {
        return bias ? 12 : 6;
    }

    /** Fresh, zero parameters named and shaped as the reference's, in its order. */
    List<Param> newParameters() {
        List<Param> out = new ArrayList<>();
        int c = embd;
        out.add(Param.matrix("transformer.wte.weight", vocabSize, c));
        out.add(Param.matrix("transformer.wpe.weight", blockSize, c));
        for (int i = 0; i < layers; i++) {
            String h = "transformer.h." + i + ".";
            layerNorm(out, h + "ln_1");
            linear(out, h + "attn.c_attn", 3 * c, c);
            linear(out, h + "attn.c_proj", c, c);
            layerNorm(out, h + "ln_2");
            linear(out, h + "mlp.c_fc", 4 * c, c);
            linear(out, h + "mlp.c_proj", c, 4 * c);
        }
        layerNorm(out, "transformer.ln_f");
        return out;
    }

    private void layerNorm(List<Param> out, String name) {
        out.add(Param.vector(name + ".weight", embd));
        if (bias) out.add(Param.vector(name + ".bias", embd));
    }

    private void linear(List<Param> out, String name, int outputs, int inputs) {
        out.add(Param.matrix(name + ".weight", outputs, inputs));
        if (bias) out.add(Param.vector(name + ".bias", outputs));
    }

    /** Refuses a parameter list whose names or shapes differ from {@link #newParameters()}'s, saying where. */
    void requireMatching(List<Param> reference) {
        List<Param> expected = newParameters();
        if (reference.size() != expected.size()) {
            throw new IllegalArgumentException("a GPT of " + this + " has " + expected.size() + " parameters, got " + reference.size());
        }
        for (int i = 0; i < expected.size(); i++) {
            Param e = expected.get(i), a = reference.get(i);
            if (!e.name.equals(a.name) || e.rows != a.rows || e.cols != a.cols) {
                throw new IllegalArgumentException("parameter " + i + ": expected " + e.name + " " + e.rows + "x" + e.cols
                        + ", got " + a.name + " " + a.rows + "x" + a.cols);
            }
        }
    }
}
