package dev.rnnplayground.client;

import dev.rnnplayground.core.gpt.AttentionSteps;
import dev.rnnplayground.core.io.Json;
import dev.rnnplayground.core.lab.GradientCheck;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.rnn.BackwardSteps;
import dev.rnnplayground.core.rnn.CharRnn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Core's step-by-step experiments as the JSON the page draws: the gradient check, backpropagation
 * through time one step at a time, and one self-attention block stage by stage. Each starts from a
 * fresh small model seeded by the page, so a call computes everything from scratch and a link with
 * the same arguments restores the same view. The experiments themselves live in core
 * ({@link GradientCheck}, {@link BackwardSteps}, {@link AttentionSteps}); this class only names
 * their numbers for the page, and {@link BrowserEntry} documents each answer's fields.
 */
final class Experiments {

    private Experiments() {
    }

    static String gradientCheck(String cell, int layers, int truncatedSteps, String seed) {
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

    static String bpttSteps(String cell, String text, String seed, int steps) {
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

    static String attentionSteps(String text, String seed, int position, int head) {
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
     * number or the experiment refuses its arguments, with {@link LastError} saying why.
     */
    private static String json(String seed, LongFunction<Object> experiment) {
        long s;
        try {
            s = Long.parseLong(seed.trim());
        } catch (NumberFormatException e) {
            LastError.fail("the seed must be a whole number, got \"" + seed + "\"");
            return "";
        }
        try {
            String out = Json.write(experiment.apply(s));
            LastError.clear();
            return out;
        } catch (RuntimeException e) {
            LastError.fail(e);
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
}
