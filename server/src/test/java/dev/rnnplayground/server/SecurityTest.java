package dev.rnnplayground.server;

import static dev.rnnplayground.server.Api.problemDetail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.server.common.Jackson;
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

/**
 * The attacks of a web page the user happens to visit (cross-site request forgery, DNS rebinding)
 * and of someone without the token, each refused; and what the server's own page does, allowed.
 */
class SecurityTest {

    private static final byte[] TEXT = "to be or not to be, that is the question".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path data;

    @Test
    void aForeignPageCannotChangeAnything() {
        ServerConfig config = ServerConfig.defaults(data);   // no token: the most exposed mode
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            String origin = client.getOrigin();
            // a form post or a text/plain fetch from another site needs no preflight: Origin gives it away
            HttpResponse<String> forged = send(HttpRequest.newBuilder(URI.create(origin + "/api/corpora?name=x"))
                    .header("Content-Type", "text/plain").header("Origin", "https://evil.example")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(TEXT)));
            assertProblem(forged, 403, "https://evil.example");
            // a browser that sends Sec-Fetch-Site but (say, for a navigation) no Origin
            HttpResponse<String> crossSite = send(HttpRequest.newBuilder(URI.create(origin + "/api/corpora?name=x"))
                    .header("Content-Type", "text/plain").header("Sec-Fetch-Site", "cross-site")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(TEXT)));
            assertProblem(crossSite, 403, "another site");
            HttpResponse<String> nullOrigin = send(HttpRequest.newBuilder(URI.create(origin + "/api/jobs"))
                    .header("Content-Type", "application/json").header("Origin", "null")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"corpusId\":\"c_000000000000\"}")));
            assertProblem(nullOrigin, 403, "null");
            assertEquals(0, new Api(client).get("/api/corpora").json().size(), "nothing was created");

            // the page's own requests: same origin, same site
            HttpResponse<String> own = send(HttpRequest.newBuilder(URI.create(origin + "/api/corpora?name=x"))
                    .header("Content-Type", "text/plain").header("Origin", origin).header("Sec-Fetch-Site", "same-origin")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(TEXT)));
            assertEquals(201, own.statusCode(), own.body());
        });
    }

    @Test
    void jsonEndpointsTakeOnlyJsonAndImportsOnlyOctetStreams() {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config)), (server, client) -> {
            Api api = new Api(client);
            String corpusId = api.postText("/api/corpora?name=x", TEXT).get("id").asText();
            String modelId = api.get("/api/models").json().get(0).get("id").asText();
            byte[] spec = ("{\"corpusId\":\"" + corpusId + "\",\"steps\":1,\"seqLength\":4,\"valFraction\":0}").getBytes(StandardCharsets.UTF_8);
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=B")) {
                assertTrue(problemDetail(api.post("/api/jobs", spec, type), 415).contains("application/json"));
                problemDetail(api.post("/api/models/" + modelId + "/sample", "{}".getBytes(StandardCharsets.UTF_8), type), 415);
            }
            // the type is refused before a byte of the body is read, so 64 KB of the file is enough: with
            // all 7.6 MB the client was still writing when the server answered and closed (a broken
            // pipe instead of the 415, once in three full runs; known-limits.md)
            byte[] weights = java.util.Arrays.copyOf(api.getBytes("/api/models/" + modelId + "/weights"), 64 * 1024);
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=B")) {
                problemDetail(api.post("/api/models?name=x", weights, type), 415);
            }
            assertEquals(0, api.get("/api/jobs").json().size());
            assertEquals(5, api.get("/api/models").json().size(), "the five shipped models, nothing imported");
            assertEquals(202, api.post("/api/jobs", spec, "application/json; charset=utf-8").status());
        });
    }

    @Test
    void aRebindingPageIsRefusedByItsHostName() {
        ServerConfig config = ServerConfig.defaults(data).withAllowedHosts(List.of("my-laptop.local"));
        JavalinTest.test(RnnServer.create(config, Services.open(config)), (server, client) -> {
            String origin = client.getOrigin();
            int port = URI.create(origin).getPort();
            String modelId = new Api(client).get("/api/models").json().get(0).get("id").asText();

            RawHttp.Reply list = RawHttp.send(origin, "GET /api/models HTTP/1.1\r\nHost: evil.example:" + port);
            assertEquals(403, list.status(), list.body());
            assertTrue(list.header("Content-Type").startsWith("application/problem+json"));
            assertTrue(list.body().contains("--allow-host evil.example"), list.body());
            assertEquals(403, RawHttp.send(origin, "GET /api/models/" + modelId + "/weights HTTP/1.1\r\nHost: evil.example").status());
            assertEquals(403, RawHttp.send(origin, "DELETE /api/models/" + modelId + " HTTP/1.1\r\nHost: evil.example").status());
            assertEquals(403, RawHttp.send(origin, "GET / HTTP/1.1\r\nHost: evil.example:" + port).status());
            assertEquals(200, new Api(client).get("/api/models/" + modelId).status(), "still there");

            for (String host : List.of("127.0.0.1", "localhost", "LocalHost.", "app.localhost", "[::1]", "192.168.1.20",
                    "my-laptop.local")) {
                RawHttp.Reply ok = RawHttp.send(origin, "GET /api/health HTTP/1.1\r\nHost: " + host + ":" + port);
                assertEquals(200, ok.status(), host + ": " + ok.body());
            }
        });
    }

    @Test
    void withATokenReadsNeedItToo() throws Exception {
        ServerConfig config = ServerConfig.defaults(data).withToken("s3cret");
        JavalinTest.test(RnnServer.create(config, Services.open(config)), (server, client) -> {
            String detail = problemDetail(new Api(client).postText("/api/corpora?name=a", TEXT), 401);
            assertTrue(detail.contains("?token="), detail);
            problemDetail(new Api(client, "wrong").postText("/api/corpora?name=a", TEXT), 401);
            Api.Reply ok = new Api(client, "s3cret").postText("/api/corpora?name=a", TEXT);
            assertEquals(201, ok.status());
            String id = ok.get("id").asText();
            // (JavalinTest's client keeps cookies; a fresh client here has none)
            for (String path : List.of("/api/corpora", "/api/corpora/" + id, "/api/models", "/api/jobs")) {
                assertEquals(401, send(HttpRequest.newBuilder(URI.create(client.getOrigin() + path))).statusCode(), path);
                assertEquals(200, new Api(client, "s3cret").get(path).status(), path);
            }
            assertEquals(200, send(HttpRequest.newBuilder(URI.create(client.getOrigin() + "/api/health"))).statusCode(),
                    "health stays open for monitors");
            assertEquals(401, send(HttpRequest.newBuilder(URI.create(client.getOrigin() + "/api/corpora/" + id))
                    .DELETE()).statusCode());

            // the address rnn serve prints sets a cookie that lets an EventSource or a download link in
            HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(client.getOrigin() + "/?token=s3cret")));
            String cookie = page.headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
            String pair = cookie.substring(0, cookie.indexOf(';'));
            assertEquals(200, send(HttpRequest.newBuilder(URI.create(client.getOrigin() + "/api/corpora/" + id))
                    .header("Cookie", pair)).statusCode());
            assertEquals(401, send(HttpRequest.newBuilder(URI.create(client.getOrigin() + "/api/corpora/" + id))
                    .header("Cookie", pair.substring(0, pair.indexOf('=') + 1) + "guess")).statusCode());
            assertEquals(200, send(HttpRequest.newBuilder(URI.create(client.getOrigin() + "/api/corpora?token=s3cret")))
                    .statusCode());
            assertNull(send(HttpRequest.newBuilder(URI.create(client.getOrigin() + "/?token=wrong")))
                    .headers().firstValue("Set-Cookie").orElse(null));
            assertEquals(204, new Api(client, "s3cret").delete("/api/corpora/" + id).status());
        });
    }

    /** A passphrase, or a token with the characters a cookie may not hold, works like any other. */
    @Test
    void aTokenWithSpacesAndQuotesWorksInTheHeaderTheAddressAndTheCookie() throws Exception {
        for (String token : List.of("correct horse battery staple", "a;b,c\"d")) {
            ServerConfig config = ServerConfig.defaults(data).withToken(token);
            JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
                assertEquals(200, new Api(client, token).get("/api/corpora").status(), token);
                String address = client.getOrigin() + "/?token=" + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8);
                HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(address)));
                assertEquals(200, page.statusCode(), token);
                String cookie = page.headers().firstValue("Set-Cookie").orElseThrow();
                String pair = cookie.substring(0, cookie.indexOf(';'));
                assertEquals(200, send(HttpRequest.newBuilder(URI.create(client.getOrigin() + "/api/corpora"))
                        .header("Cookie", pair)).statusCode(), token);
                assertEquals(401, send(HttpRequest.newBuilder(URI.create(client.getOrigin() + "/api/corpora"))
                        .header("Cookie", pair.substring(0, pair.indexOf('=') + 1) + "6e6f7065")).statusCode(), token);
            });
        }
    }

    /** Other users of the machine cannot read the learner's corpora and models: the data directory is 0700. */
    @Test
    void theDataDirectoryIsTheOwnersAlone() throws Exception {
        java.nio.file.Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        ServerConfig config = ServerConfig.defaults(data);
        Services.open(config, () -> null);
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(data)), "a directory an earlier version made is closed too");
    }

    @Test
    void thePageCarriesHeadersThatKeepItOutOfOtherSitesFrames() throws Exception {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            for (String path : List.of("/", "/js/api.js", "/api/models", "/api/models/m_000000000000")) {
                HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(client.getOrigin() + path)));
                assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(null), path);
                assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"), path);
                assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null), path);
                assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(null), path);
            }
        });
    }

    @Test
    void nonLoopbackAddressRequiresAToken() {
        ServerConfig open = ServerConfig.defaults(data).withHost("0.0.0.0");
        assertEquals(1, open.problems().size());
        assertTrue(open.problems().get(0).contains("--no-token"));
        assertEquals(List.of(), open.withToken("t").problems());
        assertEquals(List.of(), ServerConfig.defaults(data).problems());
        assertEquals("127.0.0.1", ServerConfig.defaults(data).host());
    }

    @Test
    void noCorsHeadersUnlessConfigured() throws Exception {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config)), (server, client) -> {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(client.getOrigin() + "/api/health"))
                    .header("Origin", "https://evil.example"));
            assertEquals(200, r.statusCode());
            assertNull(r.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        });
        ServerConfig cors = ServerConfig.defaults(data).withCorsOrigins(List.of("https://friend.example"));
        JavalinTest.test(RnnServer.create(cors, Services.open(cors)), (server, client) -> {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(client.getOrigin() + "/api/health"))
                    .header("Origin", "https://friend.example"));
            assertEquals("https://friend.example", r.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            // an origin allowed with --cors-origin may also change things
            HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(client.getOrigin() + "/api/corpora?name=x"))
                    .header("Content-Type", "text/plain").header("Origin", "https://friend.example")
                    .header("Sec-Fetch-Site", "cross-site").POST(HttpRequest.BodyPublishers.ofByteArray(TEXT)));
            assertEquals(201, post.statusCode(), post.body());
        });
    }

    /** Issue 19, finding 13: with a token, the preflight of a JSON request from a --cors-origin page got 401. */
    @Test
    void aCorsPreflightPassesTheTokenCheckAndWhatFollowsDoesNot() throws Exception {
        ServerConfig cors = ServerConfig.defaults(data).withToken("s3cret").withCorsOrigins(List.of("https://friend.example"));
        JavalinTest.test(RnnServer.create(cors, Services.open(cors, () -> null)), (server, client) -> {
            HttpResponse<String> preflight = send(HttpRequest.newBuilder(URI.create(client.getOrigin() + "/api/jobs"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://friend.example")
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "content-type, authorization"));
            assertTrue(preflight.statusCode() < 300, preflight.statusCode() + " " + preflight.body());
            assertEquals("https://friend.example", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(client.getOrigin() + "/api/jobs"))
                    .header("Content-Type", "application/json").header("Origin", "https://friend.example")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertEquals(401, post.statusCode(), "the request itself still needs the token");
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

    private static void assertProblem(HttpResponse<String> r, int status, String detailContains) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        JsonNode body = Jackson.MAPPER.readTree(r.body());
        assertTrue(body.get("detail").asText().contains(detailContains), r.body());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
