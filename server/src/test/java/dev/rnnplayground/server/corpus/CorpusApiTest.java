package dev.rnnplayground.server.corpus;

import static dev.rnnplayground.server.Api.problemDetail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.server.Api;
import dev.rnnplayground.server.RnnServer;
import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.Services;
import io.javalin.Javalin;
import io.javalin.testtools.JavalinTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusApiTest {

    @TempDir
    Path data;

    private Javalin app(ServerConfig config) {
        return RnnServer.create(config, Services.open(config));
    }

    private Javalin app() {
        return app(ServerConfig.defaults(data));
    }

    @Test
    void uploadsPlainTextAndDescribesIt() {
        JavalinTest.test(app(), (server, client) -> {
            Api api = new Api(client);
            byte[] text = "hello wörld 😀\nhello".getBytes(StandardCharsets.UTF_8);
            Api.Reply created = api.postText("/api/corpora?name=greeting.txt", text);
            assertEquals(201, created.status(), created.text());
            JsonNode c = created.json();
            assertTrue(c.get("id").asText().matches("c_[0-9a-f]{12}"), c.toString());
            assertEquals("greeting.txt", c.get("name").asText());
            assertEquals(text.length, c.get("sizeBytes").asLong());
            assertEquals(19, c.get("symbolCount").asLong(), "the emoji is one symbol");
            assertEquals(11, c.get("distinctSymbols").asInt());
            assertEquals("\n", c.get("vocabulary").get(0).asText());
            assertEquals("😀", c.get("vocabulary").get(10).asText());
            assertEquals("hello wörld 😀\nhello", c.get("preview").asText());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text)),
                    c.get("sha256").asText());

            String id = c.get("id").asText();
            assertEquals(c, api.get("/api/corpora/" + id).json());
            assertEquals(1, api.get("/api/corpora").json().size());
        });
    }

    @Test
    void uploadsMultipartFileAndListsNewestFirst() {
        JavalinTest.test(app(), (server, client) -> {
            Api api = new Api(client);
            Api.Reply first = api.postMultipart("/api/corpora", "file", "tiny-shakespeare.txt",
                    "First Citizen:\nBefore we proceed".getBytes(StandardCharsets.UTF_8));
            assertEquals(201, first.status(), first.text());
            assertEquals("tiny-shakespeare.txt", first.get("name").asText());
            Api.Reply second = api.postMultipart("/api/corpora", "file", "b.txt", "abc".getBytes(StandardCharsets.UTF_8));
            JsonNode list = api.get("/api/corpora").json();
            assertEquals(2, list.size());
            assertEquals(second.get("id"), list.get(0).get("id"));
        });
    }

    @Test
    void deletesCorpus() {
        JavalinTest.test(app(), (server, client) -> {
            Api api = new Api(client);
            String id = api.postText("/api/corpora?name=x", "abc".getBytes(StandardCharsets.UTF_8)).get("id").asText();
            assertEquals(204, api.delete("/api/corpora/" + id).status());
            problemDetail(api.get("/api/corpora/" + id), 404);
            problemDetail(api.delete("/api/corpora/" + id), 404);
            assertEquals(0, entries(data.resolve("corpora")));
        });
    }

    @Test
    void survivesRestart() {
        String[] id = new String[1];
        JavalinTest.test(app(), (server, client) ->
                id[0] = new Api(client).postText("/api/corpora?name=x", "abc".getBytes(StandardCharsets.UTF_8)).get("id").asText());
        JavalinTest.test(app(), (server, client) -> {
            Api.Reply r = new Api(client).get("/api/corpora/" + id[0]);
            assertEquals(200, r.status());
            assertEquals("x", r.get("name").asText());
        });
    }

    @Test
    void refusesEmptyUpload() {
        JavalinTest.test(app(), (server, client) -> {
            Api api = new Api(client);
            String detail = problemDetail(api.postText("/api/corpora?name=e", new byte[0]), 422);
            assertTrue(detail.contains("empty"), detail);
            problemDetail(api.postMultipart("/api/corpora", "file", "e.txt", new byte[0]), 422);
            // a byte-order mark alone is empty too
            problemDetail(api.postText("/api/corpora", new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}), 422);
            assertEquals(0, entries(data.resolve("corpora")));
        });
    }

    @Test
    void refusesNonUtf8NamingTheByteOffset() {
        JavalinTest.test(app(), (server, client) -> {
            Api api = new Api(client);
            byte[] latin1 = "caf\u00e9 au lait".getBytes(StandardCharsets.ISO_8859_1);
            String detail = problemDetail(api.postText("/api/corpora?name=l", latin1), 422);
            assertTrue(detail.contains("byte 3"), detail);
            assertTrue(detail.contains("UTF-8"), detail);
            detail = problemDetail(api.postMultipart("/api/corpora", "file", "l.txt", latin1), 422);
            assertTrue(detail.contains("byte 3"), detail);
            assertEquals(0, entries(data.resolve("corpora")));
        });
    }

    @Test
    void refusesOversizedUpload() {
        ServerConfig small = ServerConfig.defaults(data).withCorpusLimits(1000, 2000);
        JavalinTest.test(app(small), (server, client) -> {
            Api api = new Api(client);
            byte[] big = "a".repeat(1001).getBytes(StandardCharsets.UTF_8);
            String detail = problemDetail(api.postText("/api/corpora?name=big", big), 413);
            assertTrue(detail.contains("1000 bytes"), detail);
            problemDetail(api.postMultipart("/api/corpora", "file", "big.txt", big), 413);
            // far beyond the limit, so that Jetty's multipart parser gives up first
            byte[] huge = "a".repeat(300_000).getBytes(StandardCharsets.UTF_8);
            problemDetail(api.postMultipart("/api/corpora", "file", "huge.txt", huge), 413);
            problemDetail(api.postText("/api/corpora?name=huge", huge), 413);
            assertEquals(201, api.postText("/api/corpora?name=ok", "a".repeat(1000).getBytes(StandardCharsets.UTF_8)).status());
            assertEquals(1, entries(data.resolve("corpora")));
        });
    }

    @Test
    void refusesTooManyDistinctSymbols() {
        ServerConfig small = ServerConfig.defaults(data).withCorpusLimits(1_000_000, 10);
        JavalinTest.test(app(small), (server, client) -> {
            Api api = new Api(client);
            String detail = problemDetail(api.postText("/api/corpora?name=s", "abcdefghijk".getBytes(StandardCharsets.UTF_8)), 422);
            assertTrue(detail.contains("11 distinct symbols") && detail.contains("10"), detail);
            assertEquals(201, api.postText("/api/corpora?name=s", "abcdefghij".getBytes(StandardCharsets.UTF_8)).status());
        });
    }

    @Test
    void refusesMalformedUploadRequests() {
        JavalinTest.test(app(), (server, client) -> {
            Api api = new Api(client);
            problemDetail(api.post("/api/corpora", "{}".getBytes(StandardCharsets.UTF_8), "application/json"), 415);
            String detail = problemDetail(api.postMultipart("/api/corpora", "text", "a.txt", "abc".getBytes(StandardCharsets.UTF_8)), 400);
            assertTrue(detail.contains("'file'"), detail);
            assertEquals(0, entries(data.resolve("corpora")));
        });
    }

    @Test
    void idsThatAreNotServerMadeAreNotFound() {
        JavalinTest.test(app(), (server, client) -> {
            Api api = new Api(client);
            for (String id : new String[] {"..", "c_123", "c_0123456789AB", "c_0123456789ab0", "%2e%2e%2fetc", "x_0123456789ab"}) {
                problemDetail(api.get("/api/corpora/" + id), 404);
                problemDetail(api.delete("/api/corpora/" + id), 404);
            }
            problemDetail(api.get("/api/corpora/c_0123456789ab"), 404);
        });
    }

    @Test
    void unknownRoutesAnswerWithProblemJson() {
        JavalinTest.test(app(), (server, client) -> {
            Api.Reply r = new Api(client).get("/api/nothing-here");
            problemDetail(r, 404);
            assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        });
    }

    static long entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
