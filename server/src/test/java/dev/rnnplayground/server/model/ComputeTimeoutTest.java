package dev.rnnplayground.server.model;

import static dev.rnnplayground.server.Api.problemDetail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.lab.SyntheticTexts;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.server.Api;
import dev.rnnplayground.server.RnnServer;
import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.Services;
import io.javalin.testtools.JavalinTest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request that computes past the server's time limit is stopped between two of its steps and
 * answered 503 with a sentence; the server answers the next request. The limit here is 0.2 s;
 * 5,000 symbols of the default model (1.9 M parameters) take a second or more.
 */
class ComputeTimeoutTest {

    @TempDir
    Path data;

    @Test
    void aRequestThatComputesTooLongIsStoppedWithA503() {
        ServerConfig config = ServerConfig.defaults(data).withComputeMillis(200);
        JavalinTest.test(RnnServer.create(config, Services.open(config, DefaultModel::fromClasspath)), (server, client) -> {
            Api api = new Api(client);
            String id = api.get("/api/models").json().get(0).get("id").asText();
            String model = "/api/models/" + id;

            String sample = problemDetail(api.postJson(model + "/sample", Map.of("length", 5_000)), 503);
            assertEquals("The request was stopped after 0.2 seconds of computing: ask for fewer symbols (or positions),"
                    + " or try again when the server is less busy.", sample);
            String predict = problemDetail(api.postJson(model + "/predict", Map.of("prime", "to be or not ".repeat(380))), 503);
            assertEquals(sample, predict);

            // the server answers the next request; on a machine busy with other work even 2 symbols
            // can pass 0.2 s (a pause of the JVM or of the machine), so it gets three tries
            Api.Reply shortSample = api.postJson(model + "/sample", Map.of("length", 2));
            for (int tries = 1; tries < 3 && shortSample.status() == 503; tries++) {
                shortSample = api.postJson(model + "/sample", Map.of("length", 2));
            }
            assertEquals(200, shortSample.status(), shortSample.text());
            assertTrue(shortSample.get("text").asText().length() == 2, shortSample.text());
        });
    }

    /**
     * Scoring a task goes through the same gate: 4,000 recall examples with a gap of 100 (about 416,000
     * symbols, under the work cap of 505,000 for this model) through a 64-unit LSTM take seconds; the
     * limit here is 0.2 s.
     */
    @Test
    void aTaskScoreThatComputesTooLongIsStoppedWithA503() {
        ServerConfig config = ServerConfig.defaults(data).withComputeMillis(200);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            Api api = new Api(client);
            CharRnn model = new CharRnn(CellType.LSTM, Vocab.of(SyntheticTexts.recall(100, 50, 1).text()), 64, 1).initialize(2);
            String id = api.post("/api/models?name=r", ModelFile.write(model, DType.F32), "application/octet-stream").get("id").asText();
            String score = "/api/models/" + id + "/score-task";

            Api.Reply slow = api.postJson(score, Map.of("task", "recall", "size", 100, "examples", 4_000));
            assertEquals("The request was stopped after 0.2 seconds of computing: ask for fewer symbols (or positions),"
                    + " or try again when the server is less busy.", problemDetail(slow, 503));

            Api.Reply small = api.postJson(score, Map.of("task", "recall", "size", 5, "examples", 10));
            assertEquals(200, small.status(), small.text());
            assertEquals(10, small.get("scored").asInt(), small.text());
        });
    }
}
