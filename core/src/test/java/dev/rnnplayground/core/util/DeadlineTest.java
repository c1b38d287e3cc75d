package dev.rnnplayground.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnnplayground.core.lab.Inspector;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.rnn.GradientReach;
import dev.rnnplayground.core.sample.SampleConfig;
import dev.rnnplayground.core.sample.Sampler;
import org.junit.jupiter.api.Test;

/** Every long computation stops at a deadline that has passed, and runs to its end without one. */
class DeadlineTest {

    private static final String TEXT = "to be or not to be, that is the question";

    @Test
    void aPassedDeadlineStopsSamplingPredictionInspectionAndReach() throws InterruptedException {
        CharRnn model = new CharRnn(CellType.LSTM, Vocab.of(TEXT), 8, 1).initialize(2);
        Deadline passed = Deadline.after(0);
        Thread.sleep(2);   // the deadline lies in the past: the first check fails

        DeadlineExceededException e = assertThrows(DeadlineExceededException.class,
                () -> Sampler.sample(model, new SampleConfig("", 100, 1, 0, 1), passed));
        assertEquals(0, e.limitMillis());
        assertThrows(DeadlineExceededException.class, () -> Sampler.predict(model, TEXT, 3, passed));
        assertThrows(DeadlineExceededException.class, () -> Inspector.inspect(model, TEXT, passed));
        assertThrows(DeadlineExceededException.class,
                () -> GradientReach.measure(model, TEXT.repeat(3), 5, 2, passed));

        Deadline later = Deadline.after(60_000);
        assertEquals(Sampler.sample(model, new SampleConfig("to", 100, 1, 0, 1)),
                Sampler.sample(model, new SampleConfig("to", 100, 1, 0, 1), later));
    }
}
