package dev.rnnplayground.core.train;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.Json;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.io.ModelFormatException;
import dev.rnnplayground.core.io.SafeTensors;
import dev.rnnplayground.core.io.Tensor;
import dev.rnnplayground.core.io.TensorFile;
import dev.rnnplayground.core.model.LanguageModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a stopped training run needs to continue as if it had never stopped, in one
 * safetensors file (F64, so not a bit is lost):
 * <ul>
 *   <li>the model's tensors and metadata, exactly as in a model file;</li>
 *   <li>{@code optimizer.<buffer>} tensors (e.g. Adam's {@code optimizer.exp_avg.rnn.weight_hh_l0});</li>
 *   <li>{@code carry.h_l<k>} and {@code carry.c_l<k>}: the hidden state carried into the next window;</li>
 *   <li>metadata {@code checkpoint_version}, {@code config} (the {@link TrainConfig} as JSON),
 *       {@code step}, {@code optimizer_steps}, {@code data_position}, {@code rng_state}.</li>
 * </ul>
 * A checkpoint is also a valid input to PyTorch's safetensors loader.
 */
public final class Checkpoint {
    public static final String VERSION = "1";

    private Checkpoint() {
    }

    public static byte[] write(Trainer trainer) {
        LanguageModel model = trainer.model();
        List<Tensor> tensors = new ArrayList<>(ModelFile.tensors(model));
        for (Map.Entry<String, double[]> e : trainer.optimizer().state().entrySet()) {
            tensors.add(new Tensor("optimizer." + e.getKey(), new int[] {e.getValue().length}, e.getValue()));
        }
        int batch = trainer.config().batchSize();
        for (Map.Entry<String, double[]> e : trainer.carriedState().tensors().entrySet()) {
            int[] shape = {batch, e.getValue().length / batch};
            tensors.add(new Tensor("carry." + e.getKey(), shape, e.getValue()));
        }
        Map<String, String> meta = ModelFile.metadata(model);
        meta.put("checkpoint_version", VERSION);
        meta.put("config", Json.write(configToMap(trainer.config())));
        meta.put("step", Long.toString(trainer.stepsDone()));
        meta.put("optimizer_steps", Long.toString(trainer.optimizer().stepCount()));
        meta.put("data_position", Integer.toString(trainer.dataPosition()));
        meta.put("rng_state", Long.toString(trainer.sampleRng.state()));
        return SafeTensors.write(tensors, meta, DType.F64);
    }

    /**
     * Rebuilds the trainer a checkpoint was taken from. The text must be the one it was
     * training on.
     *
     * @throws ModelFormatException when the file is not a checkpoint or is damaged
     */
    public static Trainer resume(byte[] bytes, String text) {
        return resume(bytes, text, ReferenceEngine::new);
    }

    /** As {@link #resume(byte[], String)}, continuing on the engine {@code engines} makes. */
    public static Trainer resume(byte[] bytes, String text, TrainingEngine.Factory engines) {
        TensorFile file = SafeTensors.read(bytes);
        Map<String, String> meta = file.metadata();
        String version = meta.get("checkpoint_version");
        if (version == null) throw new ModelFormatException("this file is not a training checkpoint (no checkpoint_version in its metadata)");
        if (!VERSION.equals(version)) {
            throw new ModelFormatException("checkpoint version \"" + version + "\" is not supported: this version reads " + VERSION);
        }
        Map<String, Tensor> modelTensors = new LinkedHashMap<>();
        Map<String, double[]> optimizerState = new LinkedHashMap<>();
        Map<String, Tensor> carry = new LinkedHashMap<>();
        for (Tensor t : file.tensors().values()) {
            if (t.name().startsWith("optimizer.")) optimizerState.put(t.name().substring("optimizer.".length()), t.data());
            else if (t.name().startsWith("carry.")) carry.put(t.name(), t);
            else modelTensors.put(t.name(), t);
        }
        LanguageModel model = ModelFile.modelFromTensors(new TensorFile(modelTensors, meta));
        TrainConfig config;
        long step, optimizerSteps, rngState;
        int position;
        try {
            config = configFromMap(Json.parse(meta.get("config")));
            step = Long.parseLong(meta.get("step"));
            optimizerSteps = Long.parseLong(meta.get("optimizer_steps"));
            position = Integer.parseInt(meta.get("data_position"));
            rngState = Long.parseLong(meta.get("rng_state"));
        } catch (RuntimeException e) {
            throw new ModelFormatException("checkpoint metadata is damaged: " + e.getMessage(), e);
        }
        Trainer trainer = new Trainer(config, text, model, engines);
        trainer.optimizer().restore(optimizerSteps, optimizerState);
        for (Map.Entry<String, double[]> e : trainer.carriedState().tensors().entrySet()) {
            copyInto(carry.get("carry." + e.getKey()), e.getValue());
        }
        trainer.restoreProgress(step, position);
        trainer.sampleRng.setState(rngState);
        trainer.reloadEngine();
        return trainer;
    }

    private static void copyInto(Tensor t, double[] target) {
        if (t == null || t.data().length != target.length) {
            throw new ModelFormatException("checkpoint carried hidden state is missing or has the wrong size");
        }
        System.arraycopy(t.data(), 0, target, 0, target.length);
    }

    /**
     * The run's settings as the {@code config} metadata holds them, one key per {@link Hyperparameter}:
     * whole numbers as JSON numbers, doubles and the seed as text (an exact round trip).
     */
    static Map<String, Object> configToMap(TrainConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Hyperparameter h : Hyperparameter.values()) {
            Object value = h.toWire(c.get(h));
            m.put(h.key, switch (h.kind) {
                case CHOICE -> value;
                case INT, LONG -> ((Number) value).longValue();
                case SEED, DOUBLE -> value.toString();
                case BOOLEAN -> value;
            });
        }
        return m;
    }

    /** The inverse of {@link #configToMap}; a setting the file lacks (dropout, heads, bias: before they existed) takes its default. */
    static TrainConfig configFromMap(Object parsed) {
        if (!(parsed instanceof Map<?, ?> m)) throw new IllegalArgumentException("config is not a JSON object");
        TrainConfig.Builder b = TrainConfig.builder();
        for (Hyperparameter h : Hyperparameter.values()) {
            Object stored = m.get(h.key);
            boolean newer = h == Hyperparameter.DROPOUT || h == Hyperparameter.HEADS || h == Hyperparameter.BIAS;
            if (stored == null && newer) continue;   // absent from checkpoints written before these existed
            if (stored == null) throw new IllegalArgumentException("config has no " + h.key);
            b.set(h, h.fromWire(switch (h.kind) {
                case CHOICE, INT, LONG, BOOLEAN -> stored;
                case SEED -> Long.parseLong((String) stored);
                case DOUBLE -> Double.parseDouble((String) stored);
            }));
        }
        return b.build();
    }
}
