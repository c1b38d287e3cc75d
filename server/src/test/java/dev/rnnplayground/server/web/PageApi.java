package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.server.common.Jackson;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** The server's API, called straight from a browser test (to set up models or read the truth to compare with). */
final class PageApi {

    private final BrowserSession browser;
    private final HttpClient http = HttpClient.newHttpClient();

    PageApi(BrowserSession browser) {
        this.browser = browser;
    }

    /** Imports a {@code .safetensors} file and returns the model's id. */
    String importModel(String name, byte[] bytes) {
        HttpResponse<String> r = send(browser.request("/api/models?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        assertEquals(201, r.statusCode(), r.body());
        return json(r.body()).get("id").asText();
    }

    /** Deletes the model of this name, which must be listed. */
    void deleteModelNamed(String name) {
        String id = null;
        for (JsonNode m : get("/api/models")) if (m.get("name").asText().equals(name)) id = m.get("id").asText();
        if (id == null) throw new AssertionError("no model named " + name);
        HttpResponse<String> r = send(browser.request("/api/models/" + id).DELETE());
        assertEquals(204, r.statusCode(), r.body());
    }

    JsonNode get(String path) {
        HttpResponse<String> r = send(browser.request(path).GET());
        assertEquals(200, r.statusCode(), r.body());
        return json(r.body());
    }

    JsonNode post(String path, Object body) {
        return post(path, body, 200);
    }

    /** POSTs a JSON body and expects this status. */
    JsonNode post(String path, Object body, int status) {
        HttpResponse<String> r = send(browser.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Jackson.toString(body))));
        assertEquals(status, r.statusCode(), r.body());
        return json(r.body());
    }

    /** Uploads a text as a corpus. */
    JsonNode postText(String path, String text) {
        HttpResponse<String> r = send(browser.request(path).header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(text)));
        assertEquals(201, r.statusCode(), r.body());
        return json(r.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String body) {
        try {
            return Jackson.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
