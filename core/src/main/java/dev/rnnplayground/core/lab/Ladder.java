package dev.rnnplayground.core.lab;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.optim.OptimizerType;
import dev.rnnplayground.core.train.Evaluator;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.core.train.Trainer;
import dev.rnnplayground.core.util.Deadline;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Karpathy's ablation ladder as one experiment: every {@link LadderRung} trained on the same text
 * with the same budget, through the one training loop ({@link Trainer}), then scored on the
 * held-out end of the text. The rungs from one head on draw the same random windows in the same
 * order (one seed); the bigram reads the text as B carried streams, as every model without a block
 * does, which for a model that remembers nothing changes only the order it sees the pairs in.
 */
public final class Ladder {

    /**
     * What every rung gets.
     *
     * @param batchSize    B windows per step
     * @param learningRate AdamW's
     * @param weightDecay  AdamW's, on the matrices only (PyTorch's AdamW decays every tensor)
     * @param steps        optimizer steps
     * @param valFraction  the end of the text held out
     * @param evalSymbols  held-out symbols scored, from the start of the held-out part (0: all of it);
     *                     the training loss is scored on as many from the start of the text
     * @param seed         initial weights and the windows drawn
     */
    public record Budget(int batchSize, double learningRate, double weightDecay, long steps, double valFraction,
                         int evalSymbols, long seed) {
        /**
         * The lecture's: batch 32, AdamW at 1e-3 with PyTorch's default decay 0.01, 5,000 steps, the
         * last 10% held out; it scores 200 random batches of 32 x 8 (51,200 positions) where this
         * scores the whole held-out part.
         */
        public static Budget lecture() {
            return new Budget(32, 1e-3, 0.01, 5000, 0.1, 0, 1);
        }

        public Budget withSteps(long newSteps) {
            return new Budget(batchSize, learningRate, weightDecay, newSteps, valFraction, evalSymbols, seed);
        }

        public Budget withEvalSymbols(int newEvalSymbols) {
            return new Budget(batchSize, learningRate, weightDecay, steps, valFraction, newEvalSymbols, seed);
        }

        public Budget withSeed(long newSeed) {
            return new Budget(batchSize, learningRate, weightDecay, steps, valFraction, evalSymbols, newSeed);
        }
    }

    /**
     * One rung's outcome: losses in nats per character, {@code seconds} the training steps' wall time
     * (scoring not included).
     */
    public record Outcome(LadderRung rung, long parameters, double trainLoss, double valLoss, double seconds) {
        public double lectureValLoss() {
            return rung.lectureValLoss();
        }
    }

    private Ladder() {
    }

    /** Every rung, lowest first, each reported to {@code onRung} as it finishes. */
    public static List<Outcome> run(String text, Budget budget, Deadline deadline, Consumer<Outcome> onRung) {
        return run(Arrays.asList(LadderRung.values()), text, budget, deadline, onRung);
    }

    public static List<Outcome> run(List<LadderRung> rungs, String text, Budget budget, Deadline deadline, Consumer<Outcome> onRung) {
        List<Outcome> outcomes = new ArrayList<>();
        for (LadderRung rung : rungs) {
            Outcome o = run(rung, text, budget, deadline);
            outcomes.add(o);
            onRung.accept(o);
        }
        return outcomes;
    }

    /** One rung: trained for the budget's steps (checking the deadline between them), then scored. */
    public static Outcome run(LadderRung rung, String text, Budget budget, Deadline deadline) {
        LanguageModel model = rung.create(Vocab.of(text), budget.seed());
        Trainer trainer = Trainer.forModel(config(budget), text, model);
        long start = System.nanoTime();
        while (!trainer.isDone()) {
            deadline.check();
            trainer.step();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        model = trainer.model();
        int[] ids = model.vocab().encode(text).ids();
        int[] heldOut = Evaluator.heldOut(ids, budget.valFraction());
        int scored = budget.evalSymbols() > 0 ? Math.min(budget.evalSymbols(), heldOut.length) : heldOut.length;
        double valLoss = Evaluator.meanLoss(model, Arrays.copyOf(heldOut, scored), SCORING_STREAMS);
        double trainLoss = Evaluator.meanLoss(model, Arrays.copyOf(ids, Math.min(scored, ids.length - heldOut.length)), SCORING_STREAMS);
        return new Outcome(rung, model.parameterCount(), trainLoss, valLoss, seconds);
    }

    /** Streams the scoring reads in parallel, as the trainer's validation does. */
    private static final int SCORING_STREAMS = 32;

    /**
     * The training settings: the rung's block as the window, no gradient clipping and no dropout
     * (the lecture has neither at this size), a constant learning rate.
     */
    static TrainConfig config(Budget b) {
        return TrainConfig.builder().cell(CellType.GPT).hidden(LadderRung.CHANNELS).heads(LadderRung.HEADS)
                .layers(LadderRung.LAYERS).seqLength(LadderRung.BLOCK).bias(true).batchSize(b.batchSize())
                .optimizer(OptimizerType.ADAMW).learningRate(b.learningRate()).weightDecay(b.weightDecay()).clip(0)
                .steps(b.steps()).valFraction(b.valFraction()).seed(b.seed())
                .evalEvery(0).checkpointEvery(0).sampleEvery(0).build();
    }
}
