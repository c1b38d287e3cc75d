package dev.rnnplayground.core.lab;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.train.StepReport;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.core.train.Trainer;
import dev.rnnplayground.core.train.TrainingDivergedException;

/**
 * How far back can each cell remember? Trains a small model on the recall task
 * ({@link SyntheticTexts#recall}) with a given gap and measures its accuracy at the recalled letter
 * on fresh examples from another seed. Every run of an experiment gets the same budget: the same
 * hidden size, window, batch, optimizer and number of steps.
 */
public final class MemorySpan {

    /** The budget every cell and gap gets. */
    public record Budget(int hidden, int seqLength, int batchSize, double learningRate, long steps, long seed) {
        public static Budget small() {
            return new Budget(32, 100, 16, 0.01, 600, 1);
        }
    }

    /** One cell at one gap: accuracy at the recall position on 500 unseen examples (chance 0.25). */
    public record Outcome(CellType cell, int gap, long parameters, double accuracy, double finalLoss, String diverged) {
    }

    private static final int TEST_EXAMPLES = 500;

    private MemorySpan() {
    }

    public static Outcome run(CellType cell, int gap, Budget b) {
        // as many examples as the budget reads (one pass): no example is seen twice
        long budgetSymbols = b.steps() * b.batchSize() * b.seqLength();
        int examples = (int) Math.min(2_000_000, budgetSymbols / (gap + 4) + b.batchSize() * 2L);
        String train = SyntheticTexts.recall(gap, examples, b.seed()).text();
        SyntheticTexts.Scored test = SyntheticTexts.recall(gap, TEST_EXAMPLES, b.seed() + 1_000_003L);
        TrainConfig config = TrainConfig.builder().cell(cell).hidden(b.hidden()).seqLength(b.seqLength())
                .batchSize(b.batchSize()).learningRate(b.learningRate()).steps(b.steps()).valFraction(0).seed(b.seed())
                .evalEvery(0).checkpointEvery(0).sampleEvery(0).build();
        Trainer trainer = new Trainer(config, train, null);
        double recent = Double.NaN;
        try {
            double sum = 0;
            int counted = 0;
            while (!trainer.isDone()) {
                StepReport r = trainer.step();
                if (trainer.totalSteps() - r.step() < 50) {
                    sum += r.loss();
                    counted++;
                }
            }
            recent = sum / Math.max(counted, 1);
        } catch (TrainingDivergedException e) {
            return new Outcome(cell, gap, trainer.model().parameterCount(), Double.NaN, Double.NaN, e.getMessage());
        }
        SyntheticTexts.Accuracy accuracy = SyntheticTexts.accuracy(test, SyntheticTexts.predictions(trainer.model(), test));
        return new Outcome(cell, gap, trainer.model().parameterCount(), accuracy.overall(), recent, null);
    }
}
