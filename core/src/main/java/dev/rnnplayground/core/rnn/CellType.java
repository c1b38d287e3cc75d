package dev.rnnplayground.core.rnn;

/**
 * The three recurrent cells, each with the gate count of its PyTorch twin: the recurrent weight
 * matrices hold {@code gates * hidden} rows, gates stacked in PyTorch's order.
 */
public enum CellType {
    /** Elman RNN, {@code torch.nn.RNN(nonlinearity='tanh')}: one "gate", the candidate state. */
    RNN("rnn", 1),
    /** {@code torch.nn.LSTM}: input, forget, cell (g), output gates, in that order. */
    LSTM("lstm", 4),
    /** {@code torch.nn.GRU}: reset, update, new gates, in that order. */
    GRU("gru", 3);

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

    /** Parses "rnn", "lstm" or "gru" (any case); throws with the accepted names otherwise. */
    public static CellType parse(String name) {
        for (CellType c : values()) {
            if (c.id.equalsIgnoreCase(name)) return c;
        }
        throw new IllegalArgumentException("unknown cell type \"" + name + "\": expected rnn, lstm or gru");
    }
}
