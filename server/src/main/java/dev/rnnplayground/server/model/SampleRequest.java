package dev.rnnplayground.server.model;

/**
 * {@code POST /api/models/{id}/sample}: the options of {@code rnn sample}; a missing field takes
 * the command line's default.
 *
 * @param prime       text the model reads before writing (default empty)
 * @param length      characters to write, 0 to {@value Inference#MAX_SAMPLE_LENGTH} (default 200)
 * @param temperature 0 = always the likeliest, 1 = as learned, up to 100 (default 1)
 * @param topK        draw among the k likeliest, 0 = all (default 0)
 * @param seed        same seed, same text (default 1)
 */
public record SampleRequest(String prime, Integer length, Double temperature, Integer topK, Long seed) {
}
