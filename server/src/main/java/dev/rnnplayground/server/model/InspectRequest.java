package dev.rnnplayground.server.model;

/**
 * {@code POST /api/models/{id}/inspect}: a window of text to look inside the model with.
 *
 * @param text  2 to {@value Inference#MAX_INSPECT_SYMBOLS} symbols the model knows
 * @param gates true to add every layer's gate values per step (fewer symbols are then allowed)
 */
public record InspectRequest(String text, Boolean gates) {
}
