package dev.rnnplayground.server.experiment;

import java.util.List;

/**
 * {@code POST /api/experiments/memory-span}: which models, gaps and seeds to run; every field may
 * be left out, and then takes the page's default ({@code core.lab.MemorySpanDefaults}).
 *
 * @param cells models among rnn, lstm, gru, lstm-attention and gpt (default: all five)
 * @param gaps  recall gaps, 0 to {@value MemorySpanService#MAX_GAP} (default: the page's)
 * @param seeds seeds per model and gap, 1 to {@value MemorySpanService#MAX_SEEDS}
 * @param steps optimizer steps of every run, 1 to {@value MemorySpanService#MAX_STEPS}
 */
public record MemorySpanRequest(List<String> cells, List<Integer> gaps, Integer seeds, Integer steps) {
}
