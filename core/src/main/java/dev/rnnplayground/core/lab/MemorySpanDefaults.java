package dev.rnnplayground.core.lab;

import dev.rnnplayground.core.model.CellType;
import java.util.List;

/**
 * The two budgets of the memory-span experiment, chosen from timed runs (docs/results.md): the
 * page's, which must finish within a few minutes on a shared two-core machine and still show the
 * gated cells ahead of the vanilla RNN, and the docs' table, run from the command line, which may
 * take longer. Both give every model the same width, batch, optimizer and steps.
 */
public final class MemorySpanDefaults {

    /** The docs' gaps: 20 past the attending LSTM's K of 16, 40 past the GPT's block of 32 too. */
    public static final String DOCS_GAPS = "5,20,40";
    /** Steps of every docs run. */
    public static final String DOCS_STEPS = "2000";

    /**
     * The page's gaps: one every model recalls, 10, where at the page's budget the gated cells were
     * ahead of the vanilla RNN in one seed (at 15 the vanilla RNN was ahead; at 20 none had learnt yet),
     * and 40, past the GPT's block.
     */
    public static final List<Integer> PAGE_GAPS = List.of(5, 10, 40);
    /**
     * The page's models: the four the fast engine trains. The attending LSTM trains on the reference
     * engine, about ten times slower here, and would take the page's run past its few minutes; the
     * page offers it unticked.
     */
    public static final List<CellType> PAGE_CELLS = List.of(CellType.RNN, CellType.LSTM, CellType.GRU, CellType.GPT);

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
