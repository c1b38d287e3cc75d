package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.server.common.Jackson;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Two models that make the vanishing-gradient lesson unmistakable, for the page tests: a vanilla
 * RNN whose recurrent weights are halved (each step back shrinks the gradient) and an LSTM whose
 * forget gates are held open (f near 1, so the cell state carries the gradient).
 */
final class PageModels {
    static final Vocab VOCAB = Vocab.of("abcdefghijklmnopqrstuvwxyz ,.\n");

    private PageModels() {
    }

    /** A model written to a {@code .safetensors} file for the page to open, and read back as the page reads it (float32). */
    record OnDisk(Path file, CharRnn model) {
    }

    static OnDisk onDisk(Path file, CharRnn made) throws IOException {
        Files.write(file, ModelFile.write(made, DType.F32));
        return new OnDisk(file, ModelFile.read(Files.readAllBytes(file)));
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
        return Jackson.MAPPER.readTree(r.body()).get("id").asText();
    }
}
