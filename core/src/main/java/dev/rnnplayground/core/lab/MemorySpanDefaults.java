package dev.rnnplayground.core.lab;

import java.util.List;

/**
 * The two budgets of the memory-span experiment, chosen from timed runs (docs/results.md): the
 * page's, which must finish within a few minutes on a shared two-core machine and still show the
 * gated cells ahead of the vanilla RNN, and the docs' table, run from the command line, which may
 * take longer. Both give every model the same width, batch, optimizer and steps.
 */
public final class MemorySpanDefaults {

    /** The docs' gaps: 20 past the attending LSTM's K of 16, 40 and 80 past the GPT's block of 32 too. */
    public static final String DOCS_GAPS = "5,10,20,40,80";
    /** Steps of every docs run. */
    public static final String DOCS_STEPS = "1500";

    /** The page's gaps: one short, one past K, one past the block. */
    public static final List<Integer> PAGE_GAPS = List.of(5, 20, 40);
    /** The page's seeds: the fewest that give a band. */
    public static final int PAGE_SEEDS = 3;

    /**
     * Width 32, batch 16, Adam 0.01, clip 5 (the PyTorch reference's); a GPT of 2 blocks × 2 heads on a
     * block of 32 (it sees gaps up to 30); K = 16 for the attending LSTM (gaps up to 15), so that
     * the two ends of attention's reach fall at different gaps.
     */
    public static MemorySpan.Budget docs() {
        return new MemorySpan.Budget(32, Long.parseLong(DOCS_STEPS), 16, 0.01, 5, 32, 2, 2, 16);
    }

    /** As {@link #docs()}, with the page's steps. */
    public static MemorySpan.Budget page() {
        return docs().withSteps(PAGE_STEPS);
    }

    /** Steps of every page run. */
    public static final long PAGE_STEPS = 400;

    private MemorySpanDefaults() {
    }
}
