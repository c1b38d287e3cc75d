package dev.rnnplayground.server.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.train.Checkpoint;
import dev.rnnplayground.core.train.StepReport;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.core.train.Trainer;
import dev.rnnplayground.server.TestTexts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one loop's cadence and its two definitions of loss, checked against a trainer stepped by
 * hand: the same seed gives the same losses, so every number can be compared exactly.
 */
class TrainingLoopTest {

    /** Everything a loop reports, in order. */
    static class Recorder implements TrainingListener {
        final List<Progress> points = new ArrayList<>();
        final List<Long> samples = new ArrayList<>();
        final List<Long> checkpoints = new ArrayList<>();
        Summary summary;
        Summary cancelSummary;
        long cancelAfter = Long.MAX_VALUE;
        long stopAfter = Long.MAX_VALUE;
        long stepsSeen;
        byte[] lastCheckpoint;

        @Override
        public boolean cancelRequested() {
            return stepsSeen >= cancelAfter;
        }

        @Override
        public boolean stopRequested() {
            return stepsSeen >= stopAfter;
        }

        @Override
        public void onStep(StepReport step) {
            stepsSeen = step.step();
        }

        @Override
        public void onProgress(Progress p) {
            points.add(p);
        }

        @Override
        public void onSample(long step, String text) {
            assertEquals(TrainingLoop.SAMPLE_LENGTH, text.codePointCount(0, text.length()));
            samples.add(step);
        }

        @Override
        public void onCheckpoint(Trainer trainer, double trainingSeconds) {
            checkpoints.add(trainer.stepsDone());
            lastCheckpoint = Checkpoint.write(trainer);
        }

        @Override
        public void onFinish(Summary s) {
            summary = s;
        }

        @Override
        public void onCancel(Summary s) {
            cancelSummary = s;
        }
    }

    static TrainConfig config(long steps, int evalEvery, int checkpointEvery, int sampleEvery) {
        return TrainConfig.builder().cell(CellType.RNN).hidden(8).seqLength(8).batchSize(2).learningRate(1e-2)
                .steps(steps).valFraction(0.1).seed(3).evalEvery(evalEvery).checkpointEvery(checkpointEvery)
                .sampleEvery(sampleEvery).build();
    }

    @Test
    void reportsOnOneCadenceWithTheLossesOfTheSteps() {
        TrainConfig config = config(2500, 100, 601, 1000);
        Trainer hand = new Trainer(config, TestTexts.VERSE, null);
        double[] losses = new double[2501];
        List<Double> validation = new ArrayList<>();
        while (!hand.isDone()) {
            StepReport report = hand.step();
            long step = report.step();
            losses[(int) step] = report.loss();
            if (step % 100 == 0) validation.add(hand.validationLoss());
        }

        Trainer trainer = new Trainer(config, TestTexts.VERSE, null);
        Recorder r = new Recorder();
        assertEquals(TrainingLoop.Outcome.FINISHED, new TrainingLoop(trainer, 0, Double.POSITIVE_INFINITY, r).run());

        long stride = TrainingLoop.strideFor(2500);
        assertEquals(4, stride, "the smallest power of two that keeps 2500 steps within 1000 points");
        assertEquals(2500 / 4, r.points.size());
        long previous = 0;
        int validations = 0;
        for (TrainingListener.Progress p : r.points) {
            assertEquals(previous + stride, p.step(), "a point every stride steps");
            double sum = 0;
            for (long s = previous + 1; s <= p.step(); s++) sum += losses[(int) s];
            assertEquals(sum / stride, p.loss(), 0.0, "the point's loss is the mean since the previous point");
            assertEquals(p.step() % 100 == 0, p.validationLoss() != null, "validation every 100 steps, step " + p.step());
            if (p.validationLoss() != null) assertEquals(validation.get(validations++), p.validationLoss(), 0.0);
            previous = p.step();
        }
        assertEquals(List.of(1000L, 2000L), r.samples);
        // 601 steps after the last checkpoint, at the next point (a multiple of 4); none at the last step
        assertEquals(List.of(604L, 1208L, 1812L, 2416L), r.checkpoints);

        double recent = 0;
        for (int s = 2401; s <= 2500; s++) recent += losses[s];
        assertEquals(recent / 100, r.summary.trainLoss(), 0.0, "train loss: the mean of the last 100 steps");
        assertEquals(r.summary.trainLoss(), r.points.get(r.points.size() - 1).recentLoss(), 0.0);
        assertEquals(hand.validationLoss(), r.summary.validationLoss(), 0.0);
        assertEquals(2500, r.summary.steps());
        assertSameWeights(hand, trainer);
    }

    @Test
    void cancelKeepsWhatWasTrainedAndStopCheckpointsForAnExactResume() {
        Recorder early = new Recorder();
        early.cancelAfter = 0;
        assertEquals(TrainingLoop.Outcome.CANCELLED,
                new TrainingLoop(new Trainer(config(50, 0, 0, 0), TestTexts.VERSE, null), 0, Double.POSITIVE_INFINITY, early).run());
        assertNull(early.cancelSummary, "cancelled before its first step: nothing to keep");
        assertEquals(List.of(), early.checkpoints);

        // cancelled after step 10 (7 is a validation step, 10 is not): a checkpoint there, then the summary
        Recorder cancelled = new Recorder();
        cancelled.cancelAfter = 10;
        Trainer t = new Trainer(config(50, 7, 0, 0), TestTexts.VERSE, null);
        assertEquals(TrainingLoop.Outcome.CANCELLED, new TrainingLoop(t, 0, Double.POSITIVE_INFINITY, cancelled).run());
        assertEquals(10, t.stepsDone());
        assertNull(cancelled.summary, "not finished");
        assertEquals(List.of(10L), cancelled.checkpoints, "a checkpoint where it was cancelled, for a resume");
        Trainer hand = new Trainer(config(50, 7, 0, 0), TestTexts.VERSE, null);
        double recent = 0;
        for (int s = 1; s <= 10; s++) recent += hand.step().loss();
        assertEquals(10, cancelled.cancelSummary.steps());
        assertEquals(recent / 10, cancelled.cancelSummary.trainLoss(), 0.0, "the mean of the steps it ran");
        assertEquals(hand.validationLoss(), cancelled.cancelSummary.validationLoss(), 0.0, "measured at the cancelled step");
        assertSameWeights(hand, t);

        Trainer resumedAfterCancel = Checkpoint.resume(cancelled.lastCheckpoint, TestTexts.VERSE);
        new TrainingLoop(resumedAfterCancel, 0, Double.POSITIVE_INFINITY, new Recorder()).run();
        while (!hand.isDone()) hand.step();
        assertSameWeights(hand, resumedAfterCancel);

        Recorder stopped = new Recorder();
        stopped.stopAfter = 17;
        Trainer first = new Trainer(config(50, 0, 0, 0), TestTexts.VERSE, null);
        assertEquals(TrainingLoop.Outcome.STOPPED, new TrainingLoop(first, 0, Double.POSITIVE_INFINITY, stopped).run());
        assertEquals(List.of(17L), stopped.checkpoints, "a stop checkpoints where the run is");
        Trainer resumed = Checkpoint.resume(stopped.lastCheckpoint, TestTexts.VERSE);
        Recorder rest = new Recorder();
        assertEquals(TrainingLoop.Outcome.FINISHED, new TrainingLoop(resumed, 1.5, Double.POSITIVE_INFINITY, rest).run());
        assertEquals(18, rest.points.get(0).step(), "the resumed curve goes on from the next step");
        assertTrue(rest.summary.trainingSeconds() >= 1.5, "training time counts the time before the resume");

        Trainer uninterrupted = new Trainer(config(50, 0, 0, 0), TestTexts.VERSE, null);
        while (!uninterrupted.isDone()) uninterrupted.step();
        assertSameWeights(uninterrupted, resumed);
    }

    @Test
    void checkpointsByTimeComeAtProgressPointsButNotAtTheEnd() {
        Recorder r = new Recorder();
        new TrainingLoop(new Trainer(config(20, 0, 0, 0), TestTexts.VERSE, null), 0, 0, r).run();
        List<Long> expected = new ArrayList<>();
        for (long s = 1; s < 20; s++) expected.add(s);
        assertEquals(expected, r.checkpoints, "with no time between checkpoints, one at every point but the last");
        assertNotNull(r.points.get(19).validationLoss(), "the last point carries the final validation loss");
        assertNull(r.points.get(18).validationLoss(), "evalEvery 0: only at the end");
    }

    @Test
    void evaluationsAndSamplesAreCappedPerRun() {
        Recorder r = new Recorder();
        new TrainingLoop(new Trainer(config(1000, 1, 0, 1), TestTexts.VERSE, null), 0, Double.POSITIVE_INFINITY, r).run();
        long validations = r.points.stream().filter(p -> p.validationLoss() != null).count();
        assertEquals(TrainingLoop.MAX_EVALUATIONS, validations, "evalEvery 1 over 1000 steps: every 2nd step");
        assertEquals(TrainingLoop.MAX_SAMPLES - 1, r.samples.size(), "sampleEvery 1 over 1000 steps: every 10th, not at the end");
    }

    private static void assertSameWeights(Trainer expected, Trainer actual) {
        for (int i = 0; i < expected.model().parameters().size(); i++) {
            Param p = expected.model().parameters().get(i);
            assertArrayEquals(p.w, actual.model().parameters().get(i).w, 0.0, p.name);
        }
    }
}
