package dev.rnnplayground.core.model;

import dev.rnnplayground.core.attend.AttentiveLstm;
import dev.rnnplayground.core.bigram.BigramModel;
import dev.rnnplayground.core.gpt.Gpt;
import dev.rnnplayground.core.rnn.CharRnn;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of a model, and the one place that turns a kind of model into a model: every other
 * part of the project (the trainer, the writer, the evaluator, checkpoints, model files) speaks to
 * {@link LanguageModel}. A new family adds its case here and nowhere else.
 *
 * <p>What each field means depends on the family, and a family ignores the ones it has no use for:
 * <pre>
 *   rnn, lstm, gru   hidden = units per layer, layers = stacked recurrent layers
 *   gpt              hidden = n_embd, layers = n_layer, heads = n_head, blockSize = block_size,
 *                    bias = biases in every Linear and LayerNorm (nanoGPT's GPTConfig)
 *   lstm-attention   hidden = units per LSTM layer, layers = stacked LSTM layers,
 *                    attend = K, how many of its own past top-layer states it attends over
 *   bigram           nothing: a V x V table
 * </pre>
 *
 * @param kind      the family, or the recurrent cell
 * @param hidden    the width of the model: an RNN's hidden units, a GPT's embedding size C
 * @param layers    stacked layers (recurrent layers or transformer blocks)
 * @param heads     a GPT's attention heads; must divide {@code hidden}
 * @param blockSize a GPT's context: the most positions it reads at once
 * @param bias      whether a GPT's Linear and LayerNorm layers have biases (nanoGPT's bias=True)
 * @param attend    K, how many past states an attending LSTM looks back over
 */
public record Architecture(CellType kind, int hidden, int layers, int heads, int blockSize, boolean bias, int attend) {

    /** A recurrent network or a bigram: the other families' fields take neutral values nobody reads. */
    public static Architecture of(CellType kind, int hidden, int layers) {
        return new Architecture(kind, hidden, layers, 1, 1, false, 1);
    }

    /** A GPT's shape (nanoGPT's GPTConfig); {@code attend} takes a neutral value nobody reads. */
    public static Architecture gpt(int hidden, int layers, int heads, int blockSize, boolean bias) {
        return new Architecture(CellType.GPT, hidden, layers, heads, blockSize, bias, 1);
    }

    /** An LSTM of {@code layers} x {@code hidden} that attends over its last {@code attend} top-layer states. */
    public static Architecture attentiveLstm(int hidden, int layers, int attend) {
        return new Architecture(CellType.ATTENTIVE_LSTM, hidden, layers, 1, 1, false, attend);
    }

    /**
     * A model to train, from its initial weights (PyTorch's default initialisation for an RNN,
     * nanoGPT's {@code _init_weights} for a GPT, the uniform guess for a bigram).
     */
    public LanguageModel create(Vocab vocab, long seed) {
        return switch (kind) {
            case BIGRAM -> new BigramModel(vocab, true);
            case GPT -> new Gpt(vocab, this, true).initialize(seed);
            case ATTENTIVE_LSTM -> new AttentiveLstm(vocab, hidden, layers, attend, true).initialize(seed);
            case RNN, LSTM, GRU -> new CharRnn(kind, vocab, hidden, layers).initialize(seed);
        };
    }

    /** An empty model of this shape (weights not yet read), as a model file's reader needs it. */
    public LanguageModel empty(Vocab vocab, boolean withGradients) {
        return switch (kind) {
            case BIGRAM -> new BigramModel(vocab, withGradients);
            case GPT -> new Gpt(vocab, this, withGradients);
            case ATTENTIVE_LSTM -> new AttentiveLstm(vocab, hidden, layers, attend, withGradients);
            case RNN, LSTM, GRU -> withGradients ? new CharRnn(kind, vocab, hidden, layers)
                    : CharRnn.forInference(kind, vocab, hidden, layers);
        };
    }

    /**
     * The names and shapes of the tensors a model of this shape has, in order, computed without
     * building it (so a small hostile file cannot make the reader allocate a huge model):
     * nn.RNN/LSTM/GRU(V, H, L) + nn.Linear(H, V) for the recurrent cells, nn.Embedding(V, V) for
     * the bigram, nanoGPT's {@code GPT.named_parameters()} without the tied {@code lm_head.weight},
     * nn.LSTM(V, H, L) + three H x H attention maps + nn.Linear(2H, V) for the attending LSTM.
     */
    public Map<String, int[]> tensorShapes(int vocabSize) {
        return switch (kind) {
            case BIGRAM -> Map.of("token_embedding_table.weight", new int[] {vocabSize, vocabSize});
            case GPT -> Gpt.tensorShapes(this, vocabSize);
            case ATTENTIVE_LSTM -> AttentiveLstm.tensorShapes(vocabSize, hidden, layers);
            case RNN, LSTM, GRU -> CharRnn.tensorShapes(kind, vocabSize, hidden, layers);
        };
    }

    /**
     * Weights and biases of a model of this shape, without building it: the sum of its
     * {@link #tensorShapes}, so it always agrees with {@link LanguageModel#parameterCount()}.
     */
    public long parameterCount(int vocabSize) {
        long total = 0;
        for (int[] shape : tensorShapes(vocabSize).values()) {
            long size = 1;
            for (int d : shape) size *= d;
            total += size;
        }
        return total;
    }

    /**
     * What a model file's metadata says about a model of this shape: {@code cell}; for the
     * recurrent cells {@code hidden_size} and {@code num_layers}; for a GPT nanoGPT's
     * {@code n_layer}, {@code n_head}, {@code n_embd}, {@code block_size} and {@code bias}
     * ("True" or "False", as Python writes a bool); for the attending LSTM {@code hidden_size},
     * {@code num_layers} and {@code attend} (K). Each family's {@link LanguageModel#shape()}
     * returns this, and {@link #fromShape} reads it back.
     */
    public Map<String, String> shape() {
        Map<String, String> shape = new LinkedHashMap<>();
        shape.put("cell", kind.id());
        if (kind.recurrent()) {
            shape.put("hidden_size", Integer.toString(hidden));
            shape.put("num_layers", Integer.toString(layers));
        } else if (kind == CellType.GPT) {
            shape.put("n_layer", Integer.toString(layers));
            shape.put("n_head", Integer.toString(heads));
            shape.put("n_embd", Integer.toString(hidden));
            shape.put("block_size", Integer.toString(blockSize));
            shape.put("bias", bias ? "True" : "False");
        } else if (kind == CellType.ATTENTIVE_LSTM) {
            shape.put("hidden_size", Integer.toString(hidden));
            shape.put("num_layers", Integer.toString(layers));
            shape.put("attend", Integer.toString(attend));
        }
        return shape;
    }

    /**
     * Reads back what {@link #shape()} wrote, each size checked against {@code maxHidden} and the
     * family's limits before anything is allocated.
     *
     * @throws IllegalArgumentException naming the key and what is wrong with its value
     */
    public static Architecture fromShape(Map<String, String> shape, int maxHidden) {
        CellType kind = CellType.parse(required(shape, "cell"));
        return switch (kind) {
            case BIGRAM -> of(kind, 0, 0);
            case RNN, LSTM, GRU -> of(kind, size(shape, "hidden_size", maxHidden), size(shape, "num_layers", CharRnn.MAX_LAYERS));
            case ATTENTIVE_LSTM -> attentiveLstm(size(shape, "hidden_size", maxHidden), size(shape, "num_layers", CharRnn.MAX_LAYERS),
                    size(shape, "attend", AttentiveLstm.MAX_ATTEND));
            case GPT -> {
                String bias = required(shape, "bias");
                if (!bias.equals("True") && !bias.equals("False")) {
                    throw new IllegalArgumentException("bias \"" + bias + "\" is not True or False");
                }
                Architecture a = gpt(size(shape, "n_embd", maxHidden), size(shape, "n_layer", Gpt.MAX_LAYERS),
                        size(shape, "n_head", Gpt.MAX_HEADS), size(shape, "block_size", Gpt.MAX_BLOCK_SIZE), bias.equals("True"));
                if (a.hidden % a.heads != 0) {
                    throw new IllegalArgumentException("n_head " + a.heads + " does not divide n_embd " + a.hidden);
                }
                yield a;
            }
        };
    }

    /**
     * A shape in words, for messages: "2-layer lstm with 128 hidden units", "bigram model",
     * "1-layer lstm-attention with 64 hidden units, attending over its last 8 states".
     */
    public static String describe(Map<String, String> shape) {
        if (shape.containsKey("n_embd")) {
            return shape.get("n_layer") + "-layer gpt with " + shape.get("n_head") + " heads of "
                    + shape.get("n_embd") + " channels and a block of " + shape.get("block_size");
        }
        if (!shape.containsKey("hidden_size")) return shape.get("cell") + " model";
        String attending = shape.containsKey("attend") ? ", attending over its last " + shape.get("attend") + " states" : "";
        return shape.get("num_layers") + "-layer " + shape.get("cell") + " with " + shape.get("hidden_size") + " hidden units" + attending;
    }

    private static String required(Map<String, String> shape, String key) {
        String value = shape.get(key);
        if (value == null) throw new IllegalArgumentException("metadata has no \"" + key + "\"");
        return value;
    }

    /** A whole number 1..max written plainly (digits only, no sign, no leading zero). */
    private static int size(Map<String, String> shape, String key, int max) {
        String text = required(shape, key);
        boolean plain = !text.isEmpty() && text.length() <= 9 && text.charAt(0) != '0';
        for (int i = 0; i < text.length() && plain; i++) plain = text.charAt(i) >= '0' && text.charAt(i) <= '9';
        if (!plain) throw new IllegalArgumentException(key + " \"" + text + "\" is not a positive whole number");
        int value = Integer.parseInt(text);
        if (value > max) throw new IllegalArgumentException(key + " " + value + " is out of range: expected 1 to " + max);
        return value;
    }
}
