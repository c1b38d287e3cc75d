package dev.rnnplayground.server;

import static dev.rnnplayground.server.Api.problemDetail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.testtools.JavalinTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityTest {

    @TempDir
    Path data;

    @Test
    void mutatingRequestsNeedTheTokenWhenOneIsSet() {
        ServerConfig config = ServerConfig.defaults(data).withToken("s3cret");
        JavalinTest.test(RnnServer.create(config, Services.open(config)), (server, client) -> {
            byte[] text = "abc".getBytes(StandardCharsets.UTF_8);
            String detail = problemDetail(new Api(client).postText("/api/corpora?name=a", text), 401);
            assertTrue(detail.contains("Authorization: Bearer"), detail);
            problemDetail(new Api(client, "wrong").postText("/api/corpora?name=a", text), 401);
            Api.Reply ok = new Api(client, "s3cret").postText("/api/corpora?name=a", text);
            assertEquals(201, ok.status());
            String id = ok.get("id").asText();
            // reads stay open
            assertEquals(200, new Api(client).get("/api/corpora/" + id).status());
            problemDetail(new Api(client).delete("/api/corpora/" + id), 401);
            assertEquals(204, new Api(client, "s3cret").delete("/api/corpora/" + id).status());
        });
    }

    @Test
    void nonLoopbackAddressRequiresAToken() {
        ServerConfig open = ServerConfig.defaults(data).withHost("0.0.0.0");
        assertEquals(1, open.problems().size());
        assertTrue(open.problems().get(0).contains("--token"));
        assertEquals(List.of(), open.withToken("t").problems());
        assertEquals(List.of(), ServerConfig.defaults(data).problems());
        assertEquals("127.0.0.1", ServerConfig.defaults(data).host());
    }

    @Test
    void noCorsHeadersUnlessConfigured() throws Exception {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config)), (server, client) -> {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(client.getOrigin() + "/api/health")).header("Origin", "https://evil.example").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertNull(r.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        });
        ServerConfig cors = ServerConfig.defaults(data).withCorsOrigins(List.of("https://friend.example"));
        JavalinTest.test(RnnServer.create(cors, Services.open(cors)), (server, client) -> {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(client.getOrigin() + "/api/health")).header("Origin", "https://friend.example").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("https://friend.example", r.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        });
    }

    @Test
    void oversizedJsonBodyIsRefused() {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config)), (server, client) -> {
            String big = "{\"prime\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}";
            Api.Reply r = new Api(client).postJson("/api/jobs", big);
            assertTrue(r.status() == 413, r.status() + " " + r.text());
        });
    }
}
