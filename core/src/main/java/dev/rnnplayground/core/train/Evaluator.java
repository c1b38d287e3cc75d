package dev.rnnplayground.core.train;

import dev.rnnplayground.core.model.LanguageModel;

/**
 * Measures how well a model predicts a text: the mean cross-entropy, in nats per character, of
 * predicting every symbol from the ones before it. No gradients, no updates.
 */
public final class Evaluator {
    /** Window of a model that carries its state across windows; a transformer's is its block. */
    private static final int CARRIED_WINDOW = 64;

    private Evaluator() {
    }

    /**
     * Exact evaluation: one stream, hidden state starting at zero and carried across the whole
     * text; every symbol but the first is predicted. Returns NaN for fewer than 2 symbols.
     */
    public static double meanLoss(LanguageModel model, int[] ids) {
        return meanLoss(model, ids, 1);
    }

    /**
     * Faster evaluation over {@code streams} parallel contiguous parts of the text, each starting
     * from a zero state (used for the validation loss during training). Up to streams - 1 symbols
     * at the end are not predicted. A model with a {@link LanguageModel#contextLimit()} reads
     * non-overlapping windows of that length, each predicted from its own start (nanoGPT's
     * protocol); one that carries state carries it across windows of 64, so it sees everything.
     */
    public static double meanLoss(LanguageModel model, int[] ids, int streams) {
        if (ids.length < 2) return Double.NaN;
        int window = model.contextLimit() == Integer.MAX_VALUE ? CARRIED_WINDOW : model.contextLimit();
        streams = Math.max(1, Math.min(streams, (ids.length - 1)));
        int perStream = (ids.length - 1) / streams;
        LanguageModel.CarriedState state = model.zeroState(streams);
        LanguageModel.Trace full = null;
        double total = 0;
        long count = 0;
        for (int start = 0; start < perStream; start += window) {
            int steps = Math.min(window, perStream - start);
            LanguageModel.Trace tr;
            if (steps == window) {
                if (full == null) full = model.newTrace(window, streams);
                tr = full;
            } else {
                tr = model.newTrace(steps, streams);
            }
            int[][] inputs = new int[streams][steps];
            int[][] targets = new int[streams][steps];
            for (int b = 0; b < streams; b++) {
                System.arraycopy(ids, b * perStream + start, inputs[b], 0, steps);
                System.arraycopy(ids, b * perStream + start + 1, targets[b], 0, steps);
            }
            model.forward(inputs, state, tr);
            total += model.loss(tr, targets) * steps * streams;
            count += (long) steps * streams;
        }
        return total / count;
    }

    /**
     * A transformer's protocol for any model: the text cut into non-overlapping windows of
     * {@code window} symbols (the last one may be shorter), each predicted from a blank memory, so
     * nothing before a window's start helps. For a model whose context limit is {@code window}
     * this is {@link #meanLoss(LanguageModel, int[])}; for an RNN it says what the carried state
     * is worth. Returns NaN for fewer than 2 symbols.
     */
    public static double windowedLoss(LanguageModel model, int[] ids, int window) {
        if (window < 1) throw new IllegalArgumentException("window must be at least 1, got " + window);
        if (window > model.contextLimit()) {
            throw new IllegalArgumentException("window " + window + " is longer than the model reads at once (" + model.contextLimit() + ")");
        }
        if (ids.length < 2) return Double.NaN;
        int predicted = ids.length - 1;
        double total = 0;
        for (int start = 0; start < predicted; start += window) {
            int steps = Math.min(window, predicted - start);
            LanguageModel.Trace trace = model.newTrace(steps, 1);
            int[][] inputs = {java.util.Arrays.copyOfRange(ids, start, start + steps)};
            int[][] targets = {java.util.Arrays.copyOfRange(ids, start + 1, start + steps + 1)};
            model.forward(inputs, model.zeroState(1), trace);
            total += model.loss(trace, targets) * steps;
        }
        return total / predicted;
    }

    /** The last {@code fraction} of a text's symbols, exactly the part a {@link Trainer} holds out for validation. */
    public static int[] heldOut(int[] ids, double fraction) {
        int count = (int) Math.floor(ids.length * fraction);
        return java.util.Arrays.copyOfRange(ids, ids.length - count, ids.length);
    }
}
