package dev.rnnplayground.server;

import static dev.rnnplayground.server.Api.problemDetail;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import io.javalin.testtools.JavalinTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a request to the jobs and models API can be wrong: status code and a message that names the problem. */
class RefusalsTest {

    @TempDir
    Path data;

    private static final String OCTET = "application/octet-stream";

    private void withServer(ServerConfig config, io.javalin.testtools.TestCase test) {
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), test);
    }

    /** A field set to a bad value, and a word the message must contain. */
    private record Bad(String field, Object value, String says) {
    }

    @Test
    void jobRequestsAreCheckedFieldByField() {
        withServer(ServerConfig.defaults(data), (server, client) -> {
            Api api = new Api(client);
            String corpusId = TestTexts.uploadVerse(api);
            Bad[] cases = {
                    new Bad("cell", "cnn", "rnn, lstm, gru, bigram, gpt or lstm-attention"),
                    new Bad("hidden", 0, "1 to"),
                    new Bad("hidden", 2000, "1 to 1024"),
                    new Bad("layers", 5, "a recurrent network stacks at most 4"),
                    new Bad("layers", 13, "1 to 12"),
                    new Bad("heads", 0, "1 to 64"),
                    new Bad("seqLength", 0, "1 to"),
                    new Bad("seqLength", 5000, "1 to 1000"),
                    new Bad("batchSize", 0, "1 to"),
                    new Bad("batchSize", 1000, "1 to 256"),
                    new Bad("optimizer", "lbfgs", "sgd, adagrad, rmsprop, adam or adamw"),
                    new Bad("weightDecay", 0.1, "only adamw decays the weights"),
                    new Bad("lr", 0, "greater than 0"),
                    new Bad("lr", 11, "at most 10"),
                    new Bad("clip", -1, "0 to 1000000"),
                    new Bad("clipMode", "l2", "norm or value"),
                    new Bad("steps", 2_000_000, "1000000"),
                    new Bad("valFraction", 0.9, "0 to 0.5"),
                    new Bad("evalEvery", -1, "0 to 1000000"),
                    new Bad("sampleEvery", -1, "0 to 1000000"),
                    new Bad("checkpointEvery", -1, "0 to 1000000"),
                    new Bad("dropout", 0.95, "dropout: must be 0 to 0.9, got 0.95"),
                    new Bad("hidden", "big", "expected an integer"),
                    new Bad("hidden", 1.5, "expected an integer"),
                    new Bad("hiden", 16, "unknown field"),
            };
            for (Bad bad : cases) {
                Map<String, Object> body = new LinkedHashMap<>(Map.of("corpusId", corpusId, "steps", 10));
                body.put(bad.field(), bad.value());
                Api.Reply r = api.postJson("/api/jobs", body);
                String detail = problemDetail(r, 400);
                assertTrue(detail.contains(bad.says()), bad + " -> " + detail);
                assertTrue(r.get("errors").has(bad.field()), bad + " -> " + r.text());
            }

            // several problems at once: one message per field
            Api.Reply several = api.postJson("/api/jobs", Map.of("corpusId", corpusId, "hidden", 0, "layers", 9, "lr", -1));
            problemDetail(several, 400);
            assertEquals(3, several.get("errors").size(), several.text());

            assertContains(problemDetail(api.postJson("/api/jobs", Map.of("steps", 10)), 400), "corpusId");
            assertContains(problemDetail(api.postJson("/api/jobs", Map.of("corpusId", "c_000000000000")), 404), "c_000000000000");
            assertContains(problemDetail(api.postJson("/api/jobs", Map.of("corpusId", "../../etc")), 404), "no corpus");
            assertContains(problemDetail(api.postJson("/api/jobs", "[1,2]"), 400), "JSON object");
            assertContains(problemDetail(api.postJson("/api/jobs", "null"), 400), "JSON object");
            assertContains(problemDetail(api.postJson("/api/jobs", "{\"corpusId\":"), 400), "not valid JSON");
            String tooShort = problemDetail(api.postJson("/api/jobs",
                    Map.of("corpusId", corpusId, "seqLength", 1000, "batchSize", 200)), 400);
            assertTrue(tooShort.contains("needs at least 200001"), tooShort);
            String tooBig = problemDetail(api.postJson("/api/jobs",
                    Map.of("corpusId", corpusId, "hidden", 1024, "layers", 4)), 400);
            assertTrue(tooBig.contains("parameters"), tooBig);
            assertContains(problemDetail(api.postJson("/api/jobs", Map.of("corpusId", corpusId, "steps", 10, "epochs", 2)), 400), "not both");

            assertEquals(0, api.get("/api/jobs").json().size(), "no refused request left a job behind");
        });
    }

    @Test
    void unknownAndMalformedIdsAreNotFound() {
        withServer(ServerConfig.defaults(data), (server, client) -> {
            Api api = new Api(client);
            for (String path : new String[] {"/api/jobs/j_000000000000", "/api/jobs/nope", "/api/jobs/J_ABC",
                    "/api/models/m_000000000000", "/api/models/x", "/api/models/m_000000000000/weights",
                    "/api/models/c_000000000000", "/api/jobs/j_000000000000/history"}) {
                assertTrue(problemDetail(api.get(path), 404).startsWith("There is no"), path);
            }
            problemDetail(api.postJson("/api/jobs/j_000000000000/cancel", Map.of()), 404);
            problemDetail(api.postJson("/api/jobs/..%2F..%2Fjobs/cancel", Map.of()), 404);
            problemDetail(api.postJson("/api/jobs/j_000000000000/resume", Map.of()), 404);
            problemDetail(api.delete("/api/models/m_000000000000"), 404);
            problemDetail(api.postJson("/api/models/m_000000000000/sample", Map.of()), 404);
            problemDetail(api.postJson("/api/models/m_0/predict", Map.of()), 404);
            problemDetail(api.postJson("/api/models/m_000000000000/inspect", Map.of("text", "ab")), 404);

            HttpResponse<String> events = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(client.getOrigin() + "/api/jobs/j_000000000000/events")).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, events.statusCode(), events.body());
        });
    }

    @Test
    void eventStreamNeedsTheEventStreamAcceptHeader() {
        withServer(ServerConfig.defaults(data), (server, client) -> {
            Api api = new Api(client);
            String corpusId = TestTexts.uploadVerse(api);
            String jobId = api.postJson("/api/jobs", Map.of("corpusId", corpusId, "cell", "rnn", "hidden", 8,
                    "seqLength", 8, "steps", 5)).get("id").asText();
            assertContains(problemDetail(api.get("/api/jobs/" + jobId + "/events"), 406), "text/event-stream");
            TestTexts.awaitFinished(api, jobId, 10_000);
        });
    }

    @Test
    void modelImportsAreCheckedByTheModelReader() {
        withServer(ServerConfig.defaults(data).withMaxModelBytes(64 * 1024), (server, client) -> {
            Api api = new Api(client);
            assertTrue(problemDetail(api.post("/api/models", "not a model".getBytes(StandardCharsets.UTF_8), OCTET), 400)
                    .startsWith("The file is not a valid RNN Playground model: "));
            assertContains(problemDetail(api.post("/api/models", new byte[0], OCTET), 400), "empty");
            byte[] good = tinyModelFile();
            byte[] truncated = Arrays.copyOf(good, good.length - 10);
            String detail = problemDetail(api.post("/api/models", truncated, OCTET), 400);
            assertTrue(detail.contains("truncated") || detail.contains("bytes"), detail);
            assertContains(problemDetail(api.post("/api/models", new byte[70 * 1024], OCTET), 413), "64 KB");
            problemDetail(api.post("/api/models", good, "application/json"), 415);
            assertEquals(0, api.get("/api/models").json().size(), "nothing refused was stored");

            Api.Reply ok = api.post("/api/models?name=tiny", good, OCTET);
            assertEquals(201, ok.status(), ok.text());
            assertEquals("tiny", ok.get("name").asText());
            assertEquals("imported", ok.get("source").asText());
            assertArrayEquals(good, api.getBytes("/api/models/" + ok.get("id").asText() + "/weights"));
        });
    }

    @Test
    void aModelFileLargerThanTheJsonLimitImports() {
        withServer(ServerConfig.defaults(data), (server, client) -> {
            byte[] big = ModelFile.write(new CharRnn(CellType.LSTM, Vocab.of("ab c"), 300, 1).initialize(1), DType.F32);
            assertTrue(big.length > 1024 * 1024);
            Api.Reply r = new Api(client).post("/api/models", big, OCTET);
            assertEquals(201, r.status(), r.text());
            assertEquals(big.length, r.get("sizeBytes").asLong());
            // 300 LSTM units keep 600 numbers per step: 1 + 1,000,000 / 600 = 1667 symbols would do, 1001 is the cap
            String id = r.get("id").asText();
            assertEquals(200, new Api(client).postJson("/api/models/" + id + "/inspect", Map.of("text", "ab".repeat(500))).status());
        });
    }

    @Test
    void sampleAndPredictOptionsAreBounded() {
        withServer(ServerConfig.defaults(data), (server, client) -> {
            Api api = new Api(client);
            String id = api.post("/api/models?name=tiny", tinyModelFile(), OCTET).get("id").asText();
            String sample = "/api/models/" + id + "/sample";
            String predict = "/api/models/" + id + "/predict";
            String inspect = "/api/models/" + id + "/inspect";
            assertContains(problemDetail(api.postJson(sample, Map.of("length", 10_001)), 400), "length: must be 0 to 10000");
            assertContains(problemDetail(api.postJson(sample, Map.of("length", -1)), 400), "length");
            assertContains(problemDetail(api.postJson(sample, Map.of("temperature", -0.5)), 400), "temperature");
            assertContains(problemDetail(api.postJson(sample, Map.of("temperature", 1000)), 400), "temperature");
            assertContains(problemDetail(api.postJson(sample, Map.of("topK", -1)), 400), "topK");
            assertContains(problemDetail(api.postJson(sample, Map.of("prime", "x".repeat(10_001))), 400), "prime");
            assertContains(problemDetail(api.postJson(sample, Map.of("prime", "xyz")), 400), "no symbol the model knows");
            assertContains(problemDetail(api.postJson(sample, Map.of("lenght", 5)), 400), "unknown field");
            assertContains(problemDetail(api.postJson(sample, "null"), 400), "JSON object");
            assertContains(problemDetail(api.postJson(predict, Map.of("prime", "ab", "top", 0)), 400), "top");
            assertContains(problemDetail(api.postJson(predict, Map.of("prime", "zz")), 400), "no symbol the model knows");
            assertContains(problemDetail(api.postJson(inspect, Map.of("text", "a")), 400), "at least 2 symbols");
            assertContains(problemDetail(api.postJson(inspect, Map.of("text", "ab".repeat(600))), 400), "at most 1001");

            Api.Reply ok = api.postJson(sample, Map.of("prime", "ab", "length", 10_000, "seed", 5));
            assertEquals(200, ok.status());
            assertEquals(10_000, ok.get("text").asText().length());
            Api.Reply unknownSkipped = api.postJson(sample, Map.of("prime", "abz", "length", 3));
            JsonNode skipped = unknownSkipped.get("skippedSymbols");
            assertEquals("z", skipped.get(0).asText());
        });
    }

    private static void assertContains(String detail, String expected) {
        assertTrue(detail.contains(expected), "expected '" + expected + "' in: " + detail);
    }

    static byte[] tinyModelFile() {
        CharRnn m = new CharRnn(CellType.LSTM, Vocab.of("ab c"), 8, 1).initialize(3);
        return ModelFile.write(m, DType.F32);
    }
}
