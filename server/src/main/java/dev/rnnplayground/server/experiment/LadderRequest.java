package dev.rnnplayground.server.experiment;

import java.util.List;

/**
 * {@code POST /api/experiments/ladder}: the ablation ladder on a short budget.
 *
 * @param corpusId the text, an uploaded corpus of at least {@value LadderService#MIN_SYMBOLS} symbols
 * @param rungs    which rungs, by id (bigram, one-head, four-heads, mlp, residual, layernorm); default all.
 *                 The page asks for one at a time, to show its progress rung by rung.
 * @param steps    optimizer steps per rung, 1 to {@value LadderService#MAX_STEPS} (default {@value LadderService#DEFAULT_STEPS})
 * @param seed     initial weights and the windows drawn (default 1)
 */
public record LadderRequest(String corpusId, List<String> rungs, Integer steps, Long seed) {
}
