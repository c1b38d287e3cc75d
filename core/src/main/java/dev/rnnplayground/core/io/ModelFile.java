package dev.rnnplayground.core.io;

import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The RNN Playground model file: a {@link LanguageModel} as a safetensors file that PyTorch can load.
 *
 * <p>The tensors carry PyTorch's names and shapes ({@code rnn.weight_ih_l0 ... decoder.bias}), so
 * {@code nn.LSTM(V, H, L, batch_first=True)} and {@code nn.Linear(H, V)} take them unchanged; a
 * bigram's one tensor is {@code token_embedding_table.weight}, an {@code nn.Embedding(V, V)}. The
 * safetensors metadata says what the tensors are, all values strings as the spec requires:
 * <pre>
 *   format          "rnn-playground"
 *   format_version  "1"
 *   cell            "rnn", "lstm", "gru" or "bigram"
 *   hidden_size     "128"                  1 to 4096 (not for a bigram)
 *   num_layers      "2"                    1 to 4    (not for a bigram)
 *   n_layer, n_head, n_embd, block_size, bias   a gpt's shape, as nanoGPT's GPTConfig names it
 *                   ("bias" is "True" or "False")
 *   vocab_size      "65"                   the number of symbols (read back only to check it)
 *   vocab           "[\" \",\"a\",\"b\"]"  a JSON array of one-symbol strings, sorted, distinct
 * </pre>
 * The reader rejects any other format version by name, and a file whose tensors do not match the
 * metadata exactly (a missing, misshapen or extra tensor). Other metadata keys are ignored so
 * that later versions can add notes without breaking older readers.
 */
public final class ModelFile {

    public static final String FORMAT = "rnn-playground";
    public static final String FORMAT_VERSION = "1";
    /** Largest hidden size accepted: a 4-layer LSTM of this size already needs about 2 GB. */
    public static final int MAX_HIDDEN_SIZE = 4096;

    private ModelFile() {
    }

    /**
     * Writes a model's weights and description.
     *
     * @param model the model; not modified (gradients are not saved)
     * @param dtype F32 for a file half the size, F64 to keep every bit
     */
    public static byte[] write(LanguageModel model, DType dtype) {
        return SafeTensors.write(tensors(model), metadata(model), dtype);
    }

    /**
     * As {@link #write(LanguageModel, DType)}, with notes about how the model was made (for example
     * {@code corpus}, {@code steps}, {@code train_loss}, {@code val_loss}) added to the metadata.
     * Notes never replace the keys that describe the model.
     */
    public static byte[] write(LanguageModel model, DType dtype, Map<String, String> notes) {
        Map<String, String> metadata = metadata(model);
        notes.forEach(metadata::putIfAbsent);
        return SafeTensors.write(tensors(model), metadata, dtype);
    }

    /** The model's parameters as tensors, in PyTorch's order (arrays shared, not copied). */
    public static List<Tensor> tensors(LanguageModel model) {
        List<Tensor> tensors = new ArrayList<>();
        for (Param p : model.parameters()) tensors.add(new Tensor(p.name, p.shape(), p.w));
        return tensors;
    }

    /** The metadata that describes a model: format, version, cell, sizes and vocabulary. */
    public static Map<String, String> metadata(LanguageModel model) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.put("format_version", FORMAT_VERSION);
        metadata.putAll(model.shape());
        metadata.put("vocab_size", Integer.toString(model.vocab().size()));
        metadata.put("vocab", Json.write(model.vocab().symbols()));
        return metadata;
    }

    /**
     * Reads a model written by {@link #write} (or by any tool following the layout above).
     *
     * @throws ModelFormatException if the bytes are not a valid model file; the message names the
     *                              problem, e.g. the tensor and both shapes when a shape is wrong
     */
    public static LanguageModel readModel(byte[] bytes) {
        return build(SafeTensors.read(bytes), true);
    }

    /** As {@link #readModel}, for a model that only runs forward: no gradient buffers. */
    public static LanguageModel readModelForInference(byte[] bytes) {
        return build(SafeTensors.read(bytes), false);
    }

    /**
     * Builds a model from an already parsed file, validated as {@link #readModel} does; a
     * checkpoint passes the model's part of its tensors here.
     */
    public static LanguageModel modelFromTensors(TensorFile file) {
        return build(file, true);
    }

    /** As {@link #modelFromTensors}, for a model that only runs forward: no gradient buffers. */
    public static LanguageModel modelFromTensorsForInference(TensorFile file) {
        return build(file, false);
    }

    /** As {@link #readModel}, for the views that look inside a recurrent network: refuses any other family. */
    public static CharRnn read(byte[] bytes) {
        return recurrent(readModel(bytes));
    }

    /** As {@link #read}, for a network that only runs forward: no gradient buffers ({@link CharRnn#forInference}). */
    public static CharRnn readForInference(byte[] bytes) {
        return recurrent(readModelForInference(bytes));
    }

    /** As {@link #modelFromTensors}, for a recurrent network only. */
    public static CharRnn fromTensors(TensorFile file) {
        return recurrent(build(file, true));
    }

    /** As {@link #fromTensors}, for a network that only runs forward. */
    public static CharRnn fromTensorsForInference(TensorFile file) {
        return recurrent(build(file, false));
    }

    private static CharRnn recurrent(LanguageModel model) {
        if (model instanceof CharRnn rnn) return rnn;
        throw new ModelFormatException("this model file holds a " + model.kind().id()
                + " model, and this needs a recurrent network (rnn, lstm or gru)");
    }

    private static LanguageModel build(TensorFile file, boolean withGradients) {
        Map<String, String> meta = file.metadata();
        String format = meta.get("format");
        if (!FORMAT.equals(format)) {
            throw new ModelFormatException("this safetensors file is not an RNN Playground model: its metadata "
                    + (format == null ? "has no \"format\"" : "says format " + Json.quote(format))
                    + ", expected " + Json.quote(FORMAT));
        }
        String version = required(meta, "format_version");
        if (!FORMAT_VERSION.equals(version)) {
            throw new ModelFormatException("model file format version " + Json.quote(version)
                    + " is not supported: this version of RNN Playground reads version " + FORMAT_VERSION);
        }
        CellType cell = parseCell(required(meta, "cell"));
        Architecture architecture;
        try {
            architecture = Architecture.fromShape(meta, MAX_HIDDEN_SIZE);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("model file " + e.getMessage(), e);
        }
        Vocab vocab = parseVocab(required(meta, "vocab"));
        String vocabSize = meta.get("vocab_size");
        if (vocabSize != null && !vocabSize.equals(Integer.toString(vocab.size()))) {
            throw new ModelFormatException("model file vocab_size " + Json.quote(vocabSize) + " does not match its vocab of "
                    + vocab.size() + " symbols");
        }

        // Check every tensor against the metadata before building the model, so a small hostile
        // file cannot make us allocate a huge model it has no weights for.
        Map<String, int[]> expected = architecture.tensorShapes(vocab.size());
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            Tensor t = file.tensors().get(e.getKey());
            if (t == null) {
                throw new ModelFormatException("model file is missing tensor " + Json.quote(e.getKey()));
            }
            if (!Arrays.equals(t.shape(), e.getValue())) {
                throw new ModelFormatException("model file tensor " + Json.quote(e.getKey()) + " has shape "
                        + Arrays.toString(t.shape()) + ", but a " + describe(architecture, vocab.size())
                        + " needs " + Arrays.toString(e.getValue()));
            }
        }
        for (String name : file.tensors().keySet()) {
            if (!expected.containsKey(name)) {
                throw new ModelFormatException("model file has an unexpected tensor " + Json.quote(name)
                        + " for a " + Architecture.describe(architecture.shape()));
            }
        }

        LanguageModel model = architecture.empty(vocab, withGradients);
        for (Param p : model.parameters()) {
            Tensor t = file.tensors().get(p.name);
            if (t == null || !Arrays.equals(t.shape(), p.shape())) {
                throw new IllegalStateException("ModelFile and the " + cell.id() + " model disagree about parameter " + p.name);
            }
            System.arraycopy(t.data(), 0, p.w, 0, p.w.length);
        }
        return model;
    }

    private static String describe(Architecture architecture, int vocabSize) {
        if (!architecture.kind().recurrent()) return Architecture.describe(architecture.shape()) + " with " + vocabSize + " symbols";
        return architecture.layers() + "-layer " + architecture.kind().id() + " with " + vocabSize + " symbols and hidden size "
                + architecture.hidden();
    }

    private static String required(Map<String, String> meta, String key) {
        String value = meta.get(key);
        if (value == null) throw new ModelFormatException("model file metadata has no " + Json.quote(key));
        return value;
    }

    private static CellType parseCell(String name) {
        for (CellType c : CellType.values()) {
            if (c.id().equals(name)) return c;
        }
        throw new ModelFormatException("model file has unknown cell type " + Json.quote(name)
                + ": expected " + CellType.names());
    }

    private static Vocab parseVocab(String text) {
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (ModelFormatException e) {
            throw new ModelFormatException("model file vocab is not a JSON array: " + e.getMessage(), e);
        }
        if (!(parsed instanceof List<?> list)) {
            throw new ModelFormatException("model file vocab is not a JSON array of symbols: " + abbreviate(text));
        }
        if (list.isEmpty()) throw new ModelFormatException("model file vocab is empty");
        List<String> symbols = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s)) {
                throw new ModelFormatException("model file vocab entry " + i + " is not a string: " + Json.write(list.get(i)));
            }
            symbols.add(s);
        }
        try {
            return Vocab.ofSymbols(symbols);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("model file " + e.getMessage(), e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
