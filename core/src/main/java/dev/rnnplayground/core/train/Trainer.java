package dev.rnnplayground.core.train;

import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.optim.LearningRateSchedule;
import dev.rnnplayground.core.optim.Optimizer;
import dev.rnnplayground.core.sample.Generator;
import dev.rnnplayground.core.util.SplitMix64;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The training loop of truncated backpropagation through time, one {@link #step} at a time
 * (char-rnn's train.lua, feval):
 * <ol>
 *   <li>take the next window of T characters from each of the B streams ({@link BatchStreams}), or,
 *   for a model with a context limit (a transformer), B windows at random places ({@link RandomWindows});</li>
 *   <li>forward from the hidden state the previous window left (reset at the start of each epoch);</li>
 *   <li>backward through the window; clip the gradient; let the optimizer update the weights, with
 *   the learning rate its {@link LearningRateSchedule} gives this step.</li>
 * </ol>
 * The hidden state's values flow from window to window; its gradient stops at the window edge.
 *
 * <p>The last {@code valFraction} of the text is held out for {@link #validationLoss()}.
 * Everything that decides the next step (weights, optimizer state, step, data position, carried
 * hidden state, sampling generator) can be captured by a {@link Checkpoint} and restored, so a
 * stopped run resumes to exactly the weights an uninterrupted one reaches.
 */
public final class Trainer {
    /** Loss this many times the uniform guess's ln(V) is taken as divergence. */
    private static final double EXPLODED_FACTOR = 5;

    private final TrainConfig config;
    private final LanguageModel model;
    private final int[] trainIds;
    private final int[] validationIds;
    private final int skippedSymbols;
    private final TrainingWindows windows;
    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;
    private final LanguageModel.CarriedState state;
    private final TrainingEngine engine;
    /** True when the engine has moved on since model, optimizer and state were last copied out of it. */
    private boolean referenceStale;
    private final int[][] inputs;
    private final int[][] targets;
    private final long totalSteps;
    final SplitMix64 sampleRng;
    private long step;

    /** A fresh run on the reference engine; see {@link #Trainer(TrainConfig, String, LanguageModel, TrainingEngine.Factory)}. */
    public Trainer(TrainConfig config, String text, LanguageModel initial) {
        this(config, text, initial, ReferenceEngine::new);
    }

    /**
     * A fresh run on a text; {@code initial}, when not null, gives the starting weights and the
     * vocabulary (symbols of the text outside it are skipped and counted). {@code engines} makes
     * the engine that computes the steps.
     */
    public Trainer(TrainConfig config, String text, LanguageModel initial, TrainingEngine.Factory engines) {
        this(config, text, initial, engines, true);
    }

    /**
     * A fresh run, on the reference engine, of a model that {@link TrainConfig#architecture()} cannot
     * describe: the ablated models of core's lab (the ladder from bigram to GPT) are experiment code,
     * not families the architecture builds, so the shape check that guards a resumed or fine-tuned
     * run does not apply. The config's training settings (window, batch, optimizer, steps, seed,
     * held-out share) apply; its model settings are not read.
     */
    public static Trainer forModel(TrainConfig config, String text, LanguageModel model) {
        if (model == null) throw new IllegalArgumentException("no model to train");
        return new Trainer(config, text, model, ReferenceEngine::new, false);
    }

    private Trainer(TrainConfig config, String text, LanguageModel initial, TrainingEngine.Factory engines,
                    boolean checkShape) {
        List<String> errors = config.validate();
        if (!errors.isEmpty()) throw new IllegalArgumentException(String.join("; ", errors));
        this.config = config;
        if (initial != null) {
            Map<String, String> asked = config.architecture().shape();
            if (checkShape && !initial.shape().equals(asked)) {
                throw new IllegalArgumentException("the initial model is a " + Architecture.describe(initial.shape())
                        + ", not the " + Architecture.describe(asked) + " asked for");
            }
            this.model = initial;
        } else {
            this.model = config.architecture().create(Vocab.of(text), config.seed());
        }
        Vocab.Encoded encoded = model.vocab().encode(text);
        this.skippedSymbols = encoded.skippedCount();
        int[] ids = encoded.ids();
        this.validationIds = Evaluator.heldOut(ids, config.valFraction());
        this.trainIds = Arrays.copyOfRange(ids, 0, ids.length - validationIds.length);
        if (config.seqLength() > model.contextLimit()) {
            throw new IllegalArgumentException("seqLength: the model reads at most " + model.contextLimit()
                    + " positions at once, got " + config.seqLength());
        }
        this.windows = model.contextLimit() == Integer.MAX_VALUE
                ? new BatchStreams(trainIds, config.batchSize(), config.seqLength())
                : new RandomWindows(trainIds, config.batchSize(), config.seqLength(), config.seed());
        this.optimizer = Optimizer.create(config.optimizer(), config.learningRate(), config.beta2(), config.weightDecay());
        this.state = model.zeroState(config.batchSize());
        this.engine = engines.create(config, model, optimizer, state);
        this.inputs = new int[config.batchSize()][config.seqLength()];
        this.targets = new int[config.batchSize()][config.seqLength()];
        this.totalSteps = config.steps() > 0 ? config.steps()
                : Math.max(1, (long) Math.ceil(config.epochs() * windows.windowsPerEpoch()));
        this.schedule = new LearningRateSchedule(config.learningRate(), config.warmup(), config.lrSchedule(), totalSteps);
        this.sampleRng = new SplitMix64(config.seed() ^ 0x7A3B1C5D2E4F6071L);
    }

    /** One window of truncated BPTT and one optimizer update. */
    public StepReport step() {
        if (isDone()) throw new IllegalStateException("training already finished after " + step + " steps");
        if (windows.next(inputs, targets)) engine.resetCarriedState();   // a new epoch starts from a blank memory
        double loss = engine.lossAndGradients(inputs, targets, step + 1);
        double norm = engine.gradientNorm();
        step++;
        referenceStale = true;
        double uniform = Math.log(model.vocab().size());
        if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
            throw new TrainingDivergedException("training diverged at step " + step + ": the loss became "
                    + (Double.isFinite(loss) ? "finite but the gradient norm is " + norm : String.valueOf(loss))
                    + "; try a lower learning rate or gradient clipping");
        }
        if (loss > EXPLODED_FACTOR * Math.max(uniform, 1)) {
            throw new TrainingDivergedException(String.format(
                    "training diverged at step %d: loss %.3g nats/char is far above the %.3g of a uniform guess; "
                            + "try a lower learning rate or gradient clipping", step, loss, uniform));
        }
        engine.setLearningRate(schedule.at(step - 1));
        boolean clipped = engine.clipAndUpdate(config.clipMode(), config.clip(), norm);
        return new StepReport(step, loss, norm, clipped, epoch(), charactersSeen());
    }

    /** Mean loss on the held-out text (nats/char), NaN when there is none. */
    public double validationLoss() {
        return engine.meanLoss(validationIds, Math.min(config.batchSize(), 32));
    }

    public boolean isDone() {
        return step >= totalSteps;
    }

    public long stepsDone() {
        return step;
    }

    public long totalSteps() {
        return totalSteps;
    }

    public double epoch() {
        return step / windows.windowsPerEpoch();
    }

    public long charactersSeen() {
        return step * config.batchSize() * config.seqLength();
    }

    /** The model as trained so far (copied out of the engine when it has moved on). */
    public LanguageModel model() {
        syncReference();
        return model;
    }

    /** Which engine computes the steps, in one line. */
    public String engineDescription() {
        return engine.description();
    }

    private void syncReference() {
        if (!referenceStale) return;
        engine.exportTo(model, optimizer, state);
        referenceStale = false;
    }

    /** After a checkpoint has been restored into the reference objects: hand them to the engine. */
    void reloadEngine() {
        engine.importFrom(model, optimizer, state);
        referenceStale = false;
    }

    public TrainConfig config() {
        return config;
    }

    /** Symbols of the text skipped because the initial model's vocabulary lacks them. */
    public int skippedSymbols() {
        return skippedSymbols;
    }

    public int trainingSymbols() {
        return trainIds.length;
    }

    public int validationSymbols() {
        return validationIds.length;
    }

    /** A sample from the model as it is now, from the run's own generator (part of the checkpoint). */
    public String sample(String prime, int length, double temperature) {
        syncReference();   // the engine's latest weights, not those of the last copy
        Generator g = new Generator(model, temperature, 0, sampleRng);
        g.feed(prime);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) out.append(model.vocab().symbol(g.next()));
        return out.toString();
    }

    // --- what a checkpoint stores and restores ---

    Optimizer optimizer() {
        syncReference();
        return optimizer;
    }

    LanguageModel.CarriedState carriedState() {
        syncReference();
        return state;
    }

    int dataPosition() {
        return windows.position();
    }

    void restoreProgress(long stepsDone, int position) {
        this.step = stepsDone;
        windows.setPosition(position);
    }
}
