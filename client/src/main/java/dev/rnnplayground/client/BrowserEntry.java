package dev.rnnplayground.client;

import dev.rnnplayground.core.gpt.AttentionSteps;
import dev.rnnplayground.core.io.Json;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.lab.GradientCheck;
import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.AttentionWeights;
import dev.rnnplayground.core.model.Attending;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.rnn.BackwardSteps;
import dev.rnnplayground.core.sample.Generator;
import org.teavm.jso.JSExport;

/**
 * The browser's way into rnn-core. TeaVM compiles this class, and the core code it reaches, to
 * {@code /client/rnn.js} (JavaScript) and {@code /client/rnn.wasm} (WebAssembly GC); each
 * {@link JSExport} method becomes a function of the same name in both builds.
 *
 * <p>The surface stays thin on purpose: static methods over primitives, strings and arrays, so
 * the page never holds a Java object and both builds behave the same. The page holds integer
 * handles instead ({@link Handles}): one per loaded model, one per writing session (a
 * {@link WritingSession} around a core {@link Generator}, writing what the server's sampler writes).
 * This class is the list of what the page can call; each export looks up its handle and hands the
 * work to the session, to {@link ModelFacts} or to {@link Experiments}.
 *
 * <p>A model is any family ({@link LanguageModel}: a recurrent network, a gpt, a bigram): writing
 * works for all of them; the exports that look inside a recurrent network (gates, hidden, cell
 * state) return an empty array for the others.
 *
 * <p>Nothing here throws into the page: a failing call returns 0 (or an empty result) and
 * {@link #lastError()} says why in plain words ({@link LastError}).
 */
public final class BrowserEntry {

    private BrowserEntry() {
    }

    /** Why the last call that returned 0 failed; empty after a call that succeeded. */
    @JSExport
    public static String lastError() {
        return LastError.message();
    }

    // ---- models ------------------------------------------------------------------------------

    /**
     * Reads a model from the bytes of its {@code .safetensors} file.
     *
     * @return a model handle (at least 1), or 0 when the bytes are not a model; see {@link #lastError()}
     */
    @JSExport
    public static int loadModel(byte[] safetensors) {
        try {
            int handle = Handles.addModel(ModelFile.readModel(safetensors));
            LastError.clear();
            return handle;
        } catch (RuntimeException e) {
            return LastError.fail(e);
        }
    }

    /** Forgets a model and every session writing with it. */
    @JSExport
    public static void unloadModel(int model) {
        Handles.removeModel(model);
    }

    /**
     * What a model is, as a JSON object: {@code "cell"}, {@code "hiddenSize"} (a gpt's n_embd) and
     * {@code "layers"} for every family, then its file's shape metadata ({@code hidden_size},
     * {@code num_layers} for a recurrent network; {@code n_layer}, {@code n_head}, {@code n_embd},
     * {@code block_size}, {@code bias} for a gpt), {@code "vocabSize"}, {@code "parameterCount"}
     * and, for a model that reads a bounded context, {@code "contextLimit"}:
     * {@code {"cell":"lstm","hiddenSize":128,"layers":2,"hidden_size":"128","num_layers":"2","vocabSize":65,...}}.
     * Empty for an unknown handle.
     */
    @JSExport
    public static String modelInfo(int model) {
        LanguageModel m = Handles.model(model);
        return m == null ? "" : ModelFacts.info(m);
    }

    /**
     * Weights and biases of a model of this shape, counted by core without building it
     * ({@link Architecture#parameterCount}), so "Compare runs" sizes its runs and labels its table
     * with the count the server and the model file use. A number (not a long, which would reach the
     * page as a BigInt); -1 for an unknown family, see {@link #lastError()}.
     *
     * @param cell      rnn, lstm, gru, gpt, lstm-attention or bigram
     * @param hidden    hidden units, a gpt's n_embd
     * @param layers    recurrent layers or transformer blocks
     * @param heads     a gpt's heads (ignored by the others)
     * @param blockSize a gpt's block: its training window (ignored by the others)
     * @param bias      1 when a gpt's Linear and LayerNorm layers have biases
     * @param vocabSize symbols of the text
     */
    @JSExport
    public static double parameterCount(String cell, int hidden, int layers, int heads, int blockSize, int bias, int vocabSize) {
        return ModelFacts.parameterCount(cell, hidden, layers, heads, blockSize, bias, vocabSize);
    }

    /** The model's symbols in index order, as a JSON array of strings. */
    @JSExport
    public static String vocabulary(int model) {
        LanguageModel m = Handles.model(model);
        return m == null ? "[]" : Json.write(m.vocab().symbols());
    }

    /** The distinct symbols of a text the model does not know, sorted, as one string ("" when all known). */
    @JSExport
    public static String unknownSymbols(int model, String text) {
        LanguageModel m = Handles.model(model);
        return m == null ? "" : String.join("", m.vocab().encode(text).skippedSymbols());
    }

    // ---- sessions ----------------------------------------------------------------------------

    /**
     * Starts writing with a model from the all-zero state.
     *
     * @param temperature 0 = always the most likely character; 1 = the model's own distribution
     * @param topK        draw only among the k most likely; 0 = all
     * @param seed        a decimal long, as given to the server and {@code ./rnn sample --seed}
     *                    (a string because a JavaScript number cannot hold every long)
     * @return a session handle (at least 1), or 0 on bad settings; see {@link #lastError()}
     */
    @JSExport
    public static int startSession(int model, double temperature, int topK, String seed) {
        return WritingSession.start(model, temperature, topK, seed);
    }

    @JSExport
    public static void endSession(int session) {
        Handles.removeSession(session);
    }

    /**
     * Feeds one symbol of a prime: the model reads it and predicts the next.
     *
     * @param symbol one code point, as a string
     * @return false when the model does not know the symbol (it is skipped, as the server skips it)
     */
    @JSExport
    public static boolean feed(int session, String symbol) {
        WritingSession s = Handles.session(session);
        return s != null && s.feed(symbol);
    }

    /** Draws the next symbol with the session's temperature, top-k and generator, feeds it back, returns it. */
    @JSExport
    public static String next(int session) {
        WritingSession s = Handles.session(session);
        return s == null ? "" : s.next();
    }

    /** The model's probabilities (temperature 1) for the next symbol, in vocabulary order (V). */
    @JSExport
    public static double[] probabilities(int session) {
        WritingSession s = Handles.session(session);
        return s == null ? new double[0] : s.probabilities();
    }

    /**
     * The distribution the sampler draws the next symbol from with this temperature and top-k
     * (core's {@link Generator#drawDistribution(double[], double, int)}), in vocabulary order (V).
     */
    @JSExport
    public static double[] drawDistribution(int session, double temperature, int topK) {
        WritingSession s = Handles.session(session);
        return s == null ? new double[0] : s.drawDistribution(temperature, topK);
    }

    /**
     * Every layer's gate values after the last symbol, bottom layer first (layers * G * H): i, f,
     * g, o for an LSTM, r, z, n for a GRU, the pre-activation for a vanilla RNN (G = 1); empty for
     * a model that is not a recurrent network.
     */
    @JSExport
    public static double[] gates(int session) {
        WritingSession s = Handles.session(session);
        return s == null ? new double[0] : s.gates();
    }

    /** Every layer's hidden state after the last symbol, bottom layer first (layers * H); empty but for a recurrent network. */
    @JSExport
    public static double[] hidden(int session) {
        WritingSession s = Handles.session(session);
        return s == null ? new double[0] : s.hidden();
    }

    /** Every layer's LSTM cell state after the last symbol, bottom layer first (layers * H); empty for other cells. */
    @JSExport
    public static double[] cellState(int session) {
        WritingSession s = Handles.session(session);
        return s == null ? new double[0] : s.cellState();
    }

    /** How many symbols a model knows (0 for an unknown handle). */
    @JSExport
    public static int vocabSize(int model) {
        LanguageModel m = Handles.model(model);
        return m == null ? 0 : m.vocab().size();
    }

    // ---- attention: where a model that attends looks (a gpt, the attending LSTM) ------------

    /** {layers, heads} of a model that attends ({@link Attending}); empty for any other model or an unknown handle. */
    @JSExport
    public static double[] attentionLayout(int model) {
        return ModelFacts.attentionLayout(Handles.model(model));
    }

    /**
     * Where the session's last symbol looked ({@link Generator#attention()}): {layers, heads,
     * positions, newestBack} (see {@link AttentionWeights}), then layers × heads × positions weights,
     * oldest position first. Empty for a model that does not attend, or before the first symbol.
     */
    @JSExport
    public static double[] attention(int session) {
        WritingSession s = Handles.session(session);
        return s == null ? new double[0] : s.attention();
    }

    /**
     * Core's {@link Attending#attentionMatrix}: the model reads the text's symbols from the start
     * (unknown ones skipped; a gpt at most its block, so pass what its cache holds) and one head's
     * weights at each of the last {@code window} characters over those characters come back, (W, W)
     * row-major. Empty for a model that does not attend or bad arguments; see {@link #lastError()}.
     */
    @JSExport
    public static double[] attentionMatrix(int model, String text, int layer, int head, int window) {
        return ModelFacts.attentionMatrix(model, text, layer, head, window);
    }

    // ---- experiments ---------------------------------------------------------------------------

    /**
     * Core's {@link GradientCheck} in the page: every analytic gradient of a small model of the
     * cell (V=5, H=4, B=2, a window of 5) against central differences, with the analytic side's
     * BPTT cut {@code truncatedSteps} steps back (0 = not cut). A JSON object:
     * {@code {"cell","layers","truncatedSteps","window","passed","tensorError","params":[{"name",
     * "checked","maxRelativeError","maxAbsoluteError","analytic","numeric","tensorError","passed"}]}}
     * (tensorError: ||analytic - numeric|| / ||numeric||, the worst tensor's at the top); empty on bad
     * arguments (see {@link #lastError()}).
     */
    @JSExport
    public static String gradientCheck(String cell, int layers, int truncatedSteps, String seed) {
        return Experiments.gradientCheck(cell, layers, truncatedSteps, seed);
    }

    /**
     * Core's {@link BackwardSteps} in the page: a fresh model of the cell with
     * {@link BackwardSteps#TINY_HIDDEN} units (initialised from {@code seed}, over the symbols of
     * {@code text}) reads text[0..T-1], predicts text[1..T], and runs {@code steps} steps of BPTT
     * back from t = T-1 (0 to T). Called again with one more step for each press of the page's
     * button: every call computes from scratch, so a link with the step count restores the view.
     * A JSON object: {@code {"cell","hidden","window","loss","inputs","targets","hiddenStates":[[H] per t],
     * "parameters":[4 names],"decoder":[||dW_dec||,||db_dec||],"steps":[{"t","fromLoss","fromLater","total",
     * "cellFromLater","gateGradients","passedBack","cellPassedBack","accumulated"}]}} (the cell* fields null
     * but for an LSTM); empty on bad arguments (see {@link #lastError()}).
     */
    @JSExport
    public static String bpttSteps(String cell, String text, String seed, int steps) {
        return Experiments.bpttSteps(cell, text, seed, steps);
    }

    /**
     * Core's {@link AttentionSteps} in the page: a fresh GPT of {@link AttentionSteps#TINY_CHANNELS}
     * channels and {@link AttentionSteps#TINY_HEADS} heads (initialised from {@code seed}, over the
     * symbols of {@code text}) and every stage of its first block's self-attention at one position,
     * for one head. A JSON object: {@code {"symbols":[the text's symbols],"position","head","heads",
     * "channels","headSize","layers","blockSize","vocabSize","parameterCount","stages":[{"id","tensors":[{"name",
     * "rows","columns","values"}]}]}} (the model's shape and size for the page's scale panel), values
     * row-major, a masked score (minus infinity) as null; empty on bad arguments (see {@link #lastError()}).
     */
    @JSExport
    public static String attentionSteps(String text, String seed, int position, int head) {
        return Experiments.attentionSteps(text, seed, position, head);
    }
}
