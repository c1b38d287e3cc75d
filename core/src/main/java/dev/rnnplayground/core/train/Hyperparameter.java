package dev.rnnplayground.core.train;

import dev.rnnplayground.core.attend.AttentiveLstm;
import dev.rnnplayground.core.gpt.Gpt;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.optim.GradientClipping;
import dev.rnnplayground.core.optim.LearningRateSchedule;
import dev.rnnplayground.core.optim.OptimizerType;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.train.TrainLimits.Range;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The one list of training hyperparameters, one line each, as char-rnn's {@code cmd:option} lines
 * are: the name (in JSON, checkpoints, the API and the page), the command-line option, the
 * default, the range a run on your own machine may use, and the help text. The comment above each
 * line says why its default is what it is (nanoGPT's {@code GPTConfig}).
 * <p>
 * Everything else is made from this list: {@link TrainConfig}'s builder and validation,
 * {@link TrainLimits#COMMAND_LINE}, a checkpoint's {@code config} metadata ({@link Checkpoint}),
 * {@code rnn train}'s options, {@code POST /api/jobs}'s fields and {@code GET /api/training/options}
 * (and through it the page's form). Adding a hyperparameter is a line here, an accessor in
 * {@link TrainConfig}, and its tests.
 */
public enum Hyperparameter {
    /** lstm: it learns text best; the vanilla RNN shows why gates exist. */
    CELL("cell", "--cell", Choice.CELL, CellType.LSTM, null, "Recurrent cell (rnn, lstm, gru), bigram, gpt or lstm-attention"),
    /** 128 units per layer: small enough to train in minutes on a laptop CPU. A GPT's n_embd. */
    HIDDEN("hidden", "--hidden", Kind.INT, 128, Range.of(1, 2048), "Hidden units per layer (a gpt's n_embd)"),
    /**
     * 1 layer: the simplest network that writes words. A GPT's n_layer, up to {@link Gpt#MAX_LAYERS};
     * a recurrent network stacks at most {@link CharRnn#MAX_LAYERS} ({@link TrainConfig#validate}).
     */
    LAYERS("layers", "--layers", Kind.INT, 1, Range.of(1, Gpt.MAX_LAYERS), "Stacked recurrent layers (a gpt's blocks)"),
    /**
     * T = 50 characters per BPTT window: how far back the gradient can reach, char-rnn's default.
     * A GPT's block_size: the most characters it reads at once.
     */
    SEQ_LENGTH("seqLength", "--seq-length", Kind.INT, 50, Range.of(1, 1000), "Characters per BPTT window (a gpt's block size)"),
    /** 4 attention heads, as nanoGPT's small configurations; they split hidden, so must divide it. Only a gpt reads it. */
    HEADS("heads", "--heads", Kind.INT, 4, Range.of(1, Gpt.MAX_HEADS), "Attention heads of a gpt; must divide hidden"),
    /** No biases, as nanoGPT's train.py (bias=False: "a bit better and faster"). Only a gpt reads it. */
    BIAS("bias", "--bias", Kind.BOOLEAN, false, null, "Biases in a gpt's Linear and LayerNorm layers"),
    /**
     * K = 8 past states: a word or two of characters back, enough for attention to find what the
     * LSTM's state has blurred, small enough to cost little beside the LSTM. Only lstm-attention reads it.
     */
    ATTEND("attend", "--attend", Kind.INT, 8, Range.of(1, AttentiveLstm.MAX_ATTEND),
            "Past top-layer states an lstm-attention attends over"),
    /** B = 1 stream: trains on any text longer than one window (char-rnn uses 50 on long texts). */
    BATCH_SIZE("batchSize", "--batch-size", Kind.INT, 1, Range.of(1, 1024), "Parallel text streams per step"),
    /** adam adapts per-parameter step sizes and is forgiving about lr. */
    OPTIMIZER("optimizer", "--optimizer", Choice.OPTIMIZER, OptimizerType.ADAM, null, "Optimizer"),
    /**
     * No fixed default: the optimizer's own ({@link OptimizerType#defaultLearningRate()}, 2e-3 for
     * Adam). Above 0 (a step of zero learns nothing), at most 10, beyond which every optimizer diverges.
     */
    LR("lr", "--lr", Kind.DOUBLE, null, Range.above(0, 10), "Learning rate"),
    /**
     * 0.999, PyTorch's Adam and AdamW default; nanoGPT's Shakespeare run uses 0.99, which forgets
     * old gradient sizes faster when the batch is small. Used by adam and adamw.
     */
    BETA2("beta2", "--beta2", Kind.DOUBLE, 0.999, Range.of(0, 0.9999), "Adam's second-moment decay (adam, adamw)"),
    /**
     * 0: no decay. AdamW shrinks every weight matrix (not biases or gains) by lr x decay per step,
     * apart from the gradient; nanoGPT uses 0.1. Only adamw takes it.
     */
    WEIGHT_DECAY("weightDecay", "--weight-decay", Kind.DOUBLE, 0.0, Range.of(0, 10),
            "AdamW's decoupled weight decay of the weight matrices (adamw only)"),
    /** 0 steps: no warm-up; nanoGPT warms up over 100 so Adam's first, poorly estimated steps stay small. */
    WARMUP("warmup", "--warmup", Kind.INT, 0, Range.of(0, 100_000_000L), "Steps of linear learning-rate warm-up"),
    /** constant: lr throughout; cosine decays it to lr/10 by the last step, as nanoGPT does. */
    LR_SCHEDULE("lrSchedule", "--lr-schedule", Choice.LR_SCHEDULE, LearningRateSchedule.Shape.CONSTANT, null,
            "Learning rate after the warm-up: constant, or cosine decay to lr/10"),
    /** 5, as in char-rnn; 0 turns clipping off. */
    CLIP("clip", "--clip", Kind.DOUBLE, 5.0, Range.of(0, 1e6), "Gradient clipping limit, 0 = off"),
    /** norm rescales all gradients together, keeping their direction; value clamps each element. */
    CLIP_MODE("clipMode", "--clip-mode", Choice.CLIP_MODE, GradientClipping.Mode.NORM, null,
            "Clip the global norm or each value"),
    /** 1000 steps: long enough to see a model learn words; 0 lets epochs decide. */
    STEPS("steps", "--steps", Kind.LONG, 1000L, Range.of(1, 100_000_000L), "Optimizer steps"),
    /** No default: steps decides (0 in a config); passes over the training text instead of steps. */
    EPOCHS("epochs", "--epochs", Kind.DOUBLE, null, Range.above(0, 10_000), "Passes over the training text, instead of steps"),
    /** The last 5% of the text is held out to measure generalisation; more than half leaves too little to learn from. */
    VAL_FRACTION("valFraction", "--val-fraction", Kind.DOUBLE, 0.05, Range.of(0, 0.5), "Share of the text held out for validation"),
    /** 1: one seed for the initial weights and the sample generator, so runs repeat exactly; any integer. */
    SEED("seed", "--seed", Kind.SEED, 1L, null, "Seed for the initial weights and samples"),
    /** 200 steps between validation losses (0: only at the end): a curve without slowing training. */
    EVAL_EVERY("evalEvery", "--eval-every", Kind.INT, 200, Range.of(0, 100_000_000L),
            "Steps between validation losses, 0 = at the end only"),
    /** 1000 steps between checkpoints (0: never on the command line; a server job also checkpoints about every 10 s). */
    CHECKPOINT_EVERY("checkpointEvery", "--checkpoint-every", Kind.INT, 1000, Range.of(0, 100_000_000L),
            "Steps between resumable checkpoints, 0 = never (a server job also writes one about every 10 seconds)"),
    /** 500 steps between samples (0: never): watch the writing improve, as char-rnn prints it. */
    SAMPLE_EVERY("sampleEvery", "--sample-every", Kind.INT, 500, Range.of(0, 100_000_000L), "Steps between samples, 0 = never"),
    /**
     * 0: no dropout between layers; 0.2 to 0.5 helps big multi-layer models not to memorise the text
     * (PyTorch's {@code dropout}); 0.9 already leaves a tenth of the signal.
     */
    DROPOUT("dropout", "--dropout", Kind.DOUBLE, 0.0, Range.of(0, 0.9),
            "Share of each layer's outputs dropped while training, between layers");

    /**
     * Settings added after checkpoints were first written: a checkpoint without one takes the
     * default, which is what runs did before the setting existed.
     */
    static final java.util.Set<Hyperparameter> ADDED_LATER = java.util.EnumSet.of(DROPOUT, HEADS, BIAS, BETA2, WEIGHT_DECAY, WARMUP, LR_SCHEDULE,
            ATTEND);

    /** How a value is held in Java and written in JSON. */
    public enum Kind {
        /** One of a few names (an enum in Java, its id as a JSON string). */
        CHOICE(String.class),
        INT(Integer.class),
        LONG(Long.class),
        /** A long kept as text in a checkpoint, so no JSON reader rounds it through a double. */
        SEED(Long.class),
        /** Kept as text in a checkpoint: the exact round trip of the double. */
        DOUBLE(Double.class),
        /** true or false. */
        BOOLEAN(Boolean.class);

        /** The Java type of the value as JSON carries it: what a job's field is declared as. */
        public final Class<?> wireType;

        Kind(Class<?> wireType) {
            this.wireType = wireType;
        }
    }

    /** The names a {@link Kind#CHOICE} accepts, how to read one and how to write one. */
    record Choice(Function<String, Object> parse, Function<Object, String> id, List<String> names) {
        static final Choice CELL = of(CellType::parse, c -> ((CellType) c).id(), CellType.values());
        static final Choice OPTIMIZER = of(OptimizerType::parse, o -> ((OptimizerType) o).id(), OptimizerType.values());
        static final Choice LR_SCHEDULE = of(LearningRateSchedule.Shape::parse,
                s -> ((LearningRateSchedule.Shape) s).id(), LearningRateSchedule.Shape.values());
        static final Choice CLIP_MODE = of(GradientClipping.Mode::parse,
                m -> ((GradientClipping.Mode) m).name().toLowerCase(Locale.ROOT), GradientClipping.Mode.values());

        /** A choice among an enum's values, each named by {@code id}. */
        static Choice of(Function<String, Object> parse, Function<Object, String> id, Object[] values) {
            List<String> names = new java.util.ArrayList<>();
            for (Object v : values) names.add(id.apply(v));
            return new Choice(parse, id, List.copyOf(names));
        }

        /** "must be rnn, lstm or gru". */
        String rule() {
            int last = names.size() - 1;
            return "must be " + (last == 0 ? names.get(0) : String.join(", ", names.subList(0, last)) + " or " + names.get(last));
        }
    }

    public final String key;
    public final String option;
    public final Kind kind;
    final Choice choice;
    /** Null where the default depends on other settings (lr, epochs; see {@link TrainConfig.Builder#build()}). */
    public final Object defaultValue;
    /** The command line's range; null for choices and the seed, which take any value of their type. */
    public final Range range;
    public final String help;

    Hyperparameter(String key, String option, Kind kind, Object defaultValue, Range range, String help) {
        this(key, option, kind, null, defaultValue, range, help);
    }

    Hyperparameter(String key, String option, Choice choice, Object defaultValue, Range range, String help) {
        this(key, option, Kind.CHOICE, choice, defaultValue, range, help);
    }

    Hyperparameter(String key, String option, Kind kind, Choice choice, Object defaultValue, Range range, String help) {
        this.key = key;
        this.option = option;
        this.kind = kind;
        this.choice = choice;
        this.defaultValue = defaultValue;
        this.range = range;
        this.help = help;
    }

    /**
     * A value as JSON and the command line carry it (a choice's name, a number) turned into the
     * value a {@link TrainConfig} holds; a choice's unknown name throws {@link IllegalArgumentException}.
     */
    public Object fromWire(Object wire) {
        if (wire == null) return null;
        return switch (kind) {
            case CHOICE -> choice.parse().apply((String) wire);
            case INT -> ((Number) wire).intValue();
            case LONG, SEED -> ((Number) wire).longValue();
            case DOUBLE -> ((Number) wire).doubleValue();
            case BOOLEAN -> (Boolean) wire;
        };
    }

    /** A value of a {@link TrainConfig} as JSON carries it: a choice's name, numbers as they are. */
    public Object toWire(Object value) {
        return value != null && kind == Kind.CHOICE ? choice.id().apply(value) : value;
    }

    /** "must be rnn, lstm or gru" for a choice that is missing. */
    String choiceRule() {
        return choice.rule();
    }

    /** The names a choice accepts, for the command line's help ("adam|adamw|..."); empty for other kinds. */
    public List<String> choiceNames() {
        return choice == null ? List.of() : choice.names();
    }

    /** The hyperparameter named {@code key} ("seqLength"), or null. */
    public static Hyperparameter byKey(String key) {
        for (Hyperparameter h : values()) if (h.key.equals(key)) return h;
        return null;
    }
}
