package dev.rnnplayground.server.model;

import dev.rnnplayground.core.sample.Sampler;
import java.util.List;

/** What {@code POST /api/models/{id}/predict} returns: candidates for the next symbol, likeliest first. */
public record PredictResult(String prime, List<Sampler.Candidate> candidates, List<String> skippedSymbols) {
}
