package dev.rnnplayground.client;

import dev.rnnplayground.core.gpt.AttentionSteps;
import dev.rnnplayground.core.io.Json;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.lab.GradientCheck;
import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.AttentionWeights;
import dev.rnnplayground.core.model.Attending;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.rnn.BackwardSteps;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.sample.Generator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.teavm.jso.JSExport;

/**
 * The browser's way into rnn-core. TeaVM compiles this class, and the core code it reaches, to
 * {@code /client/rnn.js} (JavaScript) and {@code /client/rnn.wasm} (WebAssembly GC); each
 * {@link JSExport} method becomes a function of the same name in both builds.
 *
 * <p>The surface stays thin on purpose: static methods over primitives, strings and arrays, so
 * the page never holds a Java object and both builds behave the same. The page holds integer
 * handles instead: one per loaded model, one per writing session (a core {@link Generator}).
 * A session is the very code path {@code Sampler.sample} takes on the server and in
 * {@code ./rnn sample}, fed the prime symbol by symbol, so the page writes the same text from the
 * same model, prime, settings and seed.
 *
 * <p>A model is any family ({@link LanguageModel}: a recurrent network, a gpt, a bigram): writing
 * works for all of them; the exports that look inside a recurrent network (gates, hidden, cell
 * state) return an empty array for the others.
 *
 * <p>Nothing here throws into the page: a failing call returns 0 (or an empty result) and
 * {@link #lastError()} says why in plain words.
 */
public final class BrowserEntry {

    private static final Map<Integer, LanguageModel> models = new HashMap<>();
    private static final Map<Integer, Session> sessions = new HashMap<>();
    private static int nextHandle = 1;
    private static String lastError = "";

    /** A generator and the model it writes with. */
    private record Session(LanguageModel model, Generator generator) {
    }

    private BrowserEntry() {
    }

    /** Why the last call that returned 0 failed; empty after a call that succeeded. */
    @JSExport
    public static String lastError() {
        return lastError;
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
            LanguageModel model = ModelFile.readModel(safetensors);
            int handle = nextHandle++;
            models.put(handle, model);
            lastError = "";
            return handle;
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    /** Forgets a model and every session writing with it. */
    @JSExport
    public static void unloadModel(int model) {
        models.remove(model);
        sessions.values().removeIf(s -> !models.containsValue(s.model()));
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
        LanguageModel m = models.get(model);
        if (m == null) return "";
        Architecture a = Architecture.fromShape(m.shape(), ModelFile.MAX_HIDDEN_SIZE);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("cell", a.kind().id());
        info.put("hiddenSize", a.hidden());
        info.put("layers", a.layers());
        info.putAll(m.shape());
        info.put("vocabSize", m.vocab().size());
        info.put("parameterCount", m.parameterCount());
        if (m.contextLimit() != Integer.MAX_VALUE) info.put("contextLimit", m.contextLimit());
        return Json.write(info);
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
        try {
            Architecture a = new Architecture(CellType.parse(cell), hidden, layers, heads, blockSize, bias != 0, 1);
            lastError = "";
            return a.parameterCount(vocabSize);
        } catch (RuntimeException e) {
            fail(e);
            return -1;
        }
    }

    /** The model's symbols in index order, as a JSON array of strings. */
    @JSExport
    public static String vocabulary(int model) {
        LanguageModel m = models.get(model);
        return m == null ? "[]" : Json.write(m.vocab().symbols());
    }

    /** The distinct symbols of a text the model does not know, sorted, as one string ("" when all known). */
    @JSExport
    public static String unknownSymbols(int model, String text) {
        LanguageModel m = models.get(model);
        if (m == null) return "";
        return String.join("", m.vocab().encode(text).skippedSymbols());
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
        LanguageModel m = models.get(model);
        if (m == null) return fail("no model with handle " + model);
        try {
            long s = Long.parseLong(seed.trim());
            sessions.put(nextHandle, new Session(m, new Generator(m, temperature, topK, s)));
            lastError = "";
            return nextHandle++;
        } catch (NumberFormatException e) {
            return fail("the seed must be a whole number, got \"" + seed + "\"");
        } catch (RuntimeException e) {
            return fail(e);
        }
    }

    @JSExport
    public static void endSession(int session) {
        sessions.remove(session);
    }

    /**
     * Feeds one symbol of a prime: the model reads it and predicts the next.
     *
     * @param symbol one code point, as a string
     * @return false when the model does not know the symbol (it is skipped, as the server skips it)
     */
    @JSExport
    public static boolean feed(int session, String symbol) {
        Session s = sessions.get(session);
        if (s == null || symbol.isEmpty()) return false;
        // the method Sampler feeds its prime through, one symbol at a time
        return s.generator().feed(symbol.substring(0, Character.charCount(symbol.codePointAt(0)))).ids().length > 0;
    }

    /** Draws the next symbol with the session's temperature, top-k and generator, feeds it back, returns it. */
    @JSExport
    public static String next(int session) {
        Session s = sessions.get(session);
        if (s == null) return "";
        return s.model().vocab().symbol(s.generator().next());
    }

    /** The model's probabilities (temperature 1) for the next symbol, in vocabulary order (V). */
    @JSExport
    public static double[] probabilities(int session) {
        Session s = sessions.get(session);
        return s == null ? new double[0] : s.generator().probabilities();
    }

    /**
     * The distribution the sampler draws the next symbol from with this temperature and top-k
     * (core's {@link Generator#drawDistribution(double[], double, int)}), in vocabulary order (V).
     */
    @JSExport
    public static double[] drawDistribution(int session, double temperature, int topK) {
        Session s = sessions.get(session);
        if (s == null || !(temperature >= 0) || topK < 0) return new double[0];
        return Generator.drawDistribution(s.generator().logits(), temperature, topK);
    }

    /**
     * Every layer's gate values after the last symbol, bottom layer first (layers * G * H): i, f,
     * g, o for an LSTM, r, z, n for a GRU, the pre-activation for a vanilla RNN (G = 1); empty for
     * a model that is not a recurrent network.
     */
    @JSExport
    public static double[] gates(int session) {
        CharRnn m = recurrent(session);
        if (m == null) return new double[0];
        Session s = sessions.get(session);
        int width = m.cell().gates() * m.hiddenSize();
        double[] out = new double[m.numLayers() * width];
        for (int l = 0; l < m.numLayers(); l++) System.arraycopy(s.generator().gates(l), 0, out, l * width, width);
        return out;
    }

    /** Every layer's hidden state after the last symbol, bottom layer first (layers * H); empty but for a recurrent network. */
    @JSExport
    public static double[] hidden(int session) {
        CharRnn m = recurrent(session);
        if (m == null) return new double[0];
        Session s = sessions.get(session);
        double[] out = new double[m.numLayers() * m.hiddenSize()];
        for (int l = 0; l < m.numLayers(); l++) {
            System.arraycopy(s.generator().hidden(l), 0, out, l * m.hiddenSize(), m.hiddenSize());
        }
        return out;
    }

    /** Every layer's LSTM cell state after the last symbol, bottom layer first (layers * H); empty for other cells. */
    @JSExport
    public static double[] cellState(int session) {
        CharRnn m = recurrent(session);
        Session s = sessions.get(session);
        if (m == null || s.generator().cellState(0) == null) return new double[0];
        double[] out = new double[m.numLayers() * m.hiddenSize()];
        for (int l = 0; l < m.numLayers(); l++) {
            System.arraycopy(s.generator().cellState(l), 0, out, l * m.hiddenSize(), m.hiddenSize());
        }
        return out;
    }

    /** How many symbols a model knows (0 for an unknown handle). */
    @JSExport
    public static int vocabSize(int model) {
        LanguageModel m = models.get(model);
        return m == null ? 0 : m.vocab().size();
    }

    /** The session's model if it is a recurrent network (what the views inside one need), else null. */
    private static CharRnn recurrent(int session) {
        Session s = sessions.get(session);
        return s != null && s.model() instanceof CharRnn rnn ? rnn : null;
    }

    // ---- attention: where a model that attends looks (a gpt, the attending LSTM) ------------

    /** {layers, heads} of a model that attends ({@link Attending}); empty for any other model or an unknown handle. */
    @JSExport
    public static double[] attentionLayout(int model) {
        return models.get(model) instanceof Attending a ? new double[] {a.attentionLayers(), a.attentionHeads()} : new double[0];
    }

    /**
     * Where the session's last symbol looked ({@link Generator#attention()}): {layers, heads,
     * positions, newestBack} (see {@link AttentionWeights}), then layers × heads × positions weights,
     * oldest position first. Empty for a model that does not attend, or before the first symbol.
     */
    @JSExport
    public static double[] attention(int session) {
        Session s = sessions.get(session);
        AttentionWeights a = s == null ? null : s.generator().attention();
        if (a == null) return new double[0];
        double[] out = new double[4 + a.weights().length];
        out[0] = a.layers();
        out[1] = a.heads();
        out[2] = a.positions();
        out[3] = a.newestBack();
        System.arraycopy(a.weights(), 0, out, 4, a.weights().length);
        return out;
    }

    /**
     * Core's {@link Attending#attentionMatrix}: the model reads the text's symbols from the start
     * (unknown ones skipped; a gpt at most its block, so pass what its cache holds) and one head's
     * weights at each of the last {@code window} characters over those characters come back, (W, W)
     * row-major. Empty for a model that does not attend or bad arguments; see {@link #lastError()}.
     */
    @JSExport
    public static double[] attentionMatrix(int model, String text, int layer, int head, int window) {
        LanguageModel m = models.get(model);
        if (!(m instanceof Attending a)) {
            fail(m == null ? "no model with handle " + model : "this model does not attend");
            return new double[0];
        }
        try {
            double[] matrix = a.attentionMatrix(m.vocab().encode(text).ids(), layer, head, window);
            lastError = "";
            return matrix;
        } catch (RuntimeException e) {
            fail(e);
            return new double[0];
        }
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
        return json(seed, s -> {
            if (layers < 1 || layers > CharRnn.MAX_LAYERS) throw new IllegalArgumentException("layers must be 1 to " + CharRnn.MAX_LAYERS);
            GradientCheck.Result r = GradientCheck.run(CellType.parse(cell), layers, s, truncatedSteps);
            List<Object> params = new ArrayList<>();
            for (GradientCheck.ParamResult p : r.params()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", p.name());
                row.put("checked", p.checked());
                row.put("maxRelativeError", p.maxRelativeError());
                row.put("maxAbsoluteError", p.maxAbsoluteError());
                row.put("analytic", p.analytic());
                row.put("numeric", p.numeric());
                row.put("tensorError", p.tensorError());
                row.put("passed", p.passed());
                params.add(row);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("cell", r.cell().id());
            out.put("layers", r.layers());
            out.put("truncatedSteps", r.truncatedSteps());
            out.put("window", GradientCheck.WINDOW);
            out.put("passed", r.passed());
            out.put("tensorError", r.worstTensorError());
            out.put("params", params);
            return out;
        });
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
        return json(seed, s -> {
            BackwardSteps run = BackwardSteps.tinyModel(CellType.parse(cell), text, s);
            if (steps < 0 || steps > run.windowLength()) {
                throw new IllegalArgumentException("steps must be 0 to " + run.windowLength() + ", got " + steps);
            }
            List<Object> done = new ArrayList<>();
            for (int i = 0; i < steps; i++) {
                BackwardSteps.Step step = run.stepBack();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("t", step.t());
                row.put("fromLoss", numbers(step.fromLoss()));
                row.put("fromLater", numbers(step.fromLater()));
                row.put("total", numbers(step.total()));
                row.put("cellFromLater", numbers(step.cellFromLater()));
                row.put("gateGradients", numbers(step.gateGradients()));
                row.put("passedBack", numbers(step.passedBack()));
                row.put("cellPassedBack", numbers(step.cellPassedBack()));
                row.put("accumulated", numbers(step.accumulated()));
                done.add(row);
            }
            int[] symbols = text.codePoints().toArray();
            List<Object> inputs = new ArrayList<>(), targets = new ArrayList<>(), hidden = new ArrayList<>();
            for (int t = 0; t < run.windowLength(); t++) {
                inputs.add(new String(Character.toChars(symbols[t])));
                targets.add(new String(Character.toChars(symbols[t + 1])));
                hidden.add(numbers(run.hidden(t)));
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("cell", run.model().cell().id());
            out.put("hidden", run.model().hiddenSize());
            out.put("window", run.windowLength());
            out.put("loss", run.loss());
            out.put("inputs", inputs);
            out.put("targets", targets);
            out.put("hiddenStates", hidden);
            out.put("parameters", new ArrayList<Object>(run.parameterNames()));
            out.put("decoder", numbers(run.decoderGradientNorms()));
            out.put("steps", done);
            return out;
        });
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
        return json(seed, s -> {
            AttentionSteps run = AttentionSteps.tinyModel(text, s, position, head);
            List<Object> stages = new ArrayList<>();
            for (AttentionSteps.Stage stage : run.stages()) {
                List<Object> tensors = new ArrayList<>();
                for (AttentionSteps.Tensor t : stage.tensors()) {
                    List<Object> values = new ArrayList<>(t.values().length);
                    for (double v : t.values()) values.add(Double.isInfinite(v) ? null : v);   // JSON has no infinity
                    Map<String, Object> tensor = new LinkedHashMap<>();
                    tensor.put("name", t.name());
                    tensor.put("rows", t.rows());
                    tensor.put("columns", t.columns());
                    tensor.put("values", values);
                    tensors.add(tensor);
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", stage.id());
                row.put("tensors", tensors);
                stages.add(row);
            }
            List<Object> symbols = new ArrayList<>();
            text.codePoints().forEach(cp -> symbols.add(new String(Character.toChars(cp))));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("symbols", symbols);
            out.put("position", run.position());
            out.put("head", run.head());
            out.put("heads", run.heads());
            out.put("channels", run.channels());
            out.put("headSize", run.channels() / run.heads());
            out.put("layers", run.model().architecture().layers());
            out.put("blockSize", run.model().contextLimit());
            out.put("vocabSize", run.model().vocab().size());
            out.put("parameterCount", run.model().parameterCount());
            out.put("stages", stages);
            return out;
        });
    }

    /**
     * An experiment's answer as JSON, from a seed given as text; "" when the seed is not a whole
     * number or the experiment refuses its arguments, with {@link #lastError()} saying why.
     */
    private static String json(String seed, LongFunction<Object> experiment) {
        long s;
        try {
            s = Long.parseLong(seed.trim());
        } catch (NumberFormatException e) {
            fail("the seed must be a whole number, got \"" + seed + "\"");
            return "";
        }
        try {
            String out = Json.write(experiment.apply(s));
            lastError = "";
            return out;
        } catch (RuntimeException e) {
            fail(e);
            return "";
        }
    }

    /** A double[] as the list Json writes; null stays null. */
    private static List<Object> numbers(double[] values) {
        if (values == null) return null;
        List<Object> list = new ArrayList<>(values.length);
        for (double v : values) list.add(v);
        return list;
    }

    private static int fail(RuntimeException e) {
        String message = e.getMessage();
        return fail(message == null || message.isBlank() ? e.getClass().getSimpleName() : message);
    }

    private static int fail(String message) {
        lastError = message;
        return 0;
    }
}
