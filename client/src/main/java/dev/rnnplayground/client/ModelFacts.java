package dev.rnnplayground.client;

import dev.rnnplayground.core.io.Json;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.Attending;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.LanguageModel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the page asks about a model rather than of a writing session: a loaded model's shape, the
 * size of one it is about to train, where a model that attends looks over a text. Each answer is
 * worked out by core ({@link Architecture}, {@link Attending}); this class only puts it into the
 * JSON or the flat array {@link BrowserEntry} hands the page, and turns core's refusals into
 * {@link LastError}.
 */
final class ModelFacts {

    private ModelFacts() {
    }

    /** The JSON object {@link BrowserEntry#modelInfo} documents. */
    static String info(LanguageModel m) {
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

    /** Counted by core without building the model; -1 for an unknown family or a bad shape. */
    static double parameterCount(String cell, int hidden, int layers, int heads, int blockSize, int bias, int vocabSize) {
        try {
            Architecture a = new Architecture(CellType.parse(cell), hidden, layers, heads, blockSize, bias != 0, 1);
            LastError.clear();
            return a.parameterCount(vocabSize);
        } catch (RuntimeException e) {
            LastError.fail(e);
            return -1;
        }
    }

    /** {layers, heads}, or empty for a model that does not attend (or none). */
    static double[] attentionLayout(LanguageModel m) {
        return m instanceof Attending a ? new double[] {a.attentionLayers(), a.attentionHeads()} : new double[0];
    }

    /** One head's (W, W) weights, row-major; empty with {@link LastError} saying why. */
    static double[] attentionMatrix(int modelHandle, String text, int layer, int head, int window) {
        LanguageModel m = Handles.model(modelHandle);
        if (!(m instanceof Attending a)) {
            LastError.fail(m == null ? "no model with handle " + modelHandle : "this model does not attend");
            return new double[0];
        }
        try {
            double[] matrix = a.attentionMatrix(m.vocab().encode(text).ids(), layer, head, window);
            LastError.clear();
            return matrix;
        } catch (RuntimeException e) {
            LastError.fail(e);
            return new double[0];
        }
    }
}
