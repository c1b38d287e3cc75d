package dev.rnnplayground.server.model;

import java.util.List;

/** What {@code POST /api/models/{id}/sample} returns: the text written after the prime, and the options used. */
public record SampleResult(String text, String prime, int length, double temperature, int topK, long seed,
                           List<String> skippedSymbols) {
}
