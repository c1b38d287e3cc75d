package dev.rnnplayground.core.gpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Erf against Python's math.erf (the C library's, fdlibm's descendant) from scripts/golden_gpt.py. */
class ErfTest {

    @Test
    void matchesTheCLibraryToTheLastBitsAtEveryPoint() throws IOException {
        Map<?, ?> golden;
        try (InputStream in = ErfTest.class.getResourceAsStream("/golden/erf.json")) {
            assertNotNull(in, "missing golden/erf.json (run scripts/golden_gpt.py)");
            golden = (Map<?, ?>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        List<?> xs = (List<?>) golden.get("x"), expected = (List<?>) golden.get("erf");
        assertTrue(xs.size() > 1000);
        for (int i = 0; i < xs.size(); i++) {
            double x = ((Number) xs.get(i)).doubleValue(), e = ((Number) expected.get(i)).doubleValue();
            double actual = Erf.erf(x);
            assertEquals(e, actual, 1e-15 * Math.abs(e), "erf(" + x + ")");
        }
    }

    @Test
    void specialValues() {
        assertEquals(1.0, Erf.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)));
        assertEquals(0.0, Erf.erf(0.0));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Erf.erf(-0.0)), "erf keeps the sign of zero");
    }
}
