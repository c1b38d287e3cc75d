package dev.rnnplayground.server;

import static dev.rnnplayground.server.Api.problemDetail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.server.common.ServiceException;
import dev.rnnplayground.server.job.MemoryBudget;
import dev.rnnplayground.server.model.InferenceGate;
import io.javalin.testtools.JavalinTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests that would exhaust memory or CPU are refused before anything is allocated; the server answers afterwards. */
class BudgetTest {

    @TempDir
    Path data;

    /** 300,000 symbols drawn from 2,000 distinct CJK characters (about 900 KB of UTF-8). */
    private static byte[] wideCorpus() {
        SplittableRandom random = new SplittableRandom(7);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2_000; i++) text.appendCodePoint(0x4E00 + i);   // every symbol at least once
        while (text.length() < 300_000) text.appendCodePoint(0x4E00 + random.nextInt(2_000));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void jobSpecsThatCannotFitInMemoryAreRefusedAndTheServerGoesOn() {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            Api api = new Api(client);
            String wide = api.postText("/api/corpora?name=wide", wideCorpus()).get("id").asText();
            // the logits alone: 256 × 1000 × 2000 × 2 doubles = 8 GB
            String detail = problemDetail(api.postJson("/api/jobs", Map.of("corpusId", wide, "cell", "rnn", "hidden", 64,
                    "batchSize", 256, "seqLength", 1000, "steps", 5)), 400);
            assertTrue(detail.startsWith("This job would need about 8.") && detail.contains("lower batchSize × seqLength"),
                    detail);
            // the activations of a 2-layer LSTM of 1024 units: 17 GB and more
            String verses = api.postText("/api/corpora?name=verses", TestTexts.VERSE.repeat(80)
                    .getBytes(StandardCharsets.UTF_8)).get("id").asText();
            String big = problemDetail(api.postJson("/api/jobs", Map.of("corpusId", verses, "hidden", 1024, "layers", 2,
                    "batchSize", 256, "seqLength", 1000)), 400);
            assertTrue(big.contains("GB of memory") && big.contains("hidden × layers (now 1024 × 2)"), big);
            assertEquals(0, api.get("/api/jobs").json().size(), "nothing was queued");

            assertEquals(200, api.get("/api/health").status());
            String verse = TestTexts.uploadVerse(api);
            String id = api.postJson("/api/jobs", Map.of("corpusId", verse, "cell", "rnn", "hidden", 8, "seqLength", 8,
                    "steps", 20)).get("id").asText();
            assertEquals("done", TestTexts.awaitFinished(api, id, 30_000).get("status").asText());
        });
    }

    @Test
    void theEstimateCountsParametersActivationsAndLogits() {
        var spec = dev.rnnplayground.server.job.JobSpec.of("c", java.util.Map.of("cell", "lstm", "hidden", 128,
                "layers", 1, "seqLength", 50, "batchSize", 1, "optimizer", "adam")).withDefaults();
        MemoryBudget.Estimate e = MemoryBudget.estimate(spec, 65, 1_000_000);
        long parameters = spec.parameterCount(65);
        assertEquals(8 * parameters * 6, e.parameters(), "weights, gradients, transposes, checkpoint, Adam's two");
        assertEquals(8L * 50 * (7 * 128 + 4 * 128), e.activations());
        assertEquals(8L * 2 * 50 * 65, e.logits());
        assertEquals(8_000_000, e.corpus());
        // the default job fits in a small heap
        assertTrue(e.total() < 64L << 20, e.toString());
    }

    @Test
    void importedModelsAreCheckedForSizeAndFiniteWeights() {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            Api api = new Api(client);
            byte[] wide = ModelFile.write(new CharRnn(CellType.RNN, Vocab.of("ab"), 1100, 1).initialize(1), DType.F32);
            assertTrue(problemDetail(api.post("/api/models", wide, "application/octet-stream"), 400)
                    .contains("1100 hidden units; this server imports models of at most 1024"));

            CharRnn broken = new CharRnn(CellType.GRU, Vocab.of("abc"), 4, 1).initialize(1);
            broken.parameters().get(1).w[3] = Double.NaN;
            String detail = problemDetail(api.post("/api/models", ModelFile.write(broken, DType.F32),
                    "application/octet-stream"), 400);
            assertTrue(detail.contains("holds NaN"), detail);
            broken.parameters().get(1).w[3] = Double.POSITIVE_INFINITY;
            problemDetail(api.post("/api/models", ModelFile.write(broken, DType.F64), "application/octet-stream"), 400);
            assertEquals(0, api.get("/api/models").json().size());
        });
    }

    @Test
    void samplingCostIsBoundedByLengthTimesParameters() {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            Api api = new Api(client);
            // about 1.05 million parameters: at most 9,500 symbols read and written per request
            byte[] file = ModelFile.write(new CharRnn(CellType.RNN, Vocab.of("ab"), 1024, 1).initialize(1), DType.F32);
            String id = api.post("/api/models", file, "application/octet-stream").get("id").asText();
            JsonNode refused = api.postJson("/api/models/" + id + "/sample", Map.of("length", 10_000)).json();
            assertEquals(400, refused.get("status").asInt());
            assertTrue(refused.get("errors").has("length"), refused.toString());
            assertTrue(refused.get("detail").asText().contains("at most 9"), refused.toString());
            assertEquals(200, api.postJson("/api/models/" + id + "/sample", Map.of("length", 20)).status());
            JsonNode inspect = api.postJson("/api/models/" + id + "/inspect", Map.of("text", "ab".repeat(500))).json();
            assertTrue(inspect.has("errors"), inspect.toString());
        });
    }

    @Test
    void theGateAnswersBusyInsteadOfQueueingForever() throws Exception {
        InferenceGate gate = new InferenceGate(1, 50);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread first = new Thread(() -> gate.run(deadline -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        first.start();
        holding.await();
        ServiceException busy = assertThrows(ServiceException.class, () -> gate.run(deadline -> "second"));
        assertEquals(ServiceException.Kind.UNAVAILABLE, busy.kind());
        release.countDown();
        first.join(10_000);
        assertEquals("third", gate.run(deadline -> "third"));
    }
}
