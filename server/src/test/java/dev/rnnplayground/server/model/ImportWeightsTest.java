package dev.rnnplayground.server.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.server.common.ServiceException;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, finding 16: a model with a weight of 3.4e38 (float32's largest, finite) was imported,
 * and inspect then reported a loss of 0.0. Weights beyond {@link ImportCheck#MAX_ABS_WEIGHT} are
 * refused with a 400 naming the tensor; a sane network is still accepted.
 */
class ImportWeightsTest {

    @TempDir
    Path data;

    @Test
    void anAbsurdlyLargeWeightIsRefusedNamingItsTensor() {
        ModelService models = new ModelService(data, 256L * 1024 * 1024);
        for (double absurd : new double[] {3.4e38, -2e6}) {
            CharRnn model = network();
            model.parameters().get(0).w[1] = absurd;
            ServiceException e = assertThrows(ServiceException.class,
                    () -> models.importFile("absurd", new ByteArrayInputStream(ModelFile.write(model, DType.F32))));
            assertEquals(ServiceException.Kind.INVALID, e.kind());
            assertTrue(e.getMessage().contains(model.parameters().get(0).name) && e.getMessage().contains("at most 1000000"),
                    e.getMessage());
        }
        CharRnn large = network();
        large.parameters().get(0).w[1] = 9e5;   // large, but under the cap
        assertEquals("large", models.importFile("large", new ByteArrayInputStream(ModelFile.write(large, DType.F32))).name());
    }

    private static CharRnn network() {
        return new CharRnn(CellType.RNN, Vocab.of("abc"), 4, 1).initialize(1);
    }
}
