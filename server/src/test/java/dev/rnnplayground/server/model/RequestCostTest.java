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
import dev.rnnplayground.server.corpus.CorpusService;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, finding 1: a model with a huge vocabulary on a tiny network passed every import check,
 * and one inspect of 1,000 symbols then asked for 8 GB of logits and killed the server. Imports now
 * stop at the corpus cap on vocabularies, and every request's buffers are counted before it runs,
 * so even a model stored before the cap (or under a larger --max-symbols) cannot do it.
 */
class RequestCostTest {

    @TempDir
    Path data;

    @Test
    void anImportWithMoreSymbolsThanACorpusMayHaveIsRefused() {
        ModelService models = new ModelService(data, 256L * 1024 * 1024);
        ServiceException e = assertThrows(ServiceException.class,
                () -> models.importFile("wide", new ByteArrayInputStream(tinyNetwork(CorpusService.MAX_DISTINCT_SYMBOLS + 1))));
        assertEquals(ServiceException.Kind.INVALID, e.kind());
        assertTrue(e.getMessage().contains("at most " + CorpusService.MAX_DISTINCT_SYMBOLS), e.getMessage());
        ModelInfo atTheCap = models.importFile("at the cap", new ByteArrayInputStream(tinyNetwork(CorpusService.MAX_DISTINCT_SYMBOLS)));
        assertEquals(CorpusService.MAX_DISTINCT_SYMBOLS, atTheCap.vocabSize());
    }

    @Test
    void requestsOnAHugeVocabularyAreRefusedBeforeTheyAllocate() {
        // 200,000 symbols, one hidden unit: 0.6 M parameters, so the work cap alone lets 1,000 symbols through (3.2 GB of logits)
        ModelService models = new ModelService(data, 256L * 1024 * 1024, 1_000_000, InferenceGate.forWorkers(1, 30_000));
        String id = models.importFile("huge vocabulary", new ByteArrayInputStream(tinyNetwork(200_000))).id();
        String text = symbols(1_000);

        ServiceException inspect = assertThrows(ServiceException.class, () -> models.inspect(id, new InspectRequest(text, false)));
        assertEquals(ServiceException.Kind.INVALID, inspect.kind());
        assertTrue(inspect.getMessage().contains("at once"), inspect.getMessage());
        // one symbol at a time: 3.2 MB of logits, allowed
        String sampled = models.sample(id, new SampleRequest(null, 5, null, null, 1L)).text();
        assertEquals(5, sampled.codePointCount(0, sampled.length()));
    }

    @Test
    void perPositionBytesCountTheLogitsAndTheirGradients() {
        ModelInfo m = new ModelInfo.Builder().id("m_000000000000").name("m").source("imported").cell("rnn").hidden(1)
                .layers(1).vocabSize(1_000_000).parameterCount(3_000_004).createdAt("2026-01-01T00:00:00Z").sizeBytes(0).build();
        assertTrue(RequestCost.bytesPerPosition(m) >= 16_000_000L, "2 × 1,000,000 doubles");
        java.util.List<String> errors = new java.util.ArrayList<>();
        RequestCost.check("text", 1_000, 3, 1_000, m, errors);
        assertEquals(1, errors.size(), errors.toString());
    }

    @Test
    void anLstmThatAttendsPaysForAttentionOverItsLastStates() {
        // the shipped one: 1 × 128 attending over 8 states; the query against 8 keys and the weights against 8 values
        java.util.Map<String, String> shape = dev.rnnplayground.core.model.Architecture.attentiveLstm(128, 1, 8).shape();
        ModelInfo m = new ModelInfo.Builder().id("m_000000000002").name("a").source("imported").cell("lstm-attention")
                .hidden(128).layers(1).shape(shape).vocabSize(65).parameterCount(165_697).createdAt("2026-01-01T00:00:00Z")
                .sizeBytes(0).build();
        assertEquals(165_697 + 2L * 8 * 128, RequestCost.workPerPosition(m));
    }

    @Test
    void aGptPaysForAttentionOverItsBlock() {
        // 4 blocks of 128 channels over a block of 1,024: attention adds 2 × 1,024 × 128 multiply-adds per block and
        // position, and the attention weights 4 heads × 1,024 doubles per block, so a long block costs more than its parameters say
        java.util.Map<String, String> shape = dev.rnnplayground.core.model.Architecture.gpt(128, 4, 4, 1024, false).shape();
        ModelInfo gpt = new ModelInfo.Builder().id("m_000000000001").name("g").source("imported").cell("gpt").hidden(128)
                .layers(4).shape(shape).vocabSize(65).parameterCount(931_072).createdAt("2026-01-01T00:00:00Z").sizeBytes(0).build();
        assertEquals(931_072 + 4L * 2 * 1024 * 128, RequestCost.workPerPosition(gpt));
        assertEquals(8 * (4 * (16 * 128 + 4 * 1024) + 4 * 128 + 2 * 65), RequestCost.bytesPerPosition(gpt));
        // writing one symbol at a time still keeps up to a block of positions
        java.util.List<String> errors = new java.util.ArrayList<>();
        RequestCost.check("length", 5_000, 1, 1, gpt, errors);
        assertEquals(java.util.List.of(), errors, "a block of 1,024 positions fits in 256 MB");
        RequestCost.check("length", 5_100, 1, 1, gpt, errors);
        assertTrue(errors.size() == 1 && errors.get(0).contains("attends over a block of 1024")
                && errors.get(0).contains("at most 5051 symbols"), errors.toString());
        errors.clear();
        // 12 blocks of 1,024 channels, 64 heads over 4,096 positions: 27 MB a position, so 50 written together are too many
        RequestCost.check("length", 50, 1, 1, new ModelInfo.Builder().id("m_000000000002").name("g").source("imported")
                .cell("gpt").hidden(1024).layers(12).shape(dev.rnnplayground.core.model.Architecture.gpt(1024, 12, 64, 4096, false).shape())
                .vocabSize(65).parameterCount(1).createdAt("2026-01-01T00:00:00Z").sizeBytes(0).build(), errors);
        assertTrue(errors.size() == 1 && errors.get(0).contains("at once"), errors.toString());
    }

    /** A vanilla RNN of one unit over {@code size} symbols (the first from U+10000 on). */
    private static byte[] tinyNetwork(int size) {
        return ModelFile.write(new CharRnn(CellType.RNN, Vocab.of(symbols(size)), 1, 1).initialize(1), DType.F32);
    }

    private static String symbols(int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) b.appendCodePoint(0x10000 + i);
        return b.toString();
    }
}
