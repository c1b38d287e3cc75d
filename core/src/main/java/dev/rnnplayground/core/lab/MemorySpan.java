package dev.rnnplayground.core.lab;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.train.ReferenceEngine;
import dev.rnnplayground.core.train.StepReport;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.core.train.Trainer;
import dev.rnnplayground.core.train.TrainingDivergedException;
import dev.rnnplayground.core.train.TrainingEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * How far back can each model remember? Trains a small model on the recall task
 * ({@link SyntheticTexts#recall}: a letter, {@code gap} fillers, a cue, the letter again) and
 * measures its accuracy at the recalled letter on {@value #TEST_EXAMPLES} fresh examples from
 * another seed (chance: 1 in 4). Five families take part: the vanilla RNN, the LSTM and the GRU,
 * the LSTM that attends over its last K states, and the GPT, which sees only its block.
 *
 * <p>Every model of one experiment gets the same budget: the same width (hidden units, or a GPT's
 * channels), batch, optimizer, learning rate, clipping and number of steps. The BPTT window of a
 * recurrent model is {@code 2 × (gap + 4)}, two whole examples, so that the run measures what the
 * cell can carry, not where truncation cuts; a GPT's window is its block, so past the block the
 * letter is out of its sight and it must fall to chance: that is where attention's reach ends.
 */
public final class MemorySpan {

    /** Scored examples per run: the accuracy's standard error at chance is sqrt(0.25 · 0.75 / 500) ≈ 0.019. */
    public static final int TEST_EXAMPLES = 500;
    /** One in four: the recalled letter is one of {@link SyntheticTexts#RECALL_LETTERS}. */
    public static final double CHANCE = 1.0 / SyntheticTexts.RECALL_LETTERS.length();
    /** The five families, in the order tables and charts show them. */
    public static final List<CellType> FAMILIES =
            List.of(CellType.RNN, CellType.LSTM, CellType.GRU, CellType.ATTENTIVE_LSTM, CellType.GPT);

    /**
     * What every model and gap gets.
     *
     * @param width        hidden units of a recurrent model, channels (n_embd) of a GPT
     * @param steps        optimizer steps of every run
     * @param batchSize    windows per step
     * @param learningRate Adam's learning rate
     * @param clip         gradient-norm clipping limit
     * @param gptBlock     a GPT's block: its window, and the farthest back it can see
     * @param gptLayers    a GPT's blocks
     * @param gptHeads     a GPT's heads per block (divides width)
     * @param attend       K: how many of its past states the attending LSTM looks back over
     */
    public record Budget(int width, long steps, int batchSize, double learningRate, double clip,
                         int gptBlock, int gptLayers, int gptHeads, int attend) {

        /** The same budget with another number of steps. */
        public Budget withSteps(long newSteps) {
            return new Budget(width, newSteps, batchSize, learningRate, clip, gptBlock, gptLayers, gptHeads, attend);
        }

        /**
         * The BPTT window a run trains with: two whole examples of {@code gap + 4} symbols for a
         * recurrent model (at least 16), the block for a GPT.
         */
        public int window(CellType family, int gap) {
            return family == CellType.GPT ? gptBlock : Math.max(16, 2 * (gap + 4));
        }
    }

    /**
     * One model at one gap with one seed.
     *
     * @param accuracy  share of the {@value #TEST_EXAMPLES} recalled letters it got right; NaN when diverged
     * @param finalLoss mean training loss over the last 50 steps (nats/char), NaN when diverged
     * @param diverged  why training stopped early, or null
     * @param seconds   wall-clock seconds of training and scoring
     */
    public record Outcome(CellType cell, int gap, long seed, int window, long parameters, double accuracy,
                          double finalLoss, String diverged, double seconds) {
    }

    /** What a long run tells its caller, and how the caller stops it. */
    public interface Watcher {
        /** Asked before every step: true stops the run with a {@link CancellationException}. */
        boolean stopRequested();

        /** After every step of the run in progress. */
        default void onStep(long step, long steps) {
        }

        /** After each model × gap × seed is scored. */
        default void onOutcome(Outcome o) {
        }
    }

    /** A watcher that never stops and hears nothing: the command line's and the tests'. */
    public static final Watcher UNWATCHED = () -> false;

    private MemorySpan() {
    }

    /** One model at one gap on core's reference engine (float64). */
    public static Outcome run(CellType family, int gap, long seed, Budget b) {
        return run(family, gap, seed, b, ReferenceEngine::new, UNWATCHED);
    }

    /**
     * One model at one gap, trained on {@code engines}' engine. The training text is as many fresh
     * examples as the budget reads (no example is seen twice by a recurrent model); the test text
     * comes from another seed.
     *
     * @throws CancellationException when {@code watcher} asks to stop
     */
    public static Outcome run(CellType family, int gap, long seed, Budget b, TrainingEngine.Factory engines, Watcher watcher) {
        if (!FAMILIES.contains(family)) throw new IllegalArgumentException("the memory span compares " + names() + ", not " + family.id());
        long started = System.nanoTime();
        int window = b.window(family, gap);
        long budgetSymbols = b.steps() * b.batchSize() * window;
        int examples = (int) Math.min(2_000_000, budgetSymbols / (gap + 4) + 2L * b.batchSize() + 4);
        String train = SyntheticTexts.recall(gap, examples, seed).text();
        SyntheticTexts.Scored test = SyntheticTexts.recall(gap, TEST_EXAMPLES, seed + 1_000_003L);
        TrainConfig config = TrainConfig.builder().cell(family).hidden(b.width()).layers(family == CellType.GPT ? b.gptLayers() : 1)
                .heads(b.gptHeads()).attend(b.attend()).seqLength(window).batchSize(b.batchSize()).learningRate(b.learningRate())
                .clip(b.clip()).steps(b.steps()).valFraction(0).seed(seed).evalEvery(0).checkpointEvery(0).sampleEvery(0).build();
        Trainer trainer = new Trainer(config, train, null, engines);
        long parameters = trainer.model().parameterCount();
        double lossSum = 0;
        int counted = 0;
        try {
            while (!trainer.isDone()) {
                if (watcher.stopRequested()) throw new CancellationException("the memory-span run was stopped");
                StepReport r = trainer.step();
                if (trainer.totalSteps() - r.step() < 50) {
                    lossSum += r.loss();
                    counted++;
                }
                watcher.onStep(r.step(), trainer.totalSteps());
            }
        } catch (TrainingDivergedException e) {
            return new Outcome(family, gap, seed, window, parameters, Double.NaN, Double.NaN, e.getMessage(), secondsSince(started));
        }
        SyntheticTexts.Accuracy accuracy = SyntheticTexts.accuracy(test, SyntheticTexts.predictions(trainer.model(), test));
        return new Outcome(family, gap, seed, window, parameters, accuracy.overall(), lossSum / Math.max(counted, 1), null,
                secondsSince(started));
    }

    /**
     * Every family × gap × seed (seeds 1..{@code seeds}), the seed outermost, so that after the
     * first seed every line of a chart has a point at every gap.
     */
    public static List<Outcome> runAll(List<CellType> families, List<Integer> gaps, int seeds, Budget b,
                                       TrainingEngine.Factory engines, Watcher watcher) {
        List<Outcome> outcomes = new ArrayList<>();
        for (long seed = 1; seed <= seeds; seed++) {
            for (int gap : gaps) {
                for (CellType family : families) {
                    Outcome o = run(family, gap, seed, b, engines, watcher);
                    outcomes.add(o);
                    watcher.onOutcome(o);
                }
            }
        }
        return outcomes;
    }

    /**
     * The longest gap a model can look straight back across, or null for a recurrent cell, whose
     * only limit is what its state carries. The answer is predicted at the cue, {@code gap + 1}
     * symbols after the letter: a GPT's block of T positions ending at the cue reaches T − 1 back
     * (gap ≤ T − 2); the attending LSTM looks at h_{t−1} … h_{t−K} (gap ≤ K − 1), and past that
     * only its LSTM can carry the letter.
     */
    public static Integer farthestGapInSight(CellType family, Budget b) {
        return switch (family) {
            case GPT -> b.gptBlock() - 2;
            case ATTENTIVE_LSTM -> b.attend() - 1;
            default -> null;
        };
    }

    /** "rnn, lstm, gru, lstm-attention or gpt", for messages. */
    public static String names() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < FAMILIES.size(); i++) {
            if (i > 0) s.append(i == FAMILIES.size() - 1 ? " or " : ", ");
            s.append(FAMILIES.get(i).id());
        }
        return s.toString();
    }

    private static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
