package dev.rnnplayground.server.model;

/**
 * {@code POST /api/models/{id}/predict}: the options of {@code rnn predict}.
 *
 * @param prime text the model reads first (default empty: the prediction from the zero state)
 * @param top   how many candidates, 1 to {@value Inference#MAX_TOP} (default 10)
 */
public record PredictRequest(String prime, Integer top) {
}
