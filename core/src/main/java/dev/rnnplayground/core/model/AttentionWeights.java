package dev.rnnplayground.core.model;

/**
 * Where a model that attends ({@link Attending}) looked when it read its last symbol: for each
 * layer and head, one weight per earlier position it looked at (the weights of a head add up to 1),
 * oldest position first.
 *
 * <p>Position p of P is the character {@code newestBack + (P - 1 - p)} places before the last one
 * read ({@link #back}): a GPT's newest position is that character itself (newestBack 0: a query
 * sees its own key), the attending LSTM's newest is the state it had one character before
 * (newestBack 1: it attends over its past states, not the one it has just made).
 *
 * @param layers     L, the layers that attend (1 for the attending LSTM)
 * @param heads      NH, the heads of each layer (1 for the attending LSTM)
 * @param positions  P, how many positions each head looked at (0 when there was nothing to look at yet)
 * @param newestBack how many characters before the last one read the newest position is
 * @param weights    (L, NH, P) row-major: layer l, head h, position p at (l*NH + h)*P + p
 */
public record AttentionWeights(int layers, int heads, int positions, int newestBack, double[] weights) {

    public AttentionWeights {
        if (layers < 1 || heads < 1 || positions < 0 || newestBack < 0 || weights.length != layers * heads * positions) {
            throw new IllegalArgumentException("attention weights of " + layers + " layers x " + heads + " heads x "
                    + positions + " positions cannot hold " + weights.length + " values");
        }
    }

    /** The P weights of one layer's head, oldest position first (a copy). */
    public double[] head(int layer, int head) {
        if (layer < 0 || layer >= layers || head < 0 || head >= heads) {
            throw new IllegalArgumentException("no head " + head + " in layer " + layer + " of " + layers + " x " + heads);
        }
        double[] row = new double[positions];
        System.arraycopy(weights, (layer * heads + head) * positions, row, 0, positions);
        return row;
    }

    /** How many characters before the last one read position p is (0: that character itself). */
    public int back(int position) {
        return newestBack + positions - 1 - position;
    }
}
