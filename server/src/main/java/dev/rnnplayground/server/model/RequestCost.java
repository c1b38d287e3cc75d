package dev.rnnplayground.server.model;

import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.server.job.MemoryBudget;
import java.util.List;

/**
 * What one request on a stored model will cost, worked out from what the model file says before any
 * work starts, so that no model the server holds can make a request take a core for minutes or
 * exhaust the heap: the multiply-adds (positions read or written × what one position costs) and
 * the activation buffers the computation keeps at once (positions × what one position keeps, the
 * vocabulary-sized logits and their gradients included). Sample, predict, inspect, reach and
 * score-task all check here.
 *
 * <p>This is the one place a model family's cost per position is computed, from its
 * {@link Architecture}. A recurrent network costs its parameters once per position, whatever came
 * before; a gpt adds attention, where each position reads every earlier one of its block (work and
 * memory growing with the square of the context): {@link #workPerPosition} counts a full block of
 * T earlier positions, and a gpt keeps the keys and values of up to T positions while it writes.
 */
public final class RequestCost {

    /**
     * Most multiply-adds one request may cost: about 10 seconds of one core at worst. The shipped
     * 1.9 M-parameter LSTM reaches it at about 5,260 symbols read and written.
     */
    public static final long MAX_WORK = 10_000_000_000L;
    /**
     * Most memory the activation buffers of one request may take: 256 MB (the shipped LSTM's reach
     * measurement, 25 windows of 126 steps, takes 177 MB). {@link InferenceGate} lets only as many
     * requests compute at once as a quarter of the heap holds of these, so requests together stay
     * within that quarter whatever model they run.
     */
    public static final long MAX_ACTIVATION_BYTES = 256L * 1024 * 1024;

    private RequestCost() {
    }

    /**
     * Multiply-adds of one position (one symbol read or written by one stream): each parameter once,
     * and for a gpt, in every block, the query against T keys and the weights against T values
     * (2·T·C, with T the whole block: a long text keeps the block full); for an LSTM that attends,
     * the same over its last K states (2·K·H).
     */
    public static long workPerPosition(ModelInfo model) {
        Architecture a = model.toArchitecture();
        long attention = switch (a.kind()) {
            case GPT -> 2L * a.layers() * a.blockSize() * a.hidden();
            case ATTENTIVE_LSTM -> 2L * a.attend() * a.hidden();
            default -> 0;
        };
        return Math.max(1, model.parameterCount() + attention);
    }

    /**
     * Bytes one position keeps while a request computes: the network's activations (as a training
     * window keeps them, {@link MemoryBudget#activationDoubles}) and the logits with their gradients.
     */
    static long bytesPerPosition(ModelInfo model) {
        Architecture a = model.toArchitecture();
        return 8 * (MemoryBudget.activationDoubles(a, a.blockSize()) + 2L * model.vocabSize());
    }

    /**
     * Adds a sentence to {@code errors} when a request would cost too much.
     *
     * @param field           the request's field to shorten, named in the sentence
     * @param positions       symbols read or written in all
     * @param passes          passes over them (1 forward; 3 for inspect, which also runs backwards twice)
     * @param positionsAtOnce positions whose activations are kept together (1 when stepping one symbol at a time)
     */
    public static void check(String field, long positions, int passes, long positionsAtOnce, ModelInfo model,
                             List<String> errors) {
        Architecture a = model.toArchitecture();
        long perPosition = workPerPosition(model) * passes;
        if (positions > MAX_WORK / perPosition) {
            String attention = a.kind() == CellType.GPT ? " and attends over a block of " + a.blockSize() : "";
            errors.add(field + ": this model has " + model.parameterCount() + " parameters" + attention + ", so a request"
                    + " may read and write at most " + MAX_WORK / perPosition + " symbols in all, got " + positions);
            return;
        }
        long bytes = bytesPerPosition(model);
        // a gpt keeps what it computed for the last positions of its block, even stepping one at a time
        int context = a.kind() == CellType.GPT ? a.blockSize() : 1;
        positionsAtOnce = Math.max(positionsAtOnce, Math.min(positions, context));
        if (positionsAtOnce > MAX_ACTIVATION_BYTES / bytes) {
            errors.add(field + ": this model (" + model.vocabSize() + " symbols, " + model.layers() + " × " + model.hidden()
                    + " units) keeps " + bytes + " bytes per symbol while it computes, so a request may hold at most "
                    + MAX_ACTIVATION_BYTES / bytes + " symbols at once, got " + positionsAtOnce);
        }
    }
}
