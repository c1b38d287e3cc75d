package dev.rnnplayground.server.model;

/**
 * {@code POST /api/models/{id}/inspect}: a window of text to look inside the model with.
 *
 * @param text 2 to {@value ModelService#MAX_INSPECT_SYMBOLS} symbols the model knows
 */
public record InspectRequest(String text) {
}
