package dev.rnnplayground.core.train;

/**
 * Where the training windows come from: contiguous streams whose hidden state carries from one
 * window to the next ({@link BatchStreams}, char-rnn's scheme for an RNN), or windows drawn at
 * random places in the text ({@link RandomWindows}, nanoGPT's for a transformer, which carries
 * nothing). Either one's whole progress is one number a checkpoint stores.
 */
interface TrainingWindows {
    /**
     * Fills inputs[b][t] with the next window and targets[b][t] with the symbol after each.
     * Returns true when a carried state must be forgotten first (a new pass over the text).
     */
    boolean next(int[][] inputs, int[][] targets);

    /** Windows that make one pass over the training text. */
    double windowsPerEpoch();

    /** Where the next window comes from, for a checkpoint. */
    int position();

    void setPosition(int position);
}
