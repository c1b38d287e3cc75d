package dev.rnnplayground.server.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.server.common.Jackson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The API docs' table of job fields (docs/api.md) says what the one place of defaults and limits says. */
class ApiDocsTableTest {

    @Test
    void theJobFieldTableMatchesTheTrainingOptions() throws Exception {
        String readme = Files.readString(Path.of("..", "docs", "api.md"));
        Map<String, String[]> rows = table(readme, "| field | default | range |");
        JsonNode options = Jackson.MAPPER.valueToTree(TrainingOptions.forServer());

        options.get("defaults").fields().forEachRemaining(e -> {
            String[] row = rows.get(e.getKey());
            assertNotNull(row, "docs/api.md has no row for " + e.getKey());
            assertTrue(row[0].replace("`", "").startsWith(e.getValue().asText()),
                    e.getKey() + ": docs/api.md default '" + row[0] + "', the code's " + e.getValue());
        });
        options.get("limits").fields().forEachRemaining(e -> {
            if (e.getKey().equals("parameters")) return;
            String[] row = rows.get(e.getKey());
            assertNotNull(row, "docs/api.md has no row for " + e.getKey());
            JsonNode r = e.getValue();
            String bounds = r.has("minExcluded") ? "above " + r.get("min").asText() + ", at most " + r.get("max").asText()
                    : r.get("min").asText() + " to " + r.get("max").asText();
            assertTrue(row[1].startsWith(bounds), e.getKey() + ": docs/api.md range '" + row[1] + "', the code's " + bounds);
        });
        options.get("learningRates").fields().forEachRemaining(e -> assertTrue(
                Pattern.compile(Pattern.quote(e.getValue().asText()) + " \\([^)]*" + e.getKey()).matcher(rows.get("lr")[0]).find(),
                "lr for " + e.getKey() + " should be " + e.getValue() + ": " + rows.get("lr")[0]));
        long maxParameters = options.get("limits").get("parameters").get("max").asLong();
        assertEquals(0, maxParameters % 1_000_000);
        assertTrue(readme.contains("at most " + maxParameters / 1_000_000 + " million parameters"), "the parameter cap");
    }

    /** The rows of the Markdown table under {@code header}: first column without backticks -> the other cells. */
    private static Map<String, String[]> table(String markdown, String header) {
        List<String> lines = markdown.lines().toList();
        int start = lines.indexOf(header);
        assertTrue(start >= 0, "docs/api.md has no table " + header);
        Map<String, String[]> rows = new LinkedHashMap<>();
        for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("\\|");
            String field = cells[1].strip().replace("`", "");
            rows.put(field, new String[] {cells[2].strip(), cells[3].strip()});
        }
        return rows;
    }
}
