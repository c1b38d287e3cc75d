package dev.rnnplayground.core.lab;

import dev.rnnplayground.core.bigram.BigramModel;
import dev.rnnplayground.core.gpt.Gpt;
import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.model.Vocab;

/**
 * The rungs of Karpathy's ablation in "Let's build GPT: from scratch, in code, spelled out" (2023),
 * each adding one idea to the one below, as our models: C = {@value #CHANNELS} channels and a block
 * of T = {@value #BLOCK} positions, the lecture's sizes. {@link #lectureValLoss} is the validation
 * loss the lecture reports for its own version of the rung (read off the video, to two decimals).
 *
 * <p>Where ours differ from the lecture's (its code: karpathy/ng-video-lecture, {@code v2.py} is
 * its last rung): our attention scales the scores by 1/sqrt(head size), the lecture's by
 * 1/sqrt(C) (the same for one head of 32; 2x smaller scores for four heads of 8); our MLP is the
 * GPT's, C -> 4C -> GELU -> C, where the lecture's "+ MLP" rung is one C -> C layer with ReLU and its
 * 4C ReLU MLP comes with the residual rung; our logits reuse the token embeddings (tied, as in
 * nanoGPT and our GPT), the lecture has a separate lm_head with a bias; our weights start as
 * nanoGPT's (N(0, 0.02)), the lecture's as PyTorch's defaults.
 */
public enum LadderRung {
    /** A V x V table of next-symbol logits: what the previous symbol alone says. */
    BIGRAM("bigram", "Bigram table", 2.5,
            "A V x V table: each symbol reads off the logits of the next (the lecture's BigramLanguageModel, nn.Embedding(V, V))."),
    /** Token and position embeddings, one causal self-attention head of 32, the logits from its output. */
    ONE_HEAD("one-head", "One attention head", 2.4,
            "Token + position embeddings, one causal self-attention head of 32 channels, logits from its output."),
    /** The same 32 channels as four heads of 8, side by side. */
    FOUR_HEADS("four-heads", "Four heads of 8", 2.28,
            "The same 32 channels split into four heads of 8 that attend independently, their outputs side by side."),
    /** An MLP after the heads: each position computes on what it gathered. */
    MLP("mlp", "+ MLP", 2.24,
            "After the four heads, each position goes through an MLP (32 -> 128 -> GELU -> 32) on its own."),
    /** Three blocks, each branch projected back and added to its input. */
    RESIDUAL("residual", "+ residual, 3 blocks", 2.08,
            "Three blocks of heads + MLP; each branch ends in a projection that is added to its input, x + f(x)."),
    /** Our shipped GPT's architecture: LayerNorm before each branch and before the logits. */
    LAYER_NORM("layernorm", "+ LayerNorm = our GPT", 2.06,
            "LayerNorm before each branch and before the logits: exactly our GPT (3 layers, 4 heads, 32 channels, block 8).");

    /** C, the embedding width of every rung but the bigram. */
    public static final int CHANNELS = 32;
    /** T, the most positions a rung reads at once. */
    public static final int BLOCK = 8;
    /** The heads of the rungs from four heads on. */
    public static final int HEADS = 4;
    /** The blocks from the residual rung on. */
    public static final int LAYERS = 3;

    private final String id;
    private final String label;
    private final double lectureValLoss;
    private final String description;

    LadderRung(String id, String label, double lectureValLoss, String description) {
        this.id = id;
        this.label = label;
        this.lectureValLoss = lectureValLoss;
        this.description = description;
    }

    /** The name the command line and the API take: "one-head". */
    public String id() {
        return id;
    }

    /** A short name for tables and charts. */
    public String label() {
        return label;
    }

    /** The lecture's validation loss for its version of this rung (nats per character). */
    public double lectureValLoss() {
        return lectureValLoss;
    }

    /** One sentence on what the rung is. */
    public String description() {
        return description;
    }

    /** The rung's model on a vocabulary, with its initial weights from {@code seed}. */
    public LanguageModel create(Vocab vocab, long seed) {
        return create(vocab, CHANNELS, seed);
    }

    /**
     * The rung at another width (a multiple of {@value #HEADS}): the gradient check builds each rung
     * at 8 channels, small enough to nudge every weight.
     */
    public LanguageModel create(Vocab vocab, int channels, long seed) {
        return switch (this) {
            case BIGRAM -> new BigramModel(vocab, true);
            case ONE_HEAD -> new AblatedGpt(vocab, new AblatedGpt.Parts(channels, 1, false, 1, false, BLOCK)).initialize(seed);
            case FOUR_HEADS -> new AblatedGpt(vocab, new AblatedGpt.Parts(channels, HEADS, false, 1, false, BLOCK)).initialize(seed);
            case MLP -> new AblatedGpt(vocab, new AblatedGpt.Parts(channels, HEADS, true, 1, false, BLOCK)).initialize(seed);
            case RESIDUAL -> new AblatedGpt(vocab, new AblatedGpt.Parts(channels, HEADS, true, LAYERS, true, BLOCK)).initialize(seed);
            case LAYER_NORM -> new Gpt(vocab, Architecture.gpt(channels, LAYERS, HEADS, BLOCK, true), true).initialize(seed);
        };
    }

    /** The rung named {@code id} ("four-heads"), or an exception naming the ones there are. */
    public static LadderRung parse(String id) {
        for (LadderRung r : values()) if (r.id.equals(id)) return r;
        throw new IllegalArgumentException("unknown rung \"" + id + "\": expected " + ids());
    }

    /** "bigram, one-head, ... or layernorm". */
    public static String ids() {
        StringBuilder s = new StringBuilder();
        LadderRung[] all = values();
        for (int i = 0; i < all.length; i++) {
            if (i > 0) s.append(i == all.length - 1 ? " or " : ", ");
            s.append(all[i].id);
        }
        return s.toString();
    }
}
