package dev.rnnplayground.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The schedule against nanoGPT's get_lr(it), worked out by hand for lr 1, 10 warm-up steps, 110 in all. */
class LearningRateScheduleTest {
    private static final double EXACT = 1e-15;

    @Test
    void warmUpClimbsLinearlyThenCosineFallsToATenth() {
        LearningRateSchedule s = new LearningRateSchedule(1.0, 10, LearningRateSchedule.Shape.COSINE, 110);
        assertEquals(1.0 / 11, s.at(0), EXACT, "it 0: lr * 1 / (warmup + 1)");
        assertEquals(10.0 / 11, s.at(9), EXACT, "it 9: the last warm-up step");
        assertEquals(1.0, s.at(10), EXACT, "it 10: decay ratio 0, the full rate");
        assertEquals(0.55, s.at(60), 1e-12, "it 60: half way, min + (lr - min) / 2");
        assertEquals(0.1, s.at(110), EXACT, "the last step: min_lr = lr / 10");
        assertEquals(0.1, s.at(500), EXACT, "past the end: min_lr");
    }

    @Test
    void constantKeepsTheRateAfterTheWarmUpAndWithoutOneIsPlain() {
        LearningRateSchedule warm = new LearningRateSchedule(2e-3, 4, LearningRateSchedule.Shape.CONSTANT, 100);
        assertEquals(2e-3 / 5, warm.at(0), EXACT);
        assertEquals(2e-3, warm.at(4), EXACT);
        assertEquals(2e-3, warm.at(99), EXACT);
        LearningRateSchedule plain = new LearningRateSchedule(2e-3, 0, LearningRateSchedule.Shape.CONSTANT, 100);
        for (long it = 0; it < 100; it += 7) assertEquals(2e-3, plain.at(it), 0.0, "without a schedule the rate is exactly lr");
    }
}
