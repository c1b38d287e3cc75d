package dev.rnnplayground.server.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rnnplayground.server.Api;
import dev.rnnplayground.server.RnnServer;
import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.Services;
import dev.rnnplayground.server.TestTexts;
import io.javalin.testtools.JavalinTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, finding 10: a job created while its corpus was deleted got 202 and the delete 204 (the
 * job then failed), and racing deletes each got 204. A corpus's lock now orders them.
 */
class CorpusRaceTest {

    @TempDir
    Path data;

    @Test
    void aJobAndADeleteOfItsCorpusNeverBothSucceed() {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            Api api = new Api(client);
            for (int round = 0; round < 8; round++) {
                String corpus = TestTexts.uploadVerse(api);
                CompletableFuture<Api.Reply> job = CompletableFuture.supplyAsync(() -> api.postJson("/api/jobs",
                        Map.of("corpusId", corpus, "hidden", 4, "seqLength", 8, "steps", 5)));
                CompletableFuture<Api.Reply> delete = CompletableFuture.supplyAsync(() -> api.delete("/api/corpora/" + corpus));
                int jobStatus = job.join().status();
                int deleteStatus = delete.join().status();
                assertFalse(jobStatus == 202 && deleteStatus == 204, "round " + round + ": job " + jobStatus
                        + " and delete " + deleteStatus + " both succeeded");
                if (jobStatus == 202) api.postJson("/api/jobs/" + job.join().get("id").asText() + "/cancel", Map.of());
            }
        });
    }

    @Test
    void ofRacingDeletesExactlyOneDeletes() {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            Api api = new Api(client);
            String corpus = TestTexts.uploadVerse(api);
            List<CompletableFuture<Integer>> deletes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                deletes.add(CompletableFuture.supplyAsync(() -> api.delete("/api/corpora/" + corpus).status()));
            }
            List<Integer> statuses = new ArrayList<>(deletes.stream().map(CompletableFuture::join).toList());
            Collections.sort(statuses);
            assertEquals(List.of(204, 404, 404, 404, 404, 404, 404, 404), statuses);
        });
    }
}
