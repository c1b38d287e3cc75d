package dev.rnnplayground.server.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.lab.Ladder;
import dev.rnnplayground.core.lab.LadderRung;
import dev.rnnplayground.core.util.Deadline;
import dev.rnnplayground.server.Api;
import dev.rnnplayground.server.RnnServer;
import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.Services;
import dev.rnnplayground.server.TestTexts;
import io.javalin.testtools.JavalinTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/experiments/ladder}: core's ladder on an uploaded text, on a short budget, and its refusals. */
class LadderApiTest {

    @Test
    void runsTheAskedRungsAsCoreDoesAndRefusesInOneSentence(@TempDir Path data) throws Exception {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            Api api = new Api(client);
            String corpus = TestTexts.uploadVerse(api);
            // asked highest first: answered lowest first, each rung the numbers core computes for that budget
            Api.Reply r = api.postJson("/api/experiments/ladder",
                    Map.of("corpusId", corpus, "rungs", List.of("four-heads", "bigram"), "steps", 25, "seed", 5));
            assertEquals(200, r.status(), r.text());
            assertEquals(25, r.get("steps").asLong());
            assertEquals(32, r.get("batchSize").asInt());
            assertEquals(8, r.get("blockSize").asInt());
            assertEquals("sonnet.txt", r.get("corpusName").asText());
            Ladder.Budget budget = Ladder.Budget.lecture().withSteps(25).withEvalSymbols(LadderService.EVAL_SYMBOLS).withSeed(5);
            JsonNode rungs = r.get("rungs");
            assertEquals(2, rungs.size());
            double uniform = Math.log(dev.rnnplayground.core.model.Vocab.of(TestTexts.VERSE).size());
            for (int i = 0; i < 2; i++) {
                LadderRung rung = List.of(LadderRung.BIGRAM, LadderRung.FOUR_HEADS).get(i);
                Ladder.Outcome core = Ladder.run(rung, TestTexts.VERSE, budget, Deadline.NONE);
                JsonNode got = rungs.get(i);
                assertEquals(rung.id(), got.get("id").asText());
                assertEquals(core.valLoss(), got.get("valLoss").asDouble(), 0, rung.id());
                assertEquals(core.trainLoss(), got.get("trainLoss").asDouble(), 0, rung.id());
                assertEquals(core.parameters(), got.get("parameters").asLong());
                assertEquals(rung.lectureValLoss(), got.get("lectureValLoss").asDouble());
                assertTrue(got.get("valLoss").asDouble() < uniform, rung.id() + " learned nothing: " + got);
                assertTrue(got.get("seconds").asDouble() > 0);
            }

            String tooShort = api.postText("/api/corpora?name=short.txt", "to be or not to be. ".repeat(20)
                    .getBytes(StandardCharsets.UTF_8)).get("id").asText();
            assertDetail(api, Map.of("corpusId", tooShort),
                    "corpusId: the ladder needs a text of at least 2,000 symbols (it holds out the last tenth), this one has 400.");
            assertDetail(api, Map.of("corpusId", corpus, "rungs", List.of("two-heads"), "steps", 0),
                    "rungs: unknown rung \"two-heads\": expected bigram, one-head, four-heads, mlp, residual or layernorm;"
                            + " steps: must be 1 to 2000, got 0.");
            assertDetail(api, Map.of("steps", 5), "corpusId: name the text to train on (an uploaded corpus).");
            assertDetail(api, Map.of("corpusId", corpus, "rungs", List.of()), "rungs: name at least one rung, or leave it out for all.");
            // every rung at the most steps: refused before it starts, saying how many steps fit
            Api.Reply tooMuch = api.postJson("/api/experiments/ladder", Map.of("corpusId", corpus, "steps", 2000));
            assertEquals(400, tooMuch.status(), tooMuch.text());
            assertTrue(tooMuch.get("detail").asText().matches("steps: 2000 steps of these 6 rungs cost about [\\d,]+ multiply-adds,"
                    + " over this server's limit of 10,000,000,000; ask for at most \\d+ steps, or fewer rungs at once\\."),
                    tooMuch.get("detail").asText());
            assertEquals(404, api.postJson("/api/experiments/ladder", Map.of("corpusId", "c_000000000000")).status());
            Api.Reply unknownField = api.postJson("/api/experiments/ladder", Map.of("corpusId", corpus, "stpes", 3));
            assertEquals(400, unknownField.status(), unknownField.text());
        });
    }

    private static void assertDetail(Api api, Map<String, ?> body, String detail) {
        Api.Reply r = api.postJson("/api/experiments/ladder", body);
        assertEquals(400, r.status(), r.text());
        assertEquals(detail, r.get("detail").asText());
    }
}
