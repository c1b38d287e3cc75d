package dev.rnnplayground.core.model;

/**
 * A model that attends: at each position it looks back at earlier ones with weights a learner can
 * see. A GPT's every layer and head looks over the characters in its key/value cache
 * ({@code gpt.Gpt}); the attending LSTM's one head looks over its last K hidden states
 * ({@code attend.AttentiveLstm}). The writer ({@code sample.Generator#attention}) and the page's
 * attention view speak to this interface, not to a family.
 */
public interface Attending {

    /** L: how many layers attend. */
    int attentionLayers();

    /** NH: how many heads each of those layers has. */
    int attentionHeads();

    /**
     * The weights with which the last symbol read through {@link LanguageModel#step} looked back,
     * read from the state and the one-step trace that step used (nothing is recomputed); null
     * before the first symbol.
     */
    AttentionWeights lastAttention(LanguageModel.CarriedState state, LanguageModel.Trace stepTrace);

    /**
     * Reads {@code symbols} from the start, as one window from the all-zero state, and returns the
     * weights of one head at each of the last W = min(window, symbols.length) positions over those
     * same W positions: (W, W) row-major, row i the i-th of those characters looking back, column j
     * the j-th looked at. Zero above the diagonal (no look ahead), where the head does not look (the
     * attending LSTM looks at the K states before a character only), and for weight on characters
     * before the W (so a row near the top may add up to less than 1).
     *
     * @throws IllegalArgumentException for no symbols, a window below 1, a layer or head the model
     *                                  does not have, or more symbols than the model reads at once
     */
    double[] attentionMatrix(int[] symbols, int layer, int head, int window);

    /** Refuses a layer or head this model does not have, saying which it has. */
    default void checkHead(int layer, int head) {
        if (layer < 0 || layer >= attentionLayers() || head < 0 || head >= attentionHeads()) {
            throw new IllegalArgumentException("no attention head " + head + " in layer " + layer + ": the model has "
                    + attentionLayers() + " layer(s) of " + attentionHeads() + " head(s), counted from 0");
        }
    }
}
