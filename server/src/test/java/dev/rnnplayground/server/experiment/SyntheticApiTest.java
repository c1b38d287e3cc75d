package dev.rnnplayground.server.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The synthetic texts on the server: corpora made from a seed, and a model scored on its task. */
class SyntheticApiTest {

    @Test
    void makesCorporaFromASeedAndScoresModelsOnTheirTask(@TempDir Path data) throws Exception {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            Api api = new Api(client);
            Api.Reply made = api.postJson("/api/corpora/synthetic", Map.of("task", "recall", "size", 5, "examples", 300, "seed", 3));
            assertEquals(201, made.status(), made.text());
            assertEquals("recall gap 5, seed 3", made.get("name").asText());
            String expected = SyntheticTexts.recall(5, 300, 3).text();
            assertEquals(sha256(expected), made.get("sha256").asText(), "exactly core's text for that seed");
            Api.Reply again = api.postJson("/api/corpora/synthetic", Map.of("task", "recall", "size", 5, "examples", 300, "seed", 3));
            assertEquals(made.get("sha256").asText(), again.get("sha256").asText());
            assertNotEquals(made.get("sha256").asText(), api.postJson("/api/corpora/synthetic",
                    Map.of("task", "recall", "size", 5, "examples", 300, "seed", 4)).get("sha256").asText());
            Api.Reply reber = api.postJson("/api/corpora/synthetic", Map.of("task", "reber"));
            assertEquals(201, reber.status());
            assertEquals("reber, seed 1", reber.get("name").asText(), "no size in the name of a grammar that has none");

            // a model of the brackets text's symbols, scored by the endpoint and by core directly
            SyntheticTexts.Scored brackets = SyntheticTexts.brackets(3, 200, 9);
            CharRnn model = new CharRnn(CellType.LSTM, Vocab.of(brackets.text()), 6, 1).initialize(2);
            String id = api.post("/api/models?name=b", ModelFile.write(model, DType.F64), "application/octet-stream").get("id").asText();
            Api.Reply score = api.postJson("/api/models/" + id + "/score-task", Map.of("task", "brackets", "size", 3, "examples", 200, "seed", 9));
            assertEquals(200, score.status(), score.text());
            SyntheticTexts.Accuracy direct = SyntheticTexts.accuracy(brackets, SyntheticTexts.predictions(model, brackets));
            assertEquals(direct.overall(), score.get("accuracy").asDouble(), 1e-12);
            assertEquals(0.25, score.get("chance").asDouble());
            JsonNode byDepth = score.get("accuracyByGroup");
            assertEquals(direct.byGroup()[2], byDepth.get(2).asDouble(), 1e-12);
            assertEquals(direct.countByGroup()[3], score.get("countByGroup").get(3).asInt());

            Api.Reply wrongTask = api.postJson("/api/models/" + id + "/score-task", Map.of("task", "recall"));
            assertEquals(400, wrongTask.status());
            assertEquals("The model does not know every symbol of the recall text: score a model trained on that task.",
                    wrongTask.get("detail").asText());
            Api.Reply bad = api.postJson("/api/corpora/synthetic", Map.of("task", "copy", "examples", 0));
            assertEquals(400, bad.status());
            assertEquals("task: must be recall, brackets or reber, got \"copy\"; examples: must be 1 to 200000, got 0.",
                    bad.get("detail").asText());
            assertEquals(404, api.postJson("/api/models/m_000000000000/score-task", Map.of("task", "reber")).status());

            // both inside their documented ranges, together 200 MB: a 400 naming the corpus limit (it was a 413 for a tiny body)
            Api.Reply tooLong = api.postJson("/api/corpora/synthetic", Map.of("task", "recall", "size", 1000, "examples", 200_000));
            assertEquals(400, tooLong.status(), tooLong.text());
            String detail = tooLong.get("detail").asText();
            assertTrue(detail.startsWith("examples: 200,000 examples of this size make a text of about 19") // 1,005 bytes a line
                    && detail.contains("corpus limit of 20.0 MB; ask for at most about 20,"), detail);
        });
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
