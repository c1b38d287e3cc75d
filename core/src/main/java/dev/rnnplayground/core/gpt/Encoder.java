package dev.rnnplayground.core.gpt;

/**
 * The GPT's first layer: each position's vector is its token's embedding plus its position's
 * embedding (nanoGPT's {@code tok_emb + pos_emb}; llm.c's {@code encoder_forward}).
 */
public final class Encoder {
    private Encoder() {
    }

    /**
     * @param out    (R, C) output, row r = the position {@code positions[r]} reading {@code tokens[r]}
     * @param tokens R symbols, not modified
     * @param wte    (V, C) token embeddings, not modified
     * @param wpe    (T, C) position embeddings, not modified
     */
    public static void forward(double[] out, int[] tokens, int[] positions, double[] wte, double[] wpe, int channels) {
        for (int r = 0; r < tokens.length; r++) {
            int token = tokens[r] * channels, position = positions[r] * channels, row = r * channels;
            for (int i = 0; i < channels; i++) out[row + i] = wte[token + i] + wpe[position + i];
        }
    }

    /** Adds dout's rows into the rows of dwte and dwpe that forward read. */
    public static void backward(double[] dwte, double[] dwpe, double[] dout, int[] tokens, int[] positions, int channels) {
        for (int r = 0; r < tokens.length; r++) {
            int token = tokens[r] * channels, position = positions[r] * channels, row = r * channels;
            for (int i = 0; i < channels; i++) {
                dwte[token + i] += dout[row + i];
                dwpe[position + i] += dout[row + i];
            }
        }
    }
}
