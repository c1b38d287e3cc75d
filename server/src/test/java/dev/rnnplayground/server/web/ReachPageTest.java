package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.gpt.Gpt;
import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.server.common.Jackson;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "How far back gradients reach, averaged": the chart's median line is the median, over the
 * measured windows, of what the inspect endpoint gives for each window alone; the LSTM has a
 * cell-state line; the training window is marked; the summary says whether the bands overlap.
 */
class ReachPageTest {

    @RegisterExtension
    static final BrowserSession browser = BrowserSession.perClass();
    static String rnnId;
    static String lstmId;

    static final Vocab VOCAB = PageModels.VOCAB;
    static final int HIDDEN = 16;

    @BeforeAll
    static void start() throws Exception {
        CharRnn rnn = PageModels.fadingRnn(HIDDEN);
        CharRnn lstm = PageModels.rememberingLstm(HIDDEN);
        // rnn train's description names the window (32 x 30 characters): the chart marks 30 steps
        rnnId = importModel("fading rnn", ModelFile.write(rnn, DType.F32, Map.of("description",
                "1-layer rnn, 16 hidden units, trained by rnn train on x.txt: 10 steps of 32 x 30 characters, adam lr 0.002")));
        lstmId = importModel("remembering lstm", ModelFile.write(lstm, DType.F32));
    }

    @Test
    void theMedianLineIsTheMedianOfSingleWindowInspections() throws Exception {
        browser.open("/#model=" + rnnId + "&compare=" + lstmId + "&prime=the%20cat%20sat&speed=0&length=700&seed=3");
        browser.waitUntil(d -> "done".equals(browser.attribute("#output", "data-state")));
        browser.find("#reach-button").click();
        browser.waitUntil(java.time.Duration.ofSeconds(60), d -> "done".equals(browser.attribute("#reach-chart", "data-state")));
        String text = browser.attribute("#reach-text", "data-text");
        String all = browser.text("#output-prime") + browser.text("#output-written");
        assertEquals(all.substring(all.length() - 600), text, "the last 600 symbols the page wrote");

        List<String> labels = chartLabels();
        assertEquals(List.of("· fading rnn (vanilla RNN) q75", "· fading rnn (vanilla RNN) q25", "fading rnn (vanilla RNN) · h, median",
                "· remembering lstm q75", "· remembering lstm q25", "remembering lstm · h, median",
                "remembering lstm · cell state c, median", "training window (30 steps)"), labels);

        // the RNN's median line against the inspect endpoint, window by window
        JsonNode reach = post("/api/models/" + rnnId + "/reach", Map.of("text", text, "positions", 100, "lags", 100)).get("reach");
        int window = reach.get("windowLength").asInt();
        int positions = reach.get("positions").asInt();
        assertEquals(100, positions);
        int[] symbols = text.codePoints().toArray();
        double[][] byLag = new double[101][positions];
        for (int p = 0; p < positions; p++) {
            int start = reach.get("windowStarts").get(p).asInt();
            JsonNode norms = post("/api/models/" + rnnId + "/inspect", Map.of("text", new String(symbols, start, window)))
                    .get("gradientNormsFromLast").get(0);
            int last = norms.size() - 1;
            for (int k = 0; k <= 100; k++) byLag[k][p] = norms.get(last - k).asDouble() / norms.get(last).asDouble();
        }
        List<List<double[]>> lines = chartLines();
        for (int k : new int[] {0, 1, 5, 10, 20}) {
            double[] sorted = byLag[k].clone();
            Arrays.sort(sorted);
            double median = (sorted[49] + sorted[50]) / 2;   // 100 values: halfway between the 50th and 51st
            assertEquals(median, y(lines.get(2), k), 1e-9 * median, "median " + k + " steps back");
            assertTrue(y(lines.get(1), k) <= median && median <= y(lines.get(0), k), "the band holds the median");
        }
        // the LSTM's cell-state line holds more than the scaled-down RNN far back
        assertTrue(y(lines.get(6), 50) > 1e3 * y(lines.get(2), 50));
        double[] windowLine = lines.get(7).stream().mapToDouble(p -> p[0]).toArray();
        assertEquals(30, windowLine[0]);
        String summary = browser.text("#reach-summary");
        assertTrue(summary.startsWith("Median share of a prediction's gradient left 20 steps back: vanilla RNN "), summary);
        assertTrue(summary.contains("50 steps back: vanilla RNN "), summary);
        assertTrue(summary.contains(" — no overlap: LSTM keeps more."), summary);
        assertTrue(summary.endsWith("Training backpropagated through 30 steps only."), summary);
        assertTrue(browser.text("#reach-jacobian").startsWith("fading rnn (vanilla RNN): one step's Jacobian ‖∂hₜ/∂hₜ₋₁‖"),
                browser.text("#reach-jacobian"));
        // how many predictions and how long: the server's answer and the page's clock, not a promise
        int lstmPositions = post("/api/models/" + lstmId + "/reach", Map.of("text", text, "lags", 100)).get("reach").get("positions").asInt();
        assertEquals(positions + "," + lstmPositions, browser.attribute("#reach-text", "data-positions"));
        assertTrue(browser.text("#reach-text").matches("Measured in \\d+\\.\\d s over " + positions + " predictions of these 600 symbols.*"),
                browser.text("#reach-text"));
        assertTrue(!browser.text("#reach").contains("a few seconds") && !browser.text("#reach").contains("Here 100 predictions"));
    }

    /**
     * A GPT beside the LSTM: both drawn on the input path, the lines being the API's numbers (core
     * on the JVM), nothing drawn from the GPT's block on (0 there), the block a vertical line, and
     * the caption's percentages those of the medians drawn.
     */
    @Test
    void aGptBesideAnLstmIsDrawnOnTheInputPath() throws Exception {
        int block = 24;
        Gpt gpt = new Gpt(VOCAB, Architecture.gpt(16, 2, 2, block, true), false).initialize(3);
        String gptId = importModel("tiny gpt", ModelFile.write(gpt, DType.F32));
        browser.open("/#model=" + gptId + "&compare=" + lstmId + "&prime=the%20cat%20sat&speed=0&length=40&seed=3");
        browser.waitUntil(d -> "done".equals(browser.attribute("#output", "data-state")));
        assertTrue(browser.find("#reach").isDisplayed(), "a gpt has a reach");
        browser.find("#reach-button").click();
        browser.waitUntil(java.time.Duration.ofSeconds(60), d -> "done".equals(browser.attribute("#reach-chart", "data-state")));
        assertEquals("input", browser.attribute("#reach-chart", "data-path"));
        assertEquals(List.of("· tiny gpt q75", "· tiny gpt q25", "tiny gpt · x, median", "· remembering lstm q75",
                "· remembering lstm q25", "remembering lstm · x, median", "GPT block (24 positions): nothing further back is read"),
                chartLabels());
        String text = browser.attribute("#reach-text", "data-text");
        JsonNode gptReach = post("/api/models/" + gptId + "/reach", Map.of("text", text, "lags", 100, "positions", 40)).get("reach");
        JsonNode lstmReach = post("/api/models/" + lstmId + "/reach", Map.of("text", text, "lags", 100)).get("reach");
        List<List<double[]>> lines = chartLines();
        for (int k : new int[] {0, 1, 5, 12, block - 1}) {
            double median = gptReach.get("input").get("median").get(k).asDouble();
            assertEquals(median, y(lines.get(2), k), 1e-12 * median, "the gpt's median " + k + " steps back");
        }
        for (int k = block; k <= 100; k++) assertEquals(-1, y(lines.get(2), k), "nothing drawn " + k + " steps back: 0 by construction");
        double lstmAt50 = lstmReach.get("input").get("median").get(50).asDouble();
        assertEquals(lstmAt50, y(lines.get(5), 50), 1e-12 * lstmAt50);
        assertEquals(block, lines.get(6).get(0)[0], "the block's line");
        String summary = browser.text("#reach-summary");
        String lead = "Median share of a prediction's gradient on the character read 50 steps back: GPT nothing (0), LSTM ";
        assertTrue(summary.startsWith(lead), summary);
        // the LSTM's share in percent, to the digit the caption rounds to (a whole percent, or one significant digit below 1%)
        double percent = Double.parseDouble(summary.substring(lead.length(), summary.indexOf("%.", lead.length())));
        double expected = 100 * lstmAt50;
        assertEquals(expected, percent, expected >= 1 ? 0.5 : 0.5 * Math.pow(10, Math.floor(Math.log10(expected))), summary);
        assertTrue(summary.endsWith("GPT reads a block of 24 characters: further back its gradient is exactly 0, by construction,"
                + " not drawn on this log scale."), summary);
    }

    @Test
    void aModelThatCannotBeMeasuredIsExplained() throws Exception {
        browser.open("/#model=" + lstmId + "&compare=&speed=0&length=10");
        browser.waitUntil(d -> "done".equals(browser.attribute("#output", "data-state")));
        CharRnn other = new CharRnn(CellType.GRU, VOCAB, 4, 1).initialize(1);
        String doomed = importModel("doomed", ModelFile.write(other, DType.F32));
        browser.open("/#model=" + doomed + "&compare=&speed=0&length=10");
        browser.waitUntil(d -> "done".equals(browser.attribute("#output", "data-state")));
        send(browser.request("/api/models/" + doomed).DELETE());
        browser.find("#reach-button").click();
        browser.waitUntil(d -> "error".equals(browser.attribute("#reach-chart", "data-state")));
        assertEquals("Could not measure the gradients: There is no model with id '" + doomed + "'.", browser.text("#reach-error"));
    }

    private static List<List<double[]>> chartLines() {
        return browser.chartLines("reach-chart");
    }

    private static List<String> chartLabels() {
        return browser.chartLabels("reach-chart");
    }

    private static double y(List<double[]> line, int stepsBack) {
        return line.stream().filter(p -> p[0] == stepsBack).findFirst().orElseThrow()[1];
    }

    private static JsonNode post(String path, Object body) throws Exception {
        HttpResponse<String> r = send(browser.request(path)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Jackson.toString(body))));
        assertEquals(200, r.statusCode(), r.body());
        return Jackson.MAPPER.readTree(r.body());
    }

    private static String importModel(String name, byte[] bytes) throws Exception {
        return PageModels.importModel(browser, name, bytes);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
