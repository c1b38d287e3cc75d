package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.CellType;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.Select;

/**
 * "Gradients through time": the page measures, through the server's inspect endpoint, how far back
 * the last character's gradient reaches, and draws it on a log scale. Two models built here make
 * the lesson unmistakable: a vanilla RNN whose recurrent weights are scaled down (each step back
 * multiplies the gradient by about 0.3) and an LSTM whose forget gates are held open (f near 1,
 * so the cell state carries the gradient). The chart must show what the endpoint computes.
 */
class GradientsPageTest {

    @RegisterExtension
    static final BrowserSession browser = BrowserSession.perClass();
    static String rnnId;
    static String lstmId;
    static Path rnnFile;

    static final Vocab VOCAB = PageModels.VOCAB;
    static final int HIDDEN = 32;

    @BeforeAll
    static void start() throws Exception {
        CharRnn rnn = PageModels.fadingRnn(HIDDEN);
        CharRnn lstm = PageModels.rememberingLstm(HIDDEN);
        rnnFile = Files.write(browser.dir().resolve("fading.safetensors"), ModelFile.write(rnn, DType.F32));
        rnnId = importModel("fading rnn", Files.readAllBytes(rnnFile));
        lstmId = importModel("remembering lstm", ModelFile.write(lstm, DType.F32));
    }

    /** Opens the page on a model, lets it write 150 symbols, and measures over the last 100. */
    private static String openAndMeasure(String hash) {
        browser.open("/#model=" + rnnId + "&prime=the%20cat%20sat%20on%20the%20mat&speed=0&length=150&seed=3" + hash);
        browser.waitUntil(d -> "done".equals(browser.attribute("#output", "data-state")));
        String all = browser.text("#output-prime") + browser.text("#output-written");
        String expected = all.substring(all.length() - 100);
        browser.find("#measure-button").click();
        browser.waitUntil(d -> "done".equals(browser.attribute("#gradients-chart", "data-state"))
                && expected.equals(browser.attribute("#gradients-text", "data-text")));
        return expected;
    }

    @Test
    void theVanillaRnnsGradientVanishesAndTheLstmKeepsIt() throws Exception {
        String text = openAndMeasure("&compare=");   // explicitly no second model
        assertEquals("99", browser.attribute("#gradients-chart", "data-points"), "100 symbols: 99 steps back");
        assertEquals("1", browser.attribute("#gradients-chart", "data-datasets"));
        List<List<double[]>> lines = chartLines();
        double[] rnnNorms = fromLast(rnnId, text);
        int last = rnnNorms.length - 1;
        double rnnAt20 = rnnNorms[last - 20] / rnnNorms[last];
        assertTrue(rnnAt20 < 1e-6, "the scaled-down RNN loses its gradient within 20 steps: " + rnnAt20);
        // relative values by default: 1 at the last character, the endpoint's ratio 20 steps back
        assertEquals(1.0, y(lines.get(0), 0), 1e-12);
        assertEquals(rnnAt20, y(lines.get(0), 20), rnnAt20 * 1e-9);
        assertTrue(y(lines.get(0), 20) * 1e6 < y(lines.get(0), 0), "a large factor between step 0 and 20 steps back");
        String summary = browser.text("#gradients-summary");
        assertTrue(summary.startsWith("After 20 steps back, the gradient in fading rnn (vanilla RNN) is "), summary);
        assertTrue(summary.contains("of its size at the last character (10 steps: "), summary);
        assertEquals(rnnAt20, Double.parseDouble(browser.attribute("#gradients-summary", "data-ratio20")), rnnAt20 * 1e-9);

        // compare with the LSTM: a second line, in another colour, labelled with its name and cell type
        new Select(browser.find("#compare-select")).selectByValue(lstmId);
        browser.waitUntil(d -> "2".equals(browser.attribute("#gradients-chart", "data-datasets"))
                && "done".equals(browser.attribute("#gradients-chart", "data-state")));
        lines = chartLines();
        List<String> labels = chartLabels();
        assertEquals("fading rnn · RNN 32", labels.get(0));
        assertEquals("remembering lstm · LSTM 32", labels.get(1));
        assertFalse(chartColour(0).equals(chartColour(1)), "the compared model has its own colour");
        double[] lstmNorms = fromLast(lstmId, text);
        double lstmAt20 = lstmNorms[lstmNorms.length - 21] / lstmNorms[lstmNorms.length - 1];
        assertEquals(lstmAt20, y(lines.get(1), 20), lstmAt20 * 1e-9);
        assertTrue(lstmAt20 > 1e4 * rnnAt20, "the LSTM keeps far more of the gradient: " + lstmAt20 + " vs " + rnnAt20);
        summary = browser.text("#gradients-summary");
        assertTrue(summary.contains(" In remembering lstm it is "), summary);
        assertTrue(summary.contains("times as much"), summary);
        assertTrue(((String) browser.script("return location.hash")).contains("compare=" + lstmId));

        // absolute values: the line starts at the gradient's own size at the last character
        browser.find("#relative-check").click();
        assertEquals(rnnNorms[last], y(chartLines().get(0), 0), rnnNorms[last] * 1e-9);
        assertTrue(((String) browser.script("return location.hash")).contains("relative=0"));
    }

    @Test
    void theComparisonLivesInTheLink() {
        openAndMeasure("&compare=" + lstmId);
        assertEquals(lstmId, new Select(browser.find("#compare-select")).getFirstSelectedOption().getDomAttribute("value"));
        assertEquals("2", browser.attribute("#gradients-chart", "data-datasets"));
        assertEquals("99", browser.attribute("#gradients-chart", "data-points"));
    }

    @Test
    void aModelOnlyInThePageAndAServerErrorAreExplained() throws Exception {
        browser.open("/#model=" + rnnId + "&speed=0&length=10&view=gradients");
        browser.find("#model-file").sendKeys(rnnFile.toString());
        browser.waitUntil(d -> "unavailable".equals(browser.attribute("#gradients-chart", "data-state")));
        assertTrue(browser.text("#gradients-error").startsWith("This view needs a model on the server"),
                browser.text("#gradients-error"));
        assertEquals("0", browser.attribute("#gradients-chart", "data-datasets"));

        // a model deleted behind the page's back: the server's words, not a status code
        CharRnn doomed = new CharRnn(CellType.GRU, VOCAB, 8, 1).initialize(1);
        String doomedId = importModel("doomed gru", ModelFile.write(doomed, DType.F32));
        browser.open("/#model=" + doomedId + "&prime=the%20end&speed=0&length=30&view=gradients");
        browser.waitUntil(d -> "done".equals(browser.attribute("#gradients-chart", "data-state")));
        HttpResponse<String> deleted = send(browser.request("/api/models/" + doomedId).DELETE());
        assertEquals(204, deleted.statusCode());
        browser.find("#measure-button").click();
        browser.waitUntil(d -> "error".equals(browser.attribute("#gradients-chart", "data-state")));
        assertEquals("Could not measure the gradients: There is no model with id '" + doomedId + "'.",
                browser.text("#gradients-error"));
    }

    // ---- reading the chart and the endpoint ----------------------------------------------------

    /** Every line of the chart as (x, y) points, read from the Chart.js instance. */
    private static List<List<double[]>> chartLines() {
        return browser.chartLines("gradients-chart");
    }

    private static List<String> chartLabels() {
        return browser.chartLabels("gradients-chart");
    }

    private static String chartColour(int line) {
        return (String) browser.script(
                "return Chart.getChart(document.getElementById('gradients-chart')).data.datasets[arguments[0]].borderColor", line);
    }

    private static double y(List<double[]> line, int stepsBack) {
        return line.stream().filter(p -> p[0] == stepsBack).findFirst().orElseThrow()[1];
    }

    /** The top layer's ‖dL_T/dh_t‖ from {@code POST /api/models/{id}/inspect}, t = 0 … T-1. */
    private static double[] fromLast(String id, String text) throws Exception {
        HttpResponse<String> r = send(browser.request("/api/models/" + id + "/inspect")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Jackson.toString(Map.of("text", text)))));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode layers = Jackson.MAPPER.readTree(r.body()).get("gradientNormsFromLast");
        JsonNode top = layers.get(layers.size() - 1);
        double[] norms = new double[top.size()];
        for (int t = 0; t < norms.length; t++) norms[t] = top.get(t).asDouble();
        return norms;
    }

    private static String importModel(String name, byte[] bytes) throws Exception {
        HttpResponse<String> r = send(browser.request("/api/models?name="
                        + URLEncoder.encode(name, StandardCharsets.UTF_8))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        assertEquals(201, r.statusCode(), r.body());
        return Jackson.MAPPER.readTree(r.body()).get("id").asText();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
