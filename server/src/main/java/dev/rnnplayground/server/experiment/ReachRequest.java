package dev.rnnplayground.server.experiment;

/**
 * {@code POST /api/models/{id}/reach}: a text to measure how far back the model's gradients reach.
 *
 * @param text      at least lags + 27 symbols the model knows (held-out or written text)
 * @param positions predictions measured, spread evenly over the text (default 100)
 * @param lags      steps back measured (default 100)
 */
public record ReachRequest(String text, Integer positions, Integer lags) {
}
