package dev.rnnplayground.server.access;

import static dev.rnnplayground.server.Api.problemDetail;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.rnnplayground.server.SseEvents;
import dev.rnnplayground.server.TestTexts;
import dev.rnnplayground.server.cli.Rnn;
import dev.rnnplayground.server.common.Jackson;
import io.javalin.Javalin;
import io.javalin.testtools.JavalinTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A class on one real server: the teacher's token (the one {@code rnn serve} prints), two
 * learners' tokens, and what each may see and change on every route that takes an id. Another
 * learner's id must answer exactly as an id never made; the teacher's things and the shipped model
 * are shared, readable by all and changeable by the teacher only.
 */
class ClassroomTest {

    private static final String TEACHER = "the-teachers-own-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Every route with an id in its path, with a body for the POSTs; RnnServer's routes are checked against it. */
    private record Route(String method, String path, String body) {
        String kind() {
            return path.split("/")[2];   // corpora, jobs or models
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static final List<Route> ID_ROUTES = List.of(
            new Route("GET", "/api/corpora/{id}", null),
            new Route("GET", "/api/jobs/{id}", null),
            new Route("GET", "/api/jobs/{id}/history", null),
            new Route("GET", "/api/jobs/{id}/events", null),
            new Route("GET", "/api/models/{id}", null),
            new Route("GET", "/api/models/{id}/weights", null),
            new Route("POST", "/api/models/{id}/sample", "{\"prime\":\"Sha\",\"length\":40,\"seed\":3}"),
            new Route("POST", "/api/models/{id}/predict", "{\"prime\":\"Sha\"}"),
            new Route("POST", "/api/models/{id}/inspect", "{\"text\":\"Shall I\"}"),
            new Route("POST", "/api/models/{id}/reach", "{\"text\":" + Jackson.toString(TestTexts.VERSE) + ",\"positions\":5,\"lags\":5}"),
            new Route("POST", "/api/models/{id}/score-task", "{\"task\":\"recall\",\"size\":3,\"examples\":5,\"seed\":1}"),
            // the changes last: each is tried by the other learner first, then done by the owner
            new Route("POST", "/api/jobs/{id}/cancel", "{}"),
            new Route("POST", "/api/jobs/{id}/resume", "{}"),
            new Route("DELETE", "/api/models/{id}", null),
            new Route("DELETE", "/api/corpora/{id}", null));

    private static final Map<String, String> NEVER_MADE = Map.of(
            "corpora", "c_000000000000", "jobs", "j_000000000000", "models", "m_000000000000");

    @TempDir
    Path data;

    private Javalin app() {
        ServerConfig config = ServerConfig.defaults(data).withToken(TEACHER);
        // a small shipped model, shared like the real default
        byte[] shipped = ModelFile.write(new CharRnn(CellType.RNN, Vocab.of(TestTexts.VERSE), 8, 1).initialize(5), DType.F32);
        return RnnServer.create(config, Services.open(config, () -> shipped));
    }

    @Test
    void eachLearnerSeesTheirOwnAndTheSharedAndAnotherLearnersIdsAnswerAsIfTheyWereNeverMade() {
        String aliceToken = new LearnerTokens(data).add("alice");
        JavalinTest.test(app(), (server, client) -> {
            String origin = client.getOrigin();
            Api teacher = new Api(client, TEACHER);
            Api alice = new Api(client, aliceToken);

            // bob's token is made while the server runs, by the command, which only writes the file
            Rnn.Run added = Rnn.run("token", "add", "bob", "--data", data.toString());
            assertEquals(0, added.exit(), added.err());
            String bobToken = added.out().strip();
            Api bob = new Api(client, bobToken);
            assertEquals(200, call(origin, new Route("GET", "/api/corpora", null), "", bobToken).status,
                    "a token added while the server runs works at once");

            String shared = teacher.postText("/api/corpora?name=shared.txt", TestTexts.VERSE.getBytes(StandardCharsets.UTF_8)).get("id").asText();
            String sharedModel = teacher.get("/api/models").json().get(0).get("id").asText();
            Owned a = train(alice, "alice.txt");
            Owned b = train(bob, "bob.txt");

            // lists: one's own and the shared; the teacher sees all, with the owner
            assertEquals(Set.of(a.corpus, shared), ids(alice.get("/api/corpora")));
            assertEquals(Set.of(b.corpus, shared), ids(bob.get("/api/corpora")));
            assertEquals(Set.of(a.job), ids(alice.get("/api/jobs")));
            assertEquals(Set.of(b.job), ids(bob.get("/api/jobs")));
            assertEquals(Set.of(a.model, sharedModel), ids(alice.get("/api/models")));
            assertEquals(Set.of(b.model, sharedModel), ids(bob.get("/api/models")));
            assertEquals(Map.of(a.corpus, "alice", b.corpus, "bob", shared, "-"), owners(teacher.get("/api/corpora")));
            assertEquals(Map.of(a.job, "alice", b.job, "bob"), owners(teacher.get("/api/jobs")));
            assertEquals(Map.of(a.model, "alice", b.model, "bob", sharedModel, "-"), owners(teacher.get("/api/models")));

            // every route with an id, tried by the other learner, the owner and the teacher
            assertEquals(routesOfTheServer(), ID_ROUTES.stream().map(Route::toString).collect(Collectors.toCollection(TreeSet::new)),
                    "a route with an id that this test does not try");
            for (Route route : ID_ROUTES) {
                String id = a.of(route.kind());
                Reply asBob = call(origin, route, id, bobToken);
                Reply neverMade = call(origin, route, NEVER_MADE.get(route.kind()), bobToken);
                assertEquals(404, asBob.status, route + " as another learner: " + asBob.body);
                assertEquals(neverMade.body.replace(NEVER_MADE.get(route.kind()), id), asBob.body,
                        route + ": another learner's id is answered as one never made");
                if (route.method.equals("DELETE") || route.path.endsWith("/cancel")) continue;
                Reply asAlice = call(origin, route, id, aliceToken);
                Reply asTeacher = call(origin, route, id, TEACHER);
                assertNotEquals(404, asAlice.status, route + " as its owner: " + asAlice.body);
                assertEquals(asTeacher.status, asAlice.status, route + " as the teacher: " + asTeacher.body);
            }

            // what the owner gets is the model itself: core, on the downloaded weights, writes the same text
            byte[] weights = bytes(origin, "/api/models/" + a.model + "/weights", aliceToken);
            String served = alice.postJson("/api/models/" + a.model + "/sample", Map.of("prime", "Sha", "length", 40, "seed", 3))
                    .get("text").asText();
            assertEquals(Sampler.sample(ModelFile.readModel(weights), new SampleConfig("Sha", 40, 1.0, 0, 3)).text(), served);
            // the cookie the page's address sets identifies as the header does: downloads and EventSource use it
            assertArrayEquals(weights, bytesWithCookie(origin, server.port(), "/api/models/" + a.model + "/weights", aliceToken));
            assertEquals(404, statusWithCookie(origin, server.port(), "/api/models/" + a.model + "/weights", bobToken));
            List<SseEvents.Event> events = SseEvents.parse(new String(bytesWithCookie(origin, server.port(),
                    "/api/jobs/" + a.job + "/events", aliceToken), StandardCharsets.UTF_8));
            assertEquals(alice.get("/api/jobs/" + a.job + "/history").json().size(), events.size());
            assertEquals("done", events.get(events.size() - 1).type());
            // the header is what a request says itself: it comes before the cookie the browser keeps
            assertEquals(Set.of(a.corpus, shared), ids(listWith(origin, server.port(), aliceToken, bobToken)));

            // ids inside a body: training on, or running the ladder on, another learner's corpus
            Map<String, Object> onAlices = new LinkedHashMap<>(tinyJob(a.corpus, 1));
            Api.Reply job = bob.postJson("/api/jobs", onAlices);
            onAlices.put("corpusId", NEVER_MADE.get("corpora"));
            assertEquals(problemDetail(bob.postJson("/api/jobs", onAlices), 404).replace(NEVER_MADE.get("corpora"), a.corpus),
                    problemDetail(job, 404));
            problemDetail(bob.postJson("/api/experiments/ladder", Map.of("corpusId", a.corpus, "steps", 1)), 404);
            // a synthetic corpus is its maker's like an upload
            String recall = alice.postJson("/api/corpora/synthetic", Map.of("task", "recall", "size", 3, "examples", 50)).get("id").asText();
            assertEquals("alice", teacher.get("/api/corpora/" + recall).get("owner").asText());
            problemDetail(bob.get("/api/corpora/" + recall), 404);

            // shared things: every learner reads them, only the teacher changes them
            assertTrue(problemDetail(alice.delete("/api/models/" + sharedModel), 403).contains("only the teacher"));
            problemDetail(bob.delete("/api/corpora/" + shared), 403);
            assertEquals(200, bob.get("/api/models/" + sharedModel).status());
            assertFalse(teacher.get("/api/corpora/" + shared).json().has("owner"), "the teacher's own is stored as before: no owner");
            problemDetail(alice.get("/api/quarantine"), 403);
            assertEquals(200, teacher.get("/api/quarantine").status());

            // the owner changes their own; the teacher may change anyone's
            problemDetail(alice.postJson("/api/jobs/" + a.job + "/cancel", Map.of()), 409);
            assertEquals(204, alice.delete("/api/models/" + a.model).status());
            assertEquals(204, alice.delete("/api/corpora/" + a.corpus).status());
            assertEquals(204, teacher.delete("/api/models/" + b.model).status());

            // a removed token stops at the next request; what bob made stays for the teacher
            assertEquals(0, Rnn.run("token", "remove", "bob", "--data", data.toString()).exit());
            // (asked without cookies: the test client keeps the cookie the teacher's and alice's requests set)
            assertEquals(401, call(origin, new Route("GET", "/api/corpora", null), "", bobToken).status);
            assertEquals("bob", teacher.get("/api/corpora/" + b.corpus).get("owner").asText());
            assertEquals(200, alice.get("/api/corpora").status());
        });
    }

    @Test
    void aLearnerHasAtMostTwoJobsQueuedOrRunningAndTheTeacherNone() {
        LearnerTokens tokens = new LearnerTokens(data);
        String aliceToken = tokens.add("alice");
        String bobToken = tokens.add("bob");
        JavalinTest.test(app(), (server, client) -> {
            Api teacher = new Api(client, TEACHER);
            Api alice = new Api(client, aliceToken);
            Api bob = new Api(client, bobToken);
            String corpus = TestTexts.uploadVerse(teacher);
            // the one worker trains the teacher's long job, so every other job waits in the queue
            String teachers = teacher.postJson("/api/jobs", tinyJob(corpus, 1_000_000)).get("id").asText();
            Await.until(Duration.ofSeconds(30), () -> teacher.get("/api/jobs/" + teachers).get("status").asText(), "running"::equals);

            String first = alice.postJson("/api/jobs", tinyJob(corpus, 100)).get("id").asText();
            assertEquals(202, alice.postJson("/api/jobs", tinyJob(corpus, 100)).status());
            String refusal = problemDetail(alice.postJson("/api/jobs", tinyJob(corpus, 100)), 429);
            assertEquals("You have 2 jobs queued or running, the most one learner may have; wait for one to finish or cancel one.", refusal);
            assertEquals(202, bob.postJson("/api/jobs", tinyJob(corpus, 100)).status(), "each learner has their own cap");
            for (int i = 0; i < 3; i++) assertEquals(202, teacher.postJson("/api/jobs", tinyJob(corpus, 100)).status(), "the teacher has none");

            problemDetail(alice.postJson("/api/jobs/" + teachers + "/cancel", Map.of()), 403);
            problemDetail(bob.postJson("/api/jobs/" + first + "/cancel", Map.of()), 404);
            assertEquals("cancelled", alice.postJson("/api/jobs/" + first + "/cancel", Map.of()).get("status").asText());
            assertEquals(202, alice.postJson("/api/jobs", tinyJob(corpus, 100)).status(), "a cancelled job frees its place");

            for (JsonNode j : teacher.get("/api/jobs").json()) {
                if (Set.of("queued", "running").contains(j.get("status").asText())) {
                    assertEquals(200, teacher.postJson("/api/jobs/" + j.get("id").asText() + "/cancel", Map.of()).status());
                }
            }
            TestTexts.awaitFinished(teacher, teachers, 10_000);
        });
    }

    /** What one learner made: a corpus, a finished job on it and the model it trained. */
    private record Owned(String corpus, String job, String model) {
        String of(String kind) {
            return switch (kind) {
                case "corpora" -> corpus;
                case "jobs" -> job;
                default -> model;
            };
        }
    }

    private static Owned train(Api learner, String name) {
        String corpus = learner.postText("/api/corpora?name=" + name, TestTexts.VERSE.getBytes(StandardCharsets.UTF_8)).get("id").asText();
        Api.Reply created = learner.postJson("/api/jobs", tinyJob(corpus, 20));
        assertEquals(202, created.status(), created.text());
        JsonNode job = TestTexts.awaitFinished(learner, created.get("id").asText(), 30_000);
        assertEquals("done", job.get("status").asText(), job.toString());
        return new Owned(corpus, job.get("id").asText(), job.get("modelId").asText());
    }

    private static Map<String, Object> tinyJob(String corpusId, long steps) {
        return Map.of("corpusId", corpusId, "cell", "rnn", "hidden", 8, "seqLength", 16, "batchSize", 2, "steps", steps,
                "seed", 7, "evalEvery", 10, "sampleEvery", 0, "checkpointEvery", 0);
    }

    private static Set<String> ids(Api.Reply list) {
        assertEquals(200, list.status(), list.text());
        return StreamSupport.stream(list.json().spliterator(), false).map(n -> n.get("id").asText()).collect(Collectors.toSet());
    }

    /** id -> owner, "-" for none. */
    private static Map<String, String> owners(Api.Reply list) {
        return StreamSupport.stream(list.json().spliterator(), false)
                .collect(Collectors.toMap(n -> n.get("id").asText(), n -> n.has("owner") ? n.get("owner").asText() : "-"));
    }

    /** The routes RnnServer declares with an id in the path, as "METHOD /path". */
    private static Set<String> routesOfTheServer() throws IOException {
        String source = Files.readString(Path.of("src/main/java/dev/rnnplayground/server/RnnServer.java"));
        Matcher m = Pattern.compile("c\\.routes\\.(get|post|delete)\\(\"(/api/[^\"]*\\{id}[^\"]*)\"").matcher(source);
        Set<String> routes = new TreeSet<>();
        while (m.find()) routes.add(m.group(1).toUpperCase() + " " + m.group(2));
        assertTrue(routes.size() > 10, "read the routes: " + routes);
        return routes;
    }

    private record Reply(int status, String body) {
    }

    private static Reply call(String origin, Route route, String id, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + route.path.replace("{id}", id)))
                .header("Authorization", "Bearer " + token)
                .method(route.method, route.body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(route.body));
        if (route.body != null) b.header("Content-Type", "application/json");
        if (route.path.endsWith("/events")) b.header("Accept", "text/event-stream");
        HttpResponse<String> r = send(b, HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    private static byte[] bytes(String origin, String path, String token) {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(URI.create(origin + path)).header("Authorization", "Bearer " + token),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    private static HttpRequest.Builder withCookie(String origin, int port, String path, String token) {
        String hex = HexFormat.of().formatHex(token.getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + path)).header("Cookie", "rnn-token-" + port + "=" + hex);
        return path.endsWith("/events") ? b.header("Accept", "text/event-stream") : b;
    }

    private static byte[] bytesWithCookie(String origin, int port, String path, String token) {
        HttpResponse<byte[]> r = send(withCookie(origin, port, path, token), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        return r.body();
    }

    private static int statusWithCookie(String origin, int port, String path, String token) {
        return send(withCookie(origin, port, path, token), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** GET /api/corpora with a learner's token in the header and another's in the cookie. */
    private static Api.Reply listWith(String origin, int port, String headerToken, String cookieToken) {
        HttpResponse<String> r = send(withCookie(origin, port, "/api/corpora", cookieToken)
                .header("Authorization", "Bearer " + headerToken), HttpResponse.BodyHandlers.ofString());
        try {
            return new Api.Reply(r.statusCode(), Jackson.MAPPER.readTree(r.body()), r.body(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> HttpResponse<T> send(HttpRequest.Builder b, HttpResponse.BodyHandler<T> handler) {
        try {
            return HTTP.send(b.build(), handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
