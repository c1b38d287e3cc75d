package dev.rnnplayground.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.server.common.Jackson;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Small helpers over JavalinTest's client for JSON, multipart and binary bodies. */
public final class Api {

    private final HttpClient client;
    private final String token;

    public Api(HttpClient client) {
        this(client, null);
    }

    public Api(HttpClient client, String token) {
        this.client = client;
        this.token = token;
    }

    /** A status code and the body parsed as JSON (null when empty). */
    public record Reply(int status, JsonNode json, String text, String contentType) {
        public JsonNode get(String field) {
            return json.get(field);
        }
    }

    public Reply get(String path) {
        return reply(client.get(path, b -> auth(b)));
    }

    public Reply delete(String path) {
        return reply(client.request(path, b -> auth(b.delete(HttpRequest.BodyPublishers.noBody()))));
    }

    public Reply postJson(String path, Object body) {
        String json = body instanceof String s ? s : Jackson.toString(body);
        return reply(client.request(path, b -> auth(b.post(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json"))));
    }

    public Reply postText(String path, byte[] body) {
        return post(path, body, "text/plain; charset=utf-8");
    }

    public Reply post(String path, byte[] body, String contentType) {
        return reply(client.request(path, b -> auth(b.post(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", contentType))));
    }

    public Reply postMultipart(String path, String field, String filename, byte[] content) {
        String boundary = "----rnn-test-boundary-7d1f";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                    + filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(content);
            out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return post(path, out.toByteArray(), "multipart/form-data; boundary=" + boundary);
    }

    /** GET with a raw-bytes body, which the testtools client would decode as a string. */
    public byte[] getBytes(String path) {
        try {
            HttpResponse<byte[]> r = java.net.http.HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(client.getOrigin() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) throw new AssertionError("GET " + path + " -> " + r.statusCode());
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reads an SSE stream until the server closes it; returns the raw text. */
    public String events(String path, String lastEventId) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(client.getOrigin() + path))
                    .header("Accept", "text/event-stream").GET();
            if (lastEventId != null) b.header("Last-Event-ID", lastEventId);
            return java.net.http.HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private io.javalin.testtools.Request.Builder auth(io.javalin.testtools.Request.Builder b) {
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    private static Reply reply(Response r) {
        String text = r.body().string();
        JsonNode json = null;
        if (text != null && !text.isEmpty() && (text.startsWith("{") || text.startsWith("["))) {
            try {
                json = Jackson.MAPPER.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }
        java.util.List<String> type = r.headers().get("Content-Type");
        return new Reply(r.code(), json, text, type == null || type.isEmpty() ? null : type.get(0));
    }

    /** Checks an error reply has the problem-details shape and returns its detail. */
    public static String problemDetail(Reply r, int status) {
        if (r.status() != status) throw new AssertionError("expected " + status + " but got " + r.status() + ": " + r.text());
        JsonNode j = r.json();
        if (j == null || !j.hasNonNull("title") || j.path("status").asInt() != status || !j.hasNonNull("detail")) {
            throw new AssertionError("not a problem document: " + r.text());
        }
        if (r.text().contains("at dev.") || r.text().contains("Exception")) {
            throw new AssertionError("error body leaks internals: " + r.text());
        }
        return j.get("detail").asText();
    }

}
