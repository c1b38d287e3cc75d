package dev.rnnplayground.core.model;

import dev.rnnplayground.core.bigram.BigramModel;
import dev.rnnplayground.core.rnn.CharRnn;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place that turns a kind of model into a model: every other part of the project (the
 * trainer, the writer, the evaluator, checkpoints, model files) speaks to {@link LanguageModel}.
 * A new family adds its case here and nowhere else.
 */
public final class ModelFactory {
    private ModelFactory() {
    }

    /**
     * A model to train, from its initial weights (PyTorch's default initialisation for an RNN, the
     * uniform guess for a bigram). {@code hidden} and {@code layers} are ignored by the bigram.
     */
    public static LanguageModel create(CellType kind, Vocab vocab, int hidden, int layers, long seed) {
        if (kind == CellType.BIGRAM) return new BigramModel(vocab, true);
        return new CharRnn(kind, vocab, hidden, layers).initialize(seed);
    }

    /**
     * An empty model of the shape a model file's metadata describes (weights not yet read).
     * {@code shape} holds the sizes already checked by the file reader.
     */
    public static LanguageModel empty(CellType kind, Vocab vocab, int hidden, int layers, boolean withGradients) {
        if (kind == CellType.BIGRAM) return new BigramModel(vocab, withGradients);
        return withGradients ? new CharRnn(kind, vocab, hidden, layers) : CharRnn.forInference(kind, vocab, hidden, layers);
    }

    /**
     * The names and shapes of the tensors a model of this kind has, in order, computed without
     * building it (so a small hostile file cannot make the reader allocate a huge model):
     * nn.RNN/LSTM/GRU(V, H, L) + nn.Linear(H, V) for the recurrent cells, nn.Embedding(V, V) for
     * the bigram.
     */
    public static Map<String, int[]> tensorShapes(CellType kind, int vocabSize, int hidden, int layers) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        if (kind == CellType.BIGRAM) {
            shapes.put("token_embedding_table.weight", new int[] {vocabSize, vocabSize});
            return shapes;
        }
        int gateRows = kind.gates() * hidden;
        for (int l = 0; l < layers; l++) {
            shapes.put("rnn.weight_ih_l" + l, new int[] {gateRows, l == 0 ? vocabSize : hidden});
            shapes.put("rnn.weight_hh_l" + l, new int[] {gateRows, hidden});
            shapes.put("rnn.bias_ih_l" + l, new int[] {gateRows});
            shapes.put("rnn.bias_hh_l" + l, new int[] {gateRows});
        }
        shapes.put("decoder.weight", new int[] {vocabSize, hidden});
        shapes.put("decoder.bias", new int[] {vocabSize});
        return shapes;
    }

    /**
     * Weights and biases of a model of this kind, without building it: the sum of its
     * {@link #tensorShapes}, so it always agrees with {@link LanguageModel#parameterCount()}.
     * For the recurrent cells, G·H·(V + H + 2) for the first layer, G·H·(2H + 2) for each other,
     * and V·H + V for the decoder (G gates, H hidden units, V symbols).
     */
    public static long parameterCount(CellType kind, int vocabSize, int hidden, int layers) {
        long total = 0;
        for (int[] shape : tensorShapes(kind, vocabSize, hidden, layers).values()) {
            long size = 1;
            for (int d : shape) size *= d;
            total += size;
        }
        return total;
    }

    /**
     * What a model file's metadata says about a model of this kind: {@code cell}, and for the
     * recurrent cells {@code hidden_size} and {@code num_layers}. Each family's
     * {@link LanguageModel#shape()} returns this.
     */
    public static Map<String, String> shape(CellType kind, int hidden, int layers) {
        Map<String, String> shape = new LinkedHashMap<>();
        shape.put("cell", kind.id());
        if (kind.recurrent()) {
            shape.put("hidden_size", Integer.toString(hidden));
            shape.put("num_layers", Integer.toString(layers));
        }
        return shape;
    }

    /** A shape in words, for messages: "2-layer lstm with 128 hidden units", "bigram model". */
    public static String describe(Map<String, String> shape) {
        if (!shape.containsKey("hidden_size")) return shape.get("cell") + " model";
        return shape.get("num_layers") + "-layer " + shape.get("cell") + " with " + shape.get("hidden_size") + " hidden units";
    }
}
