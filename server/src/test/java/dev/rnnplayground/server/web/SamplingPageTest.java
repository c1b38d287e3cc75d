package dev.rnnplayground.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.sample.Generator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sampling made visible (B6): the next-character bars are the distribution core's Generator draws
 * from, after temperature and top-k, and they follow the controls at once.
 */
class SamplingPageTest {

    @RegisterExtension
    static final BrowserSession browser = BrowserSession.perClass().withoutShippedLstm();
    static PageModels.OnDisk bars;

    @BeforeAll
    static void start() throws Exception {
        bars = PageModels.onDisk(browser.dir().resolve("bars.safetensors"),
                new CharRnn(CellType.LSTM, Vocab.of("abcdefghijklmnopqrstuvwxyz ,.\n"), 16, 1).initialize(8));
    }

    /** The bars shown: symbol -> probability the sampler draws it with. */
    @SuppressWarnings("unchecked")
    private static Map<String, Double> bars() {
        List<Map<String, Object>> rows = (List<Map<String, Object>>) browser.script(
                "return [...document.querySelectorAll('#nextchar-list li')].map(li => ({s: li.dataset.symbol, p: Number(li.dataset.p)}))");
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        for (Map<String, Object> r : rows) out.put((String) r.get("s"), ((Number) r.get("p")).doubleValue());
        return out;
    }

    private static void assertBarsAreTheSamplers(double temperature, int topK, String prime) {
        Generator generator = new Generator(bars.model(), temperature, topK, 1);
        generator.feed(prime);
        double[] expected = generator.drawDistribution();
        browser.waitUntil(d -> {
            Map<String, Double> shown = bars();
            long nonZero = shown.values().stream().filter(p -> p > 0).count();
            if (nonZero != topK) return false;
            for (var e : shown.entrySet()) {
                if (Math.abs(e.getValue() - expected[bars.model().vocab().indexOf(e.getKey().codePointAt(0))]) > 1e-9) return false;
            }
            return true;
        });
        double sum = bars().values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(1, sum, 1e-9, "the k bars hold the whole distribution");
    }

    @Test
    void barsShowWhatTheSamplerDrawsFromAndFollowTheControls() {
        browser.open("/#prime=the%20cat&temperature=0.5&topK=3&speed=0&length=0");
        browser.find("#model-file").sendKeys(bars.file().toString());
        browser.waitUntil(d -> "file:bars.safetensors".equals(browser.attribute("body", "data-model")));
        assertBarsAreTheSamplers(0.5, 3, "the cat");

        // another temperature and top-k: the bars change with them, before anything is written
        browser.script("var t = document.getElementById('temperature'); t.value = '2'; t.dispatchEvent(new Event('input'));"
                + "var k = document.getElementById('top-k'); k.value = '2'; k.dispatchEvent(new Event('input'));");
        assertBarsAreTheSamplers(2, 2, "the cat");
        // the model's own distribution is drawn beside them, faded
        assertTrue((Boolean) browser.script("return [...document.querySelectorAll('#nextchar-list li')]"
                + ".filter(li => Number(li.dataset.raw) > 0).length === 10"));
    }
}
