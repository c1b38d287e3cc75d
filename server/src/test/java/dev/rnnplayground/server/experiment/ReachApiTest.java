package dev.rnnplayground.server.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.attend.AttentiveLstm;
import dev.rnnplayground.core.bigram.BigramModel;
import dev.rnnplayground.core.gpt.Gpt;
import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.rnn.GradientReach;
import dev.rnnplayground.server.Api;
import dev.rnnplayground.server.RnnServer;
import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.Services;
import dev.rnnplayground.server.TestTexts;
import dev.rnnplayground.server.model.DefaultModelTest;
import io.javalin.testtools.JavalinTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/models/{id}/reach}: the averaged gradient reach, checked against the inspect endpoint. */
class ReachApiTest {

    @Test
    void theBandsAreTheQuartilesOfTheInspectEndpointsPerWindowGradients(@TempDir Path data) {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            Api api = new Api(client);
            String text = TestTexts.VERSE.substring(0, 400);
            CharRnn model = new CharRnn(CellType.GRU, Vocab.of(TestTexts.VERSE), 12, 2).initialize(5);
            String id = api.post("/api/models?name=gru", ModelFile.write(model, DType.F64), "application/octet-stream")
                    .get("id").asText();
            int lags = 40, positions = 29;
            Api.Reply reply = api.postJson("/api/models/" + id + "/reach", Map.of("text", text, "positions", positions, "lags", lags));
            assertEquals(200, reply.status(), reply.text());
            assertNull(reply.get("trainingWindow").textValue(), "an imported model without a description: unknown");
            JsonNode reach = reply.get("reach");
            assertEquals(positions, reach.get("positions").asInt());
            int window = reach.get("windowLength").asInt();
            int[] symbols = text.codePoints().toArray();
            for (int layer = 0; layer < 2; layer++) {
                double[][] byLag = new double[lags + 1][positions];
                for (int p = 0; p < positions; p++) {
                    int start = reach.get("windowStarts").get(p).asInt();
                    String windowText = new String(symbols, start, window);
                    JsonNode norms = api.postJson("/api/models/" + id + "/inspect", Map.of("text", windowText))
                            .get("gradientNormsFromLast").get(layer);
                    int last = norms.size() - 1;
                    for (int k = 0; k <= lags; k++) byLag[k][p] = norms.get(last - k).asDouble() / norms.get(last).asDouble();
                }
                JsonNode band = reach.get("hidden").get(layer);
                for (int k = 0; k <= lags; k++) {
                    double[] sorted = byLag[k].clone();
                    Arrays.sort(sorted);
                    // 29 positions: the median is the 15th value, the quartiles the 8th and 22nd exactly ((n-1) p whole)
                    assertEquals(sorted[14], band.get("median").get(k).asDouble(), 1e-9 * sorted[14], "median at k=" + k);
                    assertEquals(sorted[7], band.get("q25").get(k).asDouble(), 1e-9 * sorted[7], "q25 at k=" + k);
                    assertEquals(sorted[21], band.get("q75").get(k).asDouble(), 1e-9 * sorted[21], "q75 at k=" + k);
                }
            }
            assertTrue(reach.get("cell").isNull(), "a GRU has no cell state");
        });
    }

    /**
     * A gpt and an LSTM that attends are measured along the input path only, the numbers core's
     * GradientReach gives on the JVM for the same weights; the gpt's band is 0 from its block on,
     * and the request is bounded by its block, not by lags + 26. A bigram is refused in one sentence.
     */
    @Test
    void aGptAndAnAttendingLstmHaveTheInputPath(@TempDir Path data) {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            Api api = new Api(client);
            String text = TestTexts.VERSE.substring(0, 300);
            Vocab vocab = Vocab.of(TestTexts.VERSE);
            int lags = 30, positions = 9, block = 20;
            LanguageModel[] models = {new Gpt(vocab, Architecture.gpt(16, 2, 2, block, true), true).initialize(4),
                new AttentiveLstm(vocab, 8, 1, 4, true).initialize(4)};
            for (LanguageModel model : models) {
                String id = api.post("/api/models?name=m", ModelFile.write(model, DType.F64), "application/octet-stream")
                        .get("id").asText();
                Api.Reply reply = api.postJson("/api/models/" + id + "/reach", Map.of("text", text, "positions", positions, "lags", lags));
                assertEquals(200, reply.status(), reply.text());
                JsonNode reach = reply.get("reach");
                GradientReach.Result jvm = GradientReach.measure(model, text, positions, lags);
                JsonNode input = reach.get("input");
                for (int k = 0; k <= lags; k++) {
                    for (String q : new String[] {"q25", "median", "q75"}) {
                        double expected = q.equals("q25") ? jvm.input().q25()[k] : q.equals("median") ? jvm.input().median()[k]
                                : jvm.input().q75()[k];
                        assertEquals(expected, input.get(q).get(k).asDouble(), 1e-12 * expected, model.kind() + " " + q + " at k=" + k);
                    }
                }
                assertEquals("[\"input\"]", reach.get("curves").toString());
                assertTrue(reach.get("hidden").isNull() && reach.get("stepJacobian").isNull(), reach.toString());
                boolean gpt = model.kind() == CellType.GPT;
                assertEquals(gpt ? block + 1 : lags + GradientReach.WARMUP + 2, reach.get("windowLength").asInt());
                if (gpt) {
                    assertEquals(block, reach.get("blockSize").asInt());
                    assertEquals(0.0, input.get("q75").get(block).asDouble(), 0, "a block back and further: never read");
                    assertTrue(input.get("median").get(block - 1).asDouble() > 0, "the farthest position read has a gradient");
                } else {
                    assertTrue(reach.get("blockSize").isNull());
                }
            }
            BigramModel bigram = new BigramModel(vocab, false);
            String bigramId = api.post("/api/models?name=b", ModelFile.write(bigram, DType.F32), "application/octet-stream")
                    .get("id").asText();
            assertEquals("Gradient reach follows a prediction's gradient back through what the model read; a bigram predicts"
                    + " from the last symbol alone.", Api.problemDetail(api.postJson("/api/models/" + bigramId + "/reach",
                    Map.of("text", text)), 400));
        });
    }

    /**
     * The shipped models on held-out Shakespeare: the LSTM's cell-state line lies at or above its h
     * line far back, its gradient outlasts the vanilla RNN's, and both were trained on 50-step windows.
     */
    @Test
    void theShippedLstmsCellStateCarriesTheGradientFurtherThanH(@TempDir Path data) throws Exception {
        String all = Files.readString(DefaultModelTest.shakespeare());
        String heldOut = all.substring(all.length() - 3000);
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config)), (server, client) -> {
            Api api = new Api(client);
            JsonNode models = api.get("/api/models").json();
            String lstm = null, rnn = null;
            for (JsonNode m : models) {
                if (m.get("cell").asText().equals("lstm")) lstm = m.get("id").asText();
                if (m.get("cell").asText().equals("rnn")) rnn = m.get("id").asText();
            }
            // 10 predictions of the 1.9 M-parameter LSTM: the server's own choice for it (42) takes
            // about 28 s of its 30-second compute limit on a quiet 2-core machine, too close to run beside
            // other tests. Over 10 the cell-state median is 1.8-10x the h median at 50-100 steps back, and
            // the LSTM keeps 130x the RNN's gradient at 50 (25 predictions took 4 s more and gave 2.4-5x and 230x)
            Api.Reply l = api.postJson("/api/models/" + lstm + "/reach", Map.of("text", heldOut, "positions", 10));
            Api.Reply r = api.postJson("/api/models/" + rnn + "/reach", Map.of("text", heldOut));
            assertEquals(200, l.status(), l.text());
            assertEquals(100, l.get("trainingWindow").asInt(), "the shipped LSTM trained on 100-step windows");
            assertEquals(50, r.get("trainingWindow").asInt());
            JsonNode top = l.get("reach").get("hidden").get(1), cell = l.get("reach").get("cell").get(1);
            for (int k = 50; k <= 100; k += 10) {
                double h = top.get("median").get(k).asDouble(), c = cell.get("median").get(k).asDouble();
                assertTrue(c >= h, k + " steps back: cell-state median " + c + " below the h median " + h);
            }
            double lstmAt50 = top.get("median").get(50).asDouble();
            double rnnAt50 = r.get("reach").get("hidden").get(0).get("median").get(50).asDouble();
            assertTrue(lstmAt50 > 10 * rnnAt50, "50 steps back the LSTM keeps " + lstmAt50 + ", the RNN " + rnnAt50);
        });
    }

    @Test
    void refusesInOneSentence(@TempDir Path data) {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            Api api = new Api(client);
            CharRnn model = new CharRnn(CellType.RNN, Vocab.of(TestTexts.VERSE), 4, 1).initialize(5);
            String id = api.post("/api/models?name=rnn", ModelFile.write(model, DType.F32), "application/octet-stream")
                    .get("id").asText();
            Api.Reply badLags = api.postJson("/api/models/" + id + "/reach", Map.of("text", TestTexts.VERSE, "lags", 0));
            assertEquals(400, badLags.status());
            assertEquals("lags: must be 1 to 200, got 0.", badLags.get("detail").asText());
            Api.Reply shortText = api.postJson("/api/models/" + id + "/reach", Map.of("text", "too short"));
            assertEquals(400, shortText.status());
            assertEquals("The text needs at least 127 symbols the model knows to look 100 steps back, found 9.",
                    shortText.get("detail").asText());
            assertEquals(404, api.postJson("/api/models/m_000000000000/reach", Map.of("text", "x")).status());
            assertEquals(400, api.postJson("/api/models/" + id + "/reach", "[1]").status());
        });
    }
}
