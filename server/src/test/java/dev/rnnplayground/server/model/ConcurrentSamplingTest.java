package dev.rnnplayground.server.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.sample.SampleConfig;
import dev.rnnplayground.core.sample.Sampler;
import dev.rnnplayground.server.Api;
import dev.rnnplayground.server.Await;
import dev.rnnplayground.server.RnnServer;
import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.Services;
import dev.rnnplayground.server.TestTexts;
import io.javalin.testtools.JavalinTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many clients sample one model at once while a job trains: every answer is right and repeats per seed. */
class ConcurrentSamplingTest {

    @TempDir
    Path data;

    @Test
    void concurrentSamplesWhileTrainingAreDeterministicPerSeed() {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            Api api = new Api(client);
            CharRnn model = new CharRnn(CellType.LSTM, Vocab.of(TestTexts.VERSE), 32, 2).initialize(5);
            byte[] file = ModelFile.write(model, DType.F32);
            CharRnn stored = ModelFile.read(file);   // the server samples the F32 weights
            String modelId = api.post("/api/models?name=shared", file, "application/octet-stream").get("id").asText();

            String corpusId = TestTexts.uploadVerse(api);
            String jobId = api.postJson("/api/jobs", Map.of("corpusId", corpusId, "cell", "lstm", "hidden", 32,
                    "seqLength", 32, "steps", 100_000)).get("id").asText();
            Await.until(Duration.ofSeconds(30), () -> api.get("/api/jobs/" + jobId).get("status").asText(), "running"::equals);

            int threads = 8, requestsEach = 4;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<List<String>>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        List<String> texts = new ArrayList<>();
                        for (int i = 0; i < requestsEach; i++) {
                            long seed = (thread + i) % 4;
                            Api.Reply r = api.postJson("/api/models/" + modelId + "/sample",
                                    Map.of("prime", "And ", "length", 200, "temperature", 1.0, "seed", seed));
                            if (r.status() != 200) throw new AssertionError(r.text());
                            texts.add(seed + ":" + r.get("text").asText());
                        }
                        return texts;
                    }));
                }
                for (Future<List<String>> f : results) {
                    for (String answer : f.get()) {
                        long seed = Long.parseLong(answer.substring(0, answer.indexOf(':')));
                        String expected = Sampler.sample(stored, new SampleConfig("And ", 200, 1.0, 0, seed)).text();
                        assertEquals(expected, answer.substring(answer.indexOf(':') + 1), "seed " + seed);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals("running", api.get("/api/jobs/" + jobId).get("status").asText(), "training went on meanwhile");
            api.postJson("/api/jobs/" + jobId + "/cancel", Map.of());
            TestTexts.awaitFinished(api, jobId, 10_000);
        });
    }
}
