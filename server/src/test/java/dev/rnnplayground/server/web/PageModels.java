package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.server.common.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Two models that make the vanishing-gradient lesson unmistakable, for the page tests: a vanilla
 * RNN whose recurrent weights are halved (each step back shrinks the gradient) and an LSTM whose
 * forget gates are held open (f near 1, so the cell state carries the gradient).
 */
final class PageModels {
    static final Vocab VOCAB = Vocab.of("abcdefghijklmnopqrstuvwxyz ,.\n");

    private PageModels() {
    }

    static CharRnn fadingRnn(int hidden) {
        CharRnn rnn = new CharRnn(CellType.RNN, VOCAB, hidden, 1).initialize(7);
        for (int i = 0; i < rnn.parameter("rnn.weight_hh_l0").w.length; i++) rnn.parameter("rnn.weight_hh_l0").w[i] *= 0.5;
        return rnn;
    }

    static CharRnn rememberingLstm(int hidden) {
        CharRnn lstm = new CharRnn(CellType.LSTM, VOCAB, hidden, 1).initialize(7);
        for (String bias : new String[] {"rnn.bias_ih_l0", "rnn.bias_hh_l0"}) {
            Param p = lstm.parameter(bias);
            for (int j = hidden; j < 2 * hidden; j++) p.w[j] = 3;   // gates i, f, g, o: the forget gate's biases
        }
        return lstm;
    }

    /** Imports a .safetensors file into the browser's server; returns the model id. */
    static String importModel(BrowserSession browser, String name, byte[] bytes) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(browser.request(
                        "/api/models?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return Json.MAPPER.readTree(r.body()).get("id").asText();
    }
}
