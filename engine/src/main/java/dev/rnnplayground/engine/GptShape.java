package dev.rnnplayground.engine;

import dev.rnnplayground.core.gpt.Gpt;

/**
 * The sizes of a character GPT the fast engine works with (nanoGPT's {@code GPTConfig}, from core's
 * {@link Gpt}): V symbols, a block of T positions, C channels, nh heads, L blocks, and whether the
 * Linear and LayerNorm layers have biases.
 */
record GptShape(int vocabSize, int blockSize, int embd, int heads, int layers, boolean bias) {

    static GptShape of(Gpt model) {
        var a = model.architecture();
        return new GptShape(model.vocab().size(), a.blockSize(), a.hidden(), a.heads(), a.layers(), a.bias());
    }

    /** C / nh: the width of one attention head. */
    int headSize() {
        return embd / heads;
    }

    /** Parameters per block in core's list: 6 weights, and 6 biases with {@code bias}. */
    int perBlock() {
        return bias ? 12 : 6;
    }
}
