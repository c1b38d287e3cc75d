package dev.rnnplayground.core.train;

import static dev.rnnplayground.core.train.Hyperparameter.*;

import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.optim.GradientClipping;
import dev.rnnplayground.core.optim.LearningRateSchedule;
import dev.rnnplayground.core.optim.OptimizerType;
import dev.rnnplayground.core.rnn.CharRnn;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Every hyperparameter of a training run, by name: {@code TrainConfig.builder().cell(CellType.GRU)
 * .hidden(64).steps(300).build()}, every setting not named taking its default. The list of
 * settings, with each default and the reason for it, is {@link Hyperparameter}; this class holds
 * one run's values and reads them out typed. {@link TrainLimits} holds the allowed ranges.
 * Immutable; {@link #toBuilder()} starts a changed copy.
 */
public final class TrainConfig {
    private final Map<Hyperparameter, Object> values;

    private TrainConfig(Map<Hyperparameter, Object> values) {
        this.values = values;
    }

    /** The defaults, each with its reason in {@link Hyperparameter}. */
    public static TrainConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this run's values, to change a few. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.given.putAll(values);
        return b;
    }

    public TrainConfig withSteps(long newSteps) {
        return toBuilder().steps(newSteps).build();
    }

    /** The value of {@code h}, as {@link Hyperparameter#fromWire(Object)} makes it (null only for a missing choice). */
    public Object get(Hyperparameter h) {
        return values.get(h);
    }

    public CellType cell() { return (CellType) values.get(CELL); }
    public int hidden() { return (Integer) values.get(HIDDEN); }
    public int layers() { return (Integer) values.get(LAYERS); }
    public int seqLength() { return (Integer) values.get(SEQ_LENGTH); }
    public int batchSize() { return (Integer) values.get(BATCH_SIZE); }
    public OptimizerType optimizer() { return (OptimizerType) values.get(OPTIMIZER); }
    public double learningRate() { return (Double) values.get(LR); }
    public double clip() { return (Double) values.get(CLIP); }
    public GradientClipping.Mode clipMode() { return (GradientClipping.Mode) values.get(CLIP_MODE); }
    public long steps() { return (Long) values.get(STEPS); }
    public double epochs() { return (Double) values.get(EPOCHS); }
    public double valFraction() { return (Double) values.get(VAL_FRACTION); }
    public long seed() { return (Long) values.get(SEED); }
    public int evalEvery() { return (Integer) values.get(EVAL_EVERY); }
    public int checkpointEvery() { return (Integer) values.get(CHECKPOINT_EVERY); }
    public int sampleEvery() { return (Integer) values.get(SAMPLE_EVERY); }
    public double dropout() { return (Double) values.get(DROPOUT); }
    public double beta2() { return (Double) values.get(BETA2); }
    public double weightDecay() { return (Double) values.get(WEIGHT_DECAY); }
    public int warmup() { return (Integer) values.get(WARMUP); }
    public LearningRateSchedule.Shape lrSchedule() { return (LearningRateSchedule.Shape) values.get(LR_SCHEDULE); }
    public int heads() { return (Integer) values.get(HEADS); }
    public boolean bias() { return (Boolean) values.get(BIAS); }
    public int attend() { return (Integer) values.get(ATTEND); }

    /** The model's shape these settings ask for: for a gpt, seqLength is the block size. */
    public Architecture architecture() {
        return new Architecture(cell(), hidden(), layers(), heads(), seqLength(), bias(), attend());
    }

    /** Every out-of-range field for a run on the command line; see {@link #validate(TrainLimits)}. */
    public List<String> validate() {
        return validate(TrainLimits.COMMAND_LINE);
    }

    /** Every out-of-range field, one message each as "field: what is wrong, got X"; empty when valid. */
    public List<String> validate(TrainLimits limits) {
        List<String> errors = new ArrayList<>();
        for (Hyperparameter h : Hyperparameter.values()) {
            Object value = values.get(h);
            if (h.kind == Hyperparameter.Kind.CHOICE) {
                if (value == null) errors.add(h.key + ": " + h.choiceRule());
                continue;
            }
            TrainLimits.Range range = limits.range(h);
            if (range == null) continue;
            double x = ((Number) value).doubleValue();
            boolean otherDecides = (h == STEPS || h == EPOCHS) && x == 0;   // 0 steps: epochs decides, and back
            if (!otherDecides && !range.contains(x)) errors.add(h.key + ": " + range.rule() + ", got " + TrainLimits.Range.show(x));
            if (h == EPOCHS && steps() == 0 && epochs() == 0) errors.add("steps: give a number of steps or of epochs");
        }
        // the rules that tie two settings together
        if (weightDecay() > 0 && optimizer() != null && optimizer() != OptimizerType.ADAMW) {
            errors.add("weightDecay: only adamw decays the weights, got optimizer " + optimizer().id());
        }
        boolean stacksLstmLayers = cell() != null && (cell().recurrent() || cell() == CellType.ATTENTIVE_LSTM);
        if (stacksLstmLayers && layers() > CharRnn.MAX_LAYERS) {
            errors.add("layers: a recurrent network stacks at most " + CharRnn.MAX_LAYERS + " layers, got " + layers());
        }
        if (cell() == CellType.GPT && heads() >= 1 && hidden() >= 1 && hidden() % heads() != 0) {
            errors.add("heads: must divide hidden (each head reads hidden/heads channels), got " + heads() + " heads for hidden " + hidden());
        }
        return errors;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainConfig c && values.equals(c.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        StringJoiner s = new StringJoiner(", ", "TrainConfig[", "]");
        values.forEach((h, v) -> s.add(h.key + "=" + h.toWire(v)));
        return s.toString();
    }

    /**
     * Names the settings of a run; {@link #build()} gives every other one its default. Setting a
     * value to null (as a job's JSON may) is the same as leaving it out, except for a choice, which
     * then stays missing for {@link #validate(TrainLimits)} to report.
     */
    public static final class Builder {
        private final Map<Hyperparameter, Object> given = new EnumMap<>(Hyperparameter.class);

        private Builder() {
        }

        /** Sets {@code h} to a value of the type {@link TrainConfig#get(Hyperparameter)} returns. */
        public Builder set(Hyperparameter h, Object value) {
            if (value == null && h.kind != Hyperparameter.Kind.CHOICE) given.remove(h);
            else given.put(h, value);
            return this;
        }

        public Builder cell(CellType v) { return set(CELL, v); }
        public Builder hidden(int v) { return set(HIDDEN, v); }
        public Builder layers(int v) { return set(LAYERS, v); }
        public Builder seqLength(int v) { return set(SEQ_LENGTH, v); }
        public Builder batchSize(int v) { return set(BATCH_SIZE, v); }
        public Builder optimizer(OptimizerType v) { return set(OPTIMIZER, v); }
        public Builder learningRate(double v) { return set(LR, v); }
        public Builder clip(double v) { return set(CLIP, v); }
        public Builder clipMode(GradientClipping.Mode v) { return set(CLIP_MODE, v); }
        public Builder steps(long v) { return set(STEPS, v); }
        public Builder epochs(double v) { return set(EPOCHS, v); }
        public Builder valFraction(double v) { return set(VAL_FRACTION, v); }
        public Builder seed(long v) { return set(SEED, v); }
        public Builder evalEvery(int v) { return set(EVAL_EVERY, v); }
        public Builder checkpointEvery(int v) { return set(CHECKPOINT_EVERY, v); }
        public Builder sampleEvery(int v) { return set(SAMPLE_EVERY, v); }
        public Builder dropout(double v) { return set(DROPOUT, v); }
        public Builder beta2(double v) { return set(BETA2, v); }
        public Builder weightDecay(double v) { return set(WEIGHT_DECAY, v); }
        public Builder warmup(int v) { return set(WARMUP, v); }
        public Builder lrSchedule(LearningRateSchedule.Shape v) { return set(LR_SCHEDULE, v); }
        public Builder heads(int v) { return set(HEADS, v); }
        public Builder bias(boolean v) { return set(BIAS, v); }
        public Builder attend(int v) { return set(ATTEND, v); }

        /**
         * The run: every setting not given takes its default, and the two that have none follow
         * the others: lr is the optimizer's own ({@link OptimizerType#defaultLearningRate()}), and
         * epochs is 0 (steps decides) unless given, in which case steps is 0 unless given.
         */
        public TrainConfig build() {
            Map<Hyperparameter, Object> v = new EnumMap<>(Hyperparameter.class);
            for (Hyperparameter h : Hyperparameter.values()) v.put(h, given.containsKey(h) ? given.get(h) : h.defaultValue);
            if (v.get(LR) == null) {
                OptimizerType o = v.get(OPTIMIZER) != null ? (OptimizerType) v.get(OPTIMIZER) : (OptimizerType) OPTIMIZER.defaultValue;
                v.put(LR, o.defaultLearningRate());
            }
            if (v.get(EPOCHS) == null) v.put(EPOCHS, 0.0);
            else if (!given.containsKey(STEPS)) v.put(STEPS, 0L);
            return new TrainConfig(v);
        }
    }
}
