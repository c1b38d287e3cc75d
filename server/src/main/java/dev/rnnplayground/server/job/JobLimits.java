package dev.rnnplayground.server.job;

import static dev.rnnplayground.core.train.Hyperparameter.BATCH_SIZE;
import static dev.rnnplayground.core.train.Hyperparameter.CHECKPOINT_EVERY;
import static dev.rnnplayground.core.train.Hyperparameter.EVAL_EVERY;
import static dev.rnnplayground.core.train.Hyperparameter.HIDDEN;
import static dev.rnnplayground.core.train.Hyperparameter.SAMPLE_EVERY;
import static dev.rnnplayground.core.train.Hyperparameter.STEPS;
import static dev.rnnplayground.core.train.Hyperparameter.WARMUP;

import dev.rnnplayground.core.train.TrainLimits.Range;
import dev.rnnplayground.core.train.TrainLimits;

/**
 * This server's training limits: the command line's ({@link TrainLimits#COMMAND_LINE}) narrowed
 * for a machine several people share, where no job should take days or gigabytes.
 */
public final class JobLimits {

    /** The most optimizer steps one job may run; the steps between evaluations, samples and checkpoints too. */
    public static final long MAX_STEPS = 1_000_000L;

    /**
     * 1024 hidden units and 256 streams at most, and 20 million parameters (a 4-layer LSTM of 1024
     * units is already about 30 million).
     */
    public static final TrainLimits SERVER = TrainLimits.COMMAND_LINE
            .with(HIDDEN, Range.of(1, 1024))
            .with(BATCH_SIZE, Range.of(1, 256))
            .with(STEPS, Range.of(1, MAX_STEPS))
            .with(WARMUP, Range.of(0, MAX_STEPS))
            .with(EVAL_EVERY, Range.of(0, MAX_STEPS))
            .with(SAMPLE_EVERY, Range.of(0, MAX_STEPS))
            .with(CHECKPOINT_EVERY, Range.of(0, MAX_STEPS))
            .withMaxParameters(20_000_000L);

    private JobLimits() {
    }
}
