package dev.rnnplayground.server;

import static dev.rnnplayground.server.Api.problemDetail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.testtools.JavalinTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON is taken as written: no guessing what a client meant, and every refusal names its field. */
class StrictJsonTest {

    @TempDir
    Path data;

    @Test
    void jobSpecsAreNotCoerced() {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            Api api = new Api(client);
            String corpus = TestTexts.uploadVerse(api);
            String start = "{\"corpusId\":\"" + corpus + "\",";
            Map<String, String> refusedByField = new java.util.LinkedHashMap<>();
            refusedByField.put("\"hidden\":\"\"}", "hidden");
            refusedByField.put("\"hidden\":\"16\"}", "hidden");
            refusedByField.put("\"hidden\":\" 16\"}", "hidden");
            refusedByField.put("\"hidden\":\"１６\"}", "hidden");
            refusedByField.put("\"hidden\":16.5}", "hidden");
            refusedByField.put("\"hidden\":true}", "hidden");
            refusedByField.put("\"hidden\":16,\"hidden\":32}", "hidden");
            refusedByField.put("\"lr\":\"0.01\"}", "lr");
            refusedByField.put("\"cell\":5}", "cell");
            refusedByField.put("\"seed\":9223372036854775808}", "seed");
            refusedByField.put("\"hidden\":99999999999}", "hidden");
            refusedByField.put("\"hidden\":null}", "hidden");   // was taken as the default (issue 19, finding 8)
            refusedByField.put("\"cell\":null}", "cell");
            for (Map.Entry<String, String> c : refusedByField.entrySet()) {
                Api.Reply r = api.postJson("/api/jobs", start + c.getKey());
                problemDetail(r, 400);
                JsonNode errors = r.json().get("errors");
                assertTrue(errors != null && errors.has(c.getValue()), c.getKey() + " -> " + r.text());
            }
            assertTrue(api.postJson("/api/jobs", start + "\"hidden\":16,\"hidden\":32}").text().contains("given twice"));
            assertTrue(api.postJson("/api/jobs", start + "\"hidden\":null}").text().contains("hidden: expected a number, got null"));
            assertTrue(api.postJson("/api/jobs", start + "\"seed\":9223372036854775808}").text()
                    .contains("9223372036854775807"));
            assertEquals(0, api.get("/api/jobs").json().size(), "nothing was queued");

            Api.Reply ok = api.postJson("/api/jobs", start + "\"seed\":-9223372036854775808,\"steps\":1,\"hidden\":4}");
            assertEquals(202, ok.status(), ok.text());
            assertEquals(Long.MIN_VALUE, ok.get("spec").get("seed").asLong());
            TestTexts.awaitFinished(api, ok.get("id").asText(), 30_000);
        });
    }

    /** A charset Java does not know is the client's mistake: a 415 that names it, never a 500. */
    @Test
    void anUnknownCharsetIsRefusedWithASentence() {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            Api api = new Api(client);
            String corpus = TestTexts.uploadVerse(api);
            byte[] job = ("{\"corpusId\":\"" + corpus + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            for (String path : List.of("/api/jobs", "/api/corpora?name=x", "/api/corpora/synthetic")) {
                String type = path.startsWith("/api/corpora?") ? "text/plain; charset=bogus" : "application/json; charset=bogus";
                Api.Reply r = api.post(path, job, type);
                assertTrue(problemDetail(r, 415).contains("bogus"), path + " -> " + r.text());
            }
            assertEquals(0, api.get("/api/jobs").json().size(), "nothing was queued");
            assertEquals(202, api.post("/api/jobs", job, "application/json; charset=utf-8").status());
        });
    }

    /** A name cannot carry a line break into the log or the page: control characters and separators become spaces. */
    @Test
    void namesLoseControlCharactersAndLineSeparators() {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            Api api = new Api(client);
            String corpus = TestTexts.uploadVerse(api);
            String forged = "mine\\n10:00:00 ERROR forged\\u2028line\\u0085next\\r";
            Api.Reply r = api.postJson("/api/jobs", "{\"corpusId\":\"" + corpus + "\",\"steps\":1,\"hidden\":4,\"name\":\"" + forged + "\"}");
            assertEquals(202, r.status(), r.text());
            assertEquals("mine 10:00:00 ERROR forged line next", r.get("name").asText());
            assertEquals("mine 10:00:00 ERROR forged line next", r.get("spec").get("name").asText());
            Api.Reply upload = api.postText("/api/corpora?name=" + java.net.URLEncoder.encode("a\nb\u2029c.txt",
                    java.nio.charset.StandardCharsets.UTF_8), "some text to train on, long enough".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals("a b c.txt", upload.get("name").asText(), upload.text());
            TestTexts.awaitFinished(api, r.get("id").asText(), 30_000);
        });
    }

    @Test
    void modelRequestsAreNotCoercedEither() {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config)), (server, client) -> {
            Api api = new Api(client);
            String model = api.get("/api/models").json().get(0).get("id").asText();
            for (String body : new String[] {"{\"length\":\"20\"}", "{\"length\":\"\"}", "{\"temperature\":\"1\"}",
                    "{\"seed\":1,\"seed\":2}", "{\"prime\":7}"}) {
                Api.Reply r = api.postJson("/api/models/" + model + "/sample", body);
                problemDetail(r, 400);
                assertTrue(r.json().has("errors"), body + " -> " + r.text());
            }
            problemDetail(api.postJson("/api/models/" + model + "/predict", "{\"top\":\"3\"}"), 400);
        });
    }

    /** Issue 19, findings 7 and 8: every JSON route wants application/json, one value and nothing after it, in UTF-8. */
    @Test
    void everyJsonRouteWantsJsonAndOnlyJson() {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            Api api = new Api(client);
            String corpus = TestTexts.uploadVerse(api);
            String job = "{\"corpusId\":\"" + corpus + "\",\"steps\":5,\"hidden\":4,\"name\":\"";
            for (String body : new String[] {"{}xyz", "{}{}", "{} []"}) {
                problemDetail(api.post("/api/corpora/synthetic", body.getBytes(StandardCharsets.UTF_8), "application/json"), 400);
                problemDetail(api.post("/api/jobs", (job + "a\"}" + body.substring(2)).getBytes(StandardCharsets.UTF_8),
                        "application/json"), 400);
            }
            byte[] badUtf8 = (job + "a\u00ff\"}").getBytes(StandardCharsets.ISO_8859_1);
            String detail = problemDetail(api.post("/api/jobs", badUtf8, "application/json"), 400);
            assertTrue(detail.contains("UTF-8"), detail);
            byte[] model = dev.rnnplayground.core.io.ModelFile.write(new dev.rnnplayground.core.rnn.CharRnn(
                    dev.rnnplayground.core.model.CellType.RNN, dev.rnnplayground.core.model.Vocab.of("abc"), 2, 1).initialize(1),
                    dev.rnnplayground.core.io.DType.F32);
            String modelId = api.post("/api/models", model, "application/octet-stream").get("id").asText();
            for (String type : new String[] {"text/plain", "application/jsonx", "application/x-www-form-urlencoded"}) {
                byte[] body = "{\"task\":\"reber\",\"examples\":10}".getBytes(StandardCharsets.UTF_8);
                problemDetail(api.post("/api/corpora/synthetic", body, type), 415);
                problemDetail(api.post("/api/models/" + modelId + "/score-task", body, type), 415);
                problemDetail(api.post("/api/models/" + modelId + "/reach", "{}".getBytes(StandardCharsets.UTF_8), type), 415);
            }
            assertEquals(201, api.post("/api/corpora/synthetic", "{\"task\":\"reber\",\"examples\":10}"
                    .getBytes(StandardCharsets.UTF_8), "application/json").status());
        });
    }
}
