package dev.rnnplayground.core.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.lab.Inspector;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.sample.SampleConfig;
import dev.rnnplayground.core.sample.Sampler;
import org.junit.jupiter.api.Test;

/**
 * A network built for inference only has no gradient buffers (half the memory of a trainable one),
 * answers exactly as the trainable network of the same file, refuses backward, and trains as a copy.
 */
class InferenceNetworkTest {

    private static final String TEXT = "to be or not to be, that is the question";

    @Test
    void readForInferenceHasNoGradientsAndSamplesTheSameText() {
        for (CellType cell : CellType.RECURRENT) {
            byte[] file = ModelFile.write(new CharRnn(cell, Vocab.of(TEXT), 8, 2).initialize(5), DType.F64);
            CharRnn trainable = ModelFile.read(file);
            CharRnn inference = ModelFile.readForInference(file);

            assertTrue(trainable.hasGradients());
            assertFalse(inference.hasGradients());
            for (Param p : inference.parameters()) assertNull(p.dw, cell + " " + p.name);
            for (Param p : trainable.parameters()) assertNotNull(p.dw, cell + " " + p.name);

            SampleConfig options = new SampleConfig("to be", 50, 0.8, 0, 3);
            assertEquals(Sampler.sample(trainable, options), Sampler.sample(inference, options), cell.id());
            assertEquals(Sampler.predict(trainable, "not", 5), Sampler.predict(inference, "not", 5), cell.id());
            Inspector.Inspection a = Inspector.inspect(trainable, TEXT);
            Inspector.Inspection b = Inspector.inspect(inference, TEXT);   // inspects a trainable copy
            assertArrayEquals(a.gradientNormsTotal()[1], b.gradientNormsTotal()[1], cell.id());
        }
    }

    @Test
    void backwardRefusesAnInferenceNetworkAndItsCopyTrains() {
        CharRnn inference = CharRnn.forInference(CellType.LSTM, Vocab.of(TEXT), 4, 1).initialize(1);
        int[][] inputs = {{0, 1, 2}};
        int[][] targets = {{1, 2, 3}};
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> inference.lossAndGradients(inputs, targets, inference.zeroState(1)));
        assertTrue(e.getMessage().contains("inference only"), e.getMessage());

        CharRnn copy = inference.copy();
        assertTrue(copy.hasGradients());
        copy.lossAndGradients(inputs, targets, copy.zeroState(1));
        assertTrue(copy.parameter("decoder.bias").dw[1] != 0);
    }
}
