package dev.rnnplayground.core.train;

/**
 * What one optimizer step reports, as plain data for progress bars and charts.
 *
 * @param step           1-based step number just completed
 * @param loss           mean training loss of the window, nats per character
 * @param gradientNorm   global L2 norm of the gradient before clipping
 * @param clipped        whether clipping changed the gradient
 * @param epoch          passes over the training text so far (fractional)
 * @param charactersSeen characters trained on so far (B * T per step)
 */
public record StepReport(long step, double loss, double gradientNorm, boolean clipped, double epoch,
                         long charactersSeen) {
}
