package dev.rnnplayground.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.server.common.Jackson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A bare JSON client for a server in another process (JavalinTest's client needs an in-process
 * app); sends the server's access token, if it has one, on every request.
 */
public final class HttpJson {

    private final HttpClient http = HttpClient.newHttpClient();
    private final String origin;
    private final String token;

    public HttpJson(String origin, String token) {
        this.origin = origin;
        this.token = token;
    }

    public JsonNode get(String path) {
        return json(send(HttpRequest.newBuilder(URI.create(origin + path)).GET(), HttpResponse.BodyHandlers.ofString()));
    }

    public byte[] getBytes(String path) {
        return send(HttpRequest.newBuilder(URI.create(origin + path)).GET(), HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    public JsonNode post(String path, String contentType, byte[] body) {
        return json(send(HttpRequest.newBuilder(URI.create(origin + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), HttpResponse.BodyHandlers.ofString()));
    }

    public JsonNode postJson(String path, Object body) {
        return post(path, "application/json", Jackson.toString(body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public String events(String path) {
        return send(HttpRequest.newBuilder(URI.create(origin + path)).header("Accept", "text/event-stream").GET(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        try {
            if (token != null) request.header("Authorization", "Bearer " + token);
            HttpResponse<T> r = http.send(request.build(), handler);
            if (r.statusCode() >= 300) throw new AssertionError(request.build().uri() + " -> " + r.statusCode() + ": " + r.body());
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return Jackson.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }
}
