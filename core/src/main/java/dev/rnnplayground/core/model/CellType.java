package dev.rnnplayground.core.model;

/**
 * The kinds of model the project trains: the three recurrent cells, each with the gate count of
 * its PyTorch twin (the recurrent weight matrices hold {@code gates * hidden} rows, gates stacked
 * in PyTorch's order), the bigram table, the first rung below them, the GPT, the rung above, and
 * between them the LSTM that attends over its own past states, the bridge from one to the other. The command line's
 * {@code --cell}, the API's {@code cell} and the model file's {@code cell} all take these names.
 */
public enum CellType {
    /** Elman RNN, {@code torch.nn.RNN(nonlinearity='tanh')}: one "gate", the candidate state. */
    RNN("rnn", 1),
    /** {@code torch.nn.LSTM}: input, forget, cell (g), output gates, in that order. */
    LSTM("lstm", 4),
    /** {@code torch.nn.GRU}: reset, update, new gates, in that order. */
    GRU("gru", 3),
    /** A table of next-symbol logits for each symbol (Karpathy's BigramLanguageModel): no memory at all. */
    BIGRAM("bigram", 0),
    /** A character-level GPT (nanoGPT's {@code GPT}): attention over a block of positions, no recurrence. */
    GPT("gpt", 0),
    /**
     * An LSTM that also attends over its own last K top-layer states ({@code attend.AttentiveLstm},
     * Daniluk et al. 2017): recurrent memory plus attention. Not one of the three plain cells.
     */
    ATTENTIVE_LSTM("lstm-attention", 0);

    private final String id;
    private final int gates;

    CellType(String id, int gates) {
        this.id = id;
        this.gates = gates;
    }

    /** The lowercase name used on the command line, in the API and in model files. */
    public String id() {
        return id;
    }

    /** How many H-sized blocks are stacked in weight_ih / weight_hh. */
    public int gates() {
        return gates;
    }

    /** The three recurrent cells, in declaration order: what the RNN-only views and tests go through. */
    public static final java.util.List<CellType> RECURRENT = java.util.List.of(RNN, LSTM, GRU);

    /**
     * True for the three plain recurrent cells, the {@code rnn.CharRnn} family; the bigram and the
     * GPT have no hidden state, and the attending LSTM, though it has one, is a family of its own.
     */
    public boolean recurrent() {
        return gates > 0;
    }

    /** The names accepted, for messages: "rnn, lstm, gru or bigram". */
    public static String names() {
        StringBuilder s = new StringBuilder();
        CellType[] all = values();
        for (int i = 0; i < all.length; i++) {
            if (i > 0) s.append(i == all.length - 1 ? " or " : ", ");
            s.append(all[i].id);
        }
        return s.toString();
    }

    /** Parses "rnn", "lstm", "gru", "bigram", "gpt" or "lstm-attention" (any case); throws with the accepted names otherwise. */
    public static CellType parse(String name) {
        for (CellType c : values()) {
            if (c.id.equalsIgnoreCase(name)) return c;
        }
        throw new IllegalArgumentException("unknown cell type \"" + name + "\": expected " + names());
    }
}
