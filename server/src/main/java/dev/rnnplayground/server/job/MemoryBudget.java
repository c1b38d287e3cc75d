package dev.rnnplayground.server.job;

import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.server.common.ServiceException;
import java.util.Locale;
import java.util.Map;

/**
 * How much memory a training job will take, estimated before anything is allocated, so that a spec
 * that cannot fit is refused with a sentence instead of killing the server with an
 * OutOfMemoryError. A job may use {@value #HEAP_SHARE} of the heap, divided among the workers;
 * the rest is for the server itself, the model cache and requests.
 *
 * <p>The estimate is for the float64 reference engine (an upper bound: a float32 engine needs
 * half) and counts what core allocates, in doubles (8 bytes each):
 * <ul>
 *   <li>parameters P: weights, gradients, a transposed copy (the samples written during training),
 *       the optimizer's state (Adam 2 per parameter, RMSprop and Adagrad 1) and a checkpoint copy;</li>
 *   <li>activations for one window of T steps × B streams, per layer: the hidden state, the cell
 *       state (LSTM), every gate's values (G·H) and one more H (LSTM tanh(c), GRU's n), and on top
 *       the decoder's inputs and the gradients carried back (4·H); for a gpt, per block about 16·C
 *       (two layer norms, q, k, v, the attention output, the MLP's 4·C before and after GELU, the
 *       residuals) plus each head's row of attention weights over the T positions (heads·T);</li>
 *   <li>the logits and their gradients, T × B × V each;</li>
 *   <li>the corpus itself, about 8 bytes per symbol (the text and its symbol indices).</li>
 * </ul>
 */
public final class MemoryBudget {

    /** The share of the JVM's maximum heap that all running jobs together may take. */
    public static final double HEAP_SHARE = 0.5;

    private MemoryBudget() {
    }

    /** The parts of the estimate, in bytes. */
    public record Estimate(long parameters, long activations, long logits, long corpus) {
        public long total() {
            return parameters + activations + logits + corpus;
        }
    }

    public static Estimate estimate(JobSpec request, int vocab, long corpusSymbols) {
        long p = request.parameterCount(vocab);
        TrainConfig spec = request.toConfig();
        int optimizerState = switch (spec.optimizer()) {
            case ADAM, ADAMW -> 2;
            case SGD -> 0;
            default -> 1;
        };
        long window = (long) spec.seqLength() * spec.batchSize();
        long activations = window * activationDoubles(spec.architecture(), spec.seqLength());
        long logits = 2 * window * vocab;
        return new Estimate(8 * p * (4 + optimizerState), 8 * activations, 8 * logits, 8 * corpusSymbols);
    }

    /**
     * Doubles one position of a window (one step of one stream) keeps, besides the logits, when it
     * reads {@code context} positions at once. A recurrent network, per layer: the hidden state,
     * the cell state (LSTM), every gate's values (G·H) and one more H (LSTM tanh(c), GRU's n); on
     * top the decoder's inputs and the gradients carried back (4·H). A gpt, per block: about 16·C
     * and each head's attention weights over the context (heads·T), the term that grows with the
     * context. An LSTM that attends: the LSTM's, plus its query, key, value and context vectors and
     * its K attention scores and weights. A bigram: nothing but its logits. Requests on stored models count the same
     * ({@code RequestCost}).
     */
    public static long activationDoubles(Architecture a, long context) {
        long hidden = a.hidden();
        return switch (a.kind()) {
            case BIGRAM -> 0;
            case GPT -> a.layers() * (16 * hidden + a.heads() * Math.min(context, a.blockSize())) + 4 * hidden;
            case RNN, LSTM, GRU -> a.layers() * (a.kind().gates() + (a.kind() == CellType.LSTM ? 3 : 2)) * hidden + 4 * hidden;
            // the LSTM's, then the query, key, value and context (4·H) and K scores and weights
            case ATTENTIVE_LSTM -> a.layers() * 7 * hidden + 4 * hidden + 4 * hidden + 2L * a.attend();
        };
    }

    /** The bytes one job may take with {@code workers} jobs training at once. */
    public static long perJob(int workers) {
        return (long) (Runtime.getRuntime().maxMemory() * HEAP_SHARE / Math.max(1, workers));
    }

    /** Refuses (400) a job whose estimate exceeds {@code allowed} bytes, saying what to lower. */
    public static void check(JobSpec request, int vocab, long corpusSymbols, long allowed) {
        Estimate e = estimate(request, vocab, corpusSymbols);
        TrainConfig spec = request.toConfig();
        if (e.total() <= allowed) return;
        String lower;
        String field;
        if (e.logits() >= e.activations() && e.logits() >= e.parameters() && e.logits() >= e.corpus()) {
            field = "batchSize";
            lower = "lower batchSize × seqLength (now " + spec.batchSize() + " × " + spec.seqLength()
                    + "), or train on a text with fewer distinct symbols (now " + vocab + ")";
        } else if (e.activations() >= e.parameters() && e.activations() >= e.corpus()) {
            field = "batchSize";
            lower = "lower batchSize × seqLength (now " + spec.batchSize() + " × " + spec.seqLength()
                    + ") or hidden × layers (now " + spec.hidden() + " × " + spec.layers() + ")";
        } else if (e.parameters() >= e.corpus()) {
            field = "hidden";
            lower = "lower hidden or layers (now " + spec.hidden() + " × " + spec.layers() + ")";
        } else {
            field = "corpusId";
            lower = "use a shorter text (now " + corpusSymbols + " symbols)";
        }
        String sentence = "This job would need about " + size(e.total()) + " of memory, but this server lets a job use "
                + size(allowed) + "; " + lower + ".";
        throw new ServiceException(ServiceException.Kind.INVALID, "Job too large", sentence,
                Map.of(field, "the job would need about " + size(e.total()) + " of memory, at most " + size(allowed)));
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        return String.format(Locale.ROOT, "%d MB", Math.max(1, Math.round(bytes / (double) (1L << 20))));
    }
}
