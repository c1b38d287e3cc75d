package dev.rnnplayground.server.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.server.Api;
import dev.rnnplayground.server.RnnServer;
import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.Services;
import dev.rnnplayground.server.TestTexts;
import dev.rnnplayground.server.cli.Rnn;
import io.javalin.testtools.JavalinTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gpt through the server: a tiny job with nanoGPT's recipe trains end to end, its model is listed
 * with its shape, writes the same text as {@code rnn sample} for the same seed, imports back, and
 * the requests that look inside a recurrent network refuse it with one sentence.
 */
class GptJobTest {

    @TempDir
    Path data;

    @Test
    void aGptJobBecomesAModelThatWritesAsTheCommandLineDoes() throws Exception {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            Api api = new Api(client);
            String corpusId = TestTexts.uploadVerse(api);
            Map<String, Object> job = new LinkedHashMap<>(Map.of("corpusId", corpusId, "cell", "gpt", "hidden", 16,
                    "layers", 2, "heads", 2, "seqLength", 16, "batchSize", 2, "steps", 20, "seed", 7, "evalEvery", 10));
            job.putAll(Map.of("optimizer", "adamw", "lr", 0.001, "weightDecay", 0.1, "beta2", 0.99, "warmup", 5,
                    "lrSchedule", "cosine", "sampleEvery", 10));
            Api.Reply created = api.postJson("/api/jobs", job);
            assertEquals(202, created.status(), created.text());
            assertEquals("gpt-16x2 on sonnet.txt", created.get("name").asText());
            JsonNode finished = TestTexts.awaitFinished(api, created.get("id").asText(), 60_000);
            assertEquals("done", finished.get("status").asText(), finished.toString());
            String modelId = finished.get("modelId").asText();

            JsonNode listed = null;
            for (JsonNode m : api.get("/api/models").json()) if (m.get("id").asText().equals(modelId)) listed = m;
            assertTrue(listed != null, "the trained gpt is listed");
            assertEquals("gpt", listed.get("cell").asText());
            assertEquals("2-layer gpt with 2 heads of 16 channels and a block of 16", listed.get("architecture").asText());
            assertEquals("16", listed.get("shape").get("block_size").asText());
            assertTrue(listed.get("description").asText().startsWith("2-layer gpt with 2 heads"), listed.toString());

            // the server's sample is the command line's, seed for seed (a prime longer than the block refills the cache)
            Path file = data.resolve("gpt.safetensors");
            Files.write(file, api.getBytes("/api/models/" + modelId + "/weights"));
            String prime = "So long as men ";
            Api.Reply sample = api.postJson("/api/models/" + modelId + "/sample",
                    Map.of("prime", prime, "length", 60, "temperature", 0.9, "seed", 3));
            assertEquals(200, sample.status(), sample.text());
            Rnn.Run cli = Rnn.run("sample", "--model", file.toString(), "--prime", prime, "--length", "60",
                    "--temperature", "0.9", "--seed", "3");
            assertEquals(0, cli.exit(), cli.err());
            assertEquals(prime + sample.get("text").asText(), cli.out().stripTrailing());
            assertEquals(200, api.postJson("/api/models/" + modelId + "/predict", Map.of("prime", prime, "top", 3)).status());

            // the downloaded file imports back as a gpt
            Api.Reply imported = api.post("/api/models?name=again", Files.readAllBytes(file), "application/octet-stream");
            assertEquals(201, imported.status(), imported.text());
            assertEquals("gpt", imported.get("cell").asText());
            assertEquals(listed.get("architecture"), imported.get("architecture"));

            String inspect = Api.problemDetail(api.postJson("/api/models/" + modelId + "/inspect", Map.of("text", "So")), 400);
            assertEquals("Inspect looks inside a recurrent network; this is a gpt.", inspect);
            // the gradient reach follows a gpt's gradient as far back as its block of 16
            String reach = Api.problemDetail(api.postJson("/api/models/" + modelId + "/reach", Map.of("text", "So long")), 400);
            assertEquals("The text needs at least 17 symbols the model knows to look 15 steps back, found 7.", reach);
        });
    }
}
