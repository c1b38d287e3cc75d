package dev.rnnplayground.server.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.lab.MemorySpan;
import dev.rnnplayground.core.lab.MemorySpanDefaults;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.engine.Engines;
import dev.rnnplayground.server.Api;
import dev.rnnplayground.server.Await;
import dev.rnnplayground.server.RnnServer;
import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.Services;
import dev.rnnplayground.server.model.InferenceGate;
import io.javalin.testtools.JavalinTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/experiments/memory-span}: one background run at a time on a shared compute permit,
 * its results the very numbers core computes, its refusals one sentence each, behind the token.
 */
class MemorySpanApiTest {
    private static final String TOKEN = "s3cret";
    private static final String PATH = "/api/experiments/memory-span";

    @Test
    void runsInTheBackgroundOneAtATimeAndReportsCoresNumbers(@TempDir Path data) throws Exception {
        ServerConfig config = ServerConfig.defaults(data).withToken(TOKEN);
        Services services = Services.open(config, () -> null);
        JavalinTest.test(RnnServer.create(config, services), (server, client) -> {
            Api api = new Api(client, TOKEN);
            assertEquals(404, api.get(PATH).status(), "no run yet");
            // the guards every route has: no token, 401; a page of another origin, 403
            HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(client.getOrigin() + PATH))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode(), "a fresh client, without the token (JavalinTest's keeps cookies)");
            HttpResponse<String> foreign = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(client.getOrigin() + PATH))
                    .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                    .header("Origin", "https://evil.example").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, foreign.statusCode(), foreign.body());

            Api.Reply bad = api.postJson(PATH, Map.of("cells", List.of("bigram"), "gaps", List.of(-1), "seeds", 9, "steps", 0));
            assertEquals(400, bad.status());
            assertEquals("cells: each must be rnn, lstm, gru, lstm-attention or gpt, got \"bigram\"; gaps: each must be 0 to 200,"
                    + " got -1; seeds: must be 1 to 5, got 9; steps: must be 1 to 5000, got 0.", bad.get("detail").asText());
            assertEquals(400, api.postJson(PATH, "{\"steps\": 10, \"width\": 64}").status(), "an unknown field is refused");
            assertEquals(400, api.postJson(PATH, "{\"steps\": \"10\"}").status(), "a number in quotes is refused");

            // every compute permit taken (here by hand): refused at once, with Retry-After
            List<InferenceGate.Held> taken = new java.util.ArrayList<>();
            try {
                while (true) taken.add(services.models().holdCompute("test"));
            } catch (dev.rnnplayground.server.common.ServiceException allTaken) {
                // every permit is held now
            }
            Api.Reply busy = api.postJson(PATH, Map.of("cells", List.of("rnn"), "gaps", List.of(1), "seeds", 1, "steps", 5));
            taken.forEach(InferenceGate.Held::release);
            assertEquals(503, busy.status(), busy.text());
            assertEquals("Busy", busy.get("title").asText());

            // a long run: a second start is refused with 409 while it runs; cancelling stops it
            Api.Reply long_ = api.postJson(PATH, Map.of("cells", List.of("lstm"), "gaps", List.of(50), "seeds", 1, "steps", 5000));
            assertEquals(202, long_.status(), long_.text());
            assertEquals("running", long_.get("status").asText());
            Api.Reply second = api.postJson(PATH, Map.of());
            assertEquals(409, second.status());
            assertEquals("A memory-span run is already running (0 of 1 models trained); wait for it or cancel it.",
                    second.get("detail").asText());
            assertEquals(200, api.postJson(PATH + "/cancel", Map.of()).status());
            JsonNode cancelled = Await.until(Duration.ofSeconds(20), () -> api.get(PATH).json(), s -> !s.get("status").asText().equals("running"));
            assertEquals("cancelled", cancelled.get("status").asText());
            assertEquals(0, cancelled.get("results").size());
            assertEquals(409, api.postJson(PATH + "/cancel", Map.of()).status(), "nothing left to cancel");

            // a short run to its end: 2 models x 2 gaps x 2 seeds, each result core's own
            Api.Reply started = api.postJson(PATH, Map.of("cells", List.of("rnn", "gpt"), "gaps", List.of(40, 1), "seeds", 2, "steps", 30));
            assertEquals(202, started.status(), started.text());
            JsonNode done = Await.until(Duration.ofSeconds(120), () -> api.get(PATH).json(), s -> !s.get("status").asText().equals("running"));
            assertEquals("done", done.get("status").asText(), done.toString());
            assertEquals(started.get("id").asText(), done.get("id").asText());
            assertEquals(8, done.get("runsDone").asInt());
            assertEquals(List.of(1, 40), List.of(done.get("plan").get("gaps").get(0).asInt(), done.get("plan").get("gaps").get(1).asInt()));
            assertEquals(88, done.get("plan").get("windows").get("rnn").get(1).asInt(), "2 x (40 + 4)");
            assertEquals(32, done.get("plan").get("windows").get("gpt").get(1).asInt(), "the gpt's block");
            JsonNode results = done.get("results");
            assertEquals(8, results.size());
            MemorySpan.Budget budget = MemorySpanDefaults.page().withSteps(30);
            MemorySpan.Outcome direct = MemorySpan.run(CellType.GPT, 40, 2, budget, Engines.factory(Engines.Choice.FAST, 1), MemorySpan.UNWATCHED);
            JsonNode served = find(results, "gpt", 40, 2);
            assertEquals(direct.accuracy(), served.get("accuracy").asDouble(), 0.0, "the same run as core's, to the last bit");
            assertEquals(direct.parameters(), served.get("parameters").asLong());
            // the summary: per model and gap, the mean and range over the two seeds of the results above
            for (JsonNode line : done.get("summary")) {
                for (JsonNode cell : line.get("gaps")) {
                    double a = find(results, line.get("cell").asText(), cell.get("gap").asInt(), 1).get("accuracy").asDouble();
                    double b = find(results, line.get("cell").asText(), cell.get("gap").asInt(), 2).get("accuracy").asDouble();
                    assertEquals((a + b) / 2, cell.get("mean").asDouble(), 1e-12);
                    assertEquals(Math.min(a, b), cell.get("min").asDouble());
                    assertEquals(Math.max(a, b), cell.get("max").asDouble());
                }
            }
            assertEquals(0.25, done.get("chance").asDouble());
            assertTrue(done.path("running").isNull() || done.path("running").isMissingNode(), "nothing running once done");
        });
    }

    private static JsonNode find(JsonNode results, String cell, int gap, int seed) {
        for (JsonNode r : results) {
            if (r.get("cell").asText().equals(cell) && r.get("gap").asInt() == gap && r.get("seed").asInt() == seed) return r;
        }
        throw new AssertionError("no result for " + cell + " gap " + gap + " seed " + seed + " in " + results);
    }
}
