package dev.rnnplayground.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesScalars() {
        assertEquals(true, Json.parse("true"));
        assertEquals(false, Json.parse(" false "));
        assertNull(Json.parse("null"));
        assertEquals(0L, Json.parse("0"));
        assertEquals(-42L, Json.parse("-42"));
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(9.223372036854775808E18, Json.parse("9223372036854775808"), "beyond a long becomes a double");
        assertEquals(1.5, Json.parse("1.5"));
        assertEquals(1.0, Json.parse("1.0"), "a fraction makes a double even when integral");
        assertEquals(-2.5e-3, Json.parse("-2.5E-3"));
        assertEquals(100.0, Json.parse("1e+2"));
        assertEquals("", Json.parse("\"\""));
    }

    @Test
    void parsesNestedValuesInOrder() {
        Object v = Json.parse("{\"z\": [1, 2.5, \"x\", [], {}], \"a\": {\"b\": null}, \"m\": true}\r\n\t");
        Map<?, ?> map = assertInstanceOf(LinkedHashMap.class, v);
        assertEquals(List.of("z", "a", "m"), new ArrayList<>(map.keySet()), "keys keep file order");
        List<?> z = (List<?>) map.get("z");
        assertEquals(1L, z.get(0));
        assertEquals(2.5, z.get(1));
        assertEquals("x", z.get(2));
        assertEquals(List.of(), z.get(3));
        assertEquals(Map.of(), z.get(4));
        assertTrue(((Map<?, ?>) map.get("a")).containsKey("b"));
    }

    @Test
    void parsesEveryEscape() {
        assertEquals("\" \\ / \b \f \n \r \t A é",
                Json.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\u00e9\""));
        assertEquals("\uD83D\uDE00", Json.parse("\"\\ud83d\\uDE00\""), "surrogate pair escape is one emoji");
        assertEquals("a\uD83D\uDE00b", Json.parse("\"a\uD83D\uDE00b\""), "raw emoji passes through");
        assertEquals("日本", Json.parse("\"日本\""));
    }

    @Test
    void rejectsMalformedTextWithOffset() {
        assertError("", "unexpected end of text, expected a value at character 0");
        assertError("{\"a\":1,}", "expected a string key in an object, found '}' at character 7");
        assertError("[1,]", "unexpected ']', expected a value at character 3");
        assertError("[1 2]", "expected ',' or ']' in an array, found '2' at character 3");
        assertError("{\"a\" 1}", "expected ':' after an object key, found '1' at character 5");
        assertError("{\"a\":1 \"b\":2}", "expected ',' or '}' in an object, found '\"' at character 7");
        assertError("{'a':1}", "expected a string key in an object, found ''' at character 1");
        assertError("01", "invalid number, leading zeros are not allowed at character 1");
        assertError("-", "invalid number, expected a digit after '-' at character 1");
        assertError("1.", "invalid number, expected a digit after '.' at character 2");
        assertError("1e", "invalid number, expected a digit in the exponent at character 2");
        assertError("1e999", "number 1e999 is out of range at character 0");
        assertError("tru", "unexpected 't', expected a value at character 0");
        assertError("nul1", "unexpected 'n', expected a value at character 0");
        assertError("{} x", "unexpected 'x' after the JSON value at character 3");
        assertError("\"abc", "unterminated string starting at character 0");
        assertError("[\"a\nb\"]", "control character U+000A must be escaped in a string at character 3");
        assertError("\"\\x\"", "invalid escape \\'x' in a string at character 1");
        assertError("\"\\u12g4\"", "invalid \\u escape, expected 4 hex digits at character 1");
        assertError("\"\\u12\"", "invalid \\u escape, expected 4 hex digits at character 1");
        assertError("\"\\u١٢٣٤\"", "invalid \\u escape, expected 4 hex digits at character 1");
        assertError("\"ab\\ud83d\"", "unpaired surrogate escape U+D83D in a string at character 3");
        assertError("\"\\ud83d\\u0041\"", "unpaired surrogate escape U+D83D in a string at character 1");
        assertError("\"\\ude00\"", "unpaired surrogate escape U+DE00 in a string at character 1");
        assertError("\"\uD83D\"", "unpaired surrogate U+D83D in a string at character 1");
        assertError("{\"w\":1,\"w\":2}", "duplicate key \"w\" at character 7");
        assertError("// comment\n1", "unexpected '/', expected a value at character 0");
        assertError("\u00a01", "unexpected U+00A0, expected a value at character 0");
    }

    @Test
    void limitsNestingDepth() {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        Json.parse(ok);
        String deep = "[".repeat(100_000);
        assertError(deep, "nesting is deeper than 128 levels at character 128");
    }

    @Test
    void writesCompactlyAndEscapesControlCharacters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "q\"b\\n\n\t\u0001\u001f\u007fé\uD83D\uDE00/");
        m.put("l", List.of(1L, 2, -0.5, 1e300, 3.25f, true, false));
        m.put("n", null);
        m.put("o", Map.of());
        assertEquals("{\"s\":\"q\\\"b\\\\n\\n\\t\\u0001\\u001f\u007fé\uD83D\uDE00/\","
                + "\"l\":[1,2,-0.5,1.0E300,3.25,true,false],\"n\":null,\"o\":{}}", Json.write(m));
    }

    @Test
    void writerRejectsWhatJsonCannotSay() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Double.POSITIVE_INFINITY)));
        assertThrows(IllegalArgumentException.class, () -> Json.write("\uDE00"));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, "x")));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }

    @Test
    void randomValuesSurviveWriteThenParse() {
        Random rng = new Random(20240611L);
        for (int i = 0; i < 300; i++) {
            Object value = randomValue(rng, 0);
            assertEquals(value, Json.parse(Json.write(value)));
        }
    }

    private static Object randomValue(Random rng, int depth) {
        int kind = rng.nextInt(depth > 3 ? 5 : 7);
        switch (kind) {
            case 0: return null;
            case 1: return rng.nextBoolean();
            case 2: return rng.nextLong() >> rng.nextInt(64);
            case 3: {
                double d = rng.nextGaussian() * Math.pow(10, rng.nextInt(40) - 20);
                return d == Math.rint(d) ? d + 0.5 : d;   // an integral double would read back as a long-valued double anyway
            }
            case 4: return randomString(rng);
            case 5: {
                List<Object> list = new ArrayList<>();
                for (int n = rng.nextInt(4); n > 0; n--) list.add(randomValue(rng, depth + 1));
                return list;
            }
            default: {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int n = rng.nextInt(4); n > 0; n--) map.put(randomString(rng), randomValue(rng, depth + 1));
                return map;
            }
        }
    }

    /** Strings mixing ASCII, control characters, quotes, BMP and supplementary code points. */
    private static String randomString(Random rng) {
        int[] pool = {'a', 'Z', ' ', '"', '\\', '/', 0, 1, '\n', 0x1f, 0x7f, 0xe9, 0x2028, 0x65e5, 0xfffd, 0x1F600, 0x10FFFF};
        StringBuilder sb = new StringBuilder();
        for (int n = rng.nextInt(8); n > 0; n--) sb.appendCodePoint(pool[rng.nextInt(pool.length)]);
        return sb.toString();
    }

    private static void assertError(String text, String message) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Json.parse(text));
        assertEquals(message, e.getMessage());
    }
}
