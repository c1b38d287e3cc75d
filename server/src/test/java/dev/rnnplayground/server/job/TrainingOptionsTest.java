package dev.rnnplayground.server.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.train.Hyperparameter;
import dev.rnnplayground.server.Api;
import dev.rnnplayground.server.RnnServer;
import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.Services;
import dev.rnnplayground.server.TestTexts;
import dev.rnnplayground.server.common.Jackson;
import io.javalin.testtools.JavalinTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/training/options} tells the page exactly what {@code POST /api/jobs} does: the
 * defaults it fills in and the bounds it enforces, field by field.
 */
class TrainingOptionsTest {

    @TempDir
    Path data;

    private void withServer(io.javalin.testtools.TestCase test) {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), test);
    }

    @Test
    void theOptionsHaveTheAgreedShapeAndValues() {
        withServer((server, client) -> {
            Api.Reply r = new Api(client).get("/api/training/options");
            assertEquals(200, r.status(), r.text());
            JsonNode o = r.json();
            assertEquals(List.of("defaults", "learningRates", "limits"), names(o));
            assertEquals(List.of("cell", "hidden", "layers", "seqLength", "heads", "bias", "attend", "batchSize", "optimizer", "beta2", "weightDecay",
                    "warmup", "lrSchedule", "clip", "clipMode",
                    "steps", "valFraction", "seed", "evalEvery", "checkpointEvery", "sampleEvery", "dropout"), names(o.get("defaults")));
            JsonNode d = o.get("defaults");
            assertEquals(Jackson.MAPPER.readTree("{\"cell\":\"lstm\",\"hidden\":128,\"layers\":1,\"seqLength\":50,\"optimizer\":\"adam\","
                    + "\"clip\":5,\"clipMode\":\"norm\",\"valFraction\":0.05,\"seed\":1,\"dropout\":0}"), pick(d,
                    "cell", "hidden", "layers", "seqLength", "optimizer", "clip", "clipMode", "valFraction", "seed", "dropout"));
            assertEquals(Jackson.MAPPER.readTree("{\"adamw\":0.001,\"adam\":0.002,\"rmsprop\":0.002,\"adagrad\":0.1,\"sgd\":0.1}"), o.get("learningRates"));
            JsonNode limits = o.get("limits");
            assertEquals(Jackson.MAPPER.readTree("{\"hidden\":{\"min\":1,\"max\":1024},\"layers\":{\"min\":1,\"max\":12},"
                    + "\"seqLength\":{\"min\":1,\"max\":1000},\"batchSize\":{\"min\":1,\"max\":256},"
                    + "\"steps\":{\"min\":1,\"max\":1000000},\"dropout\":{\"min\":0,\"max\":0.9}}"),
                    pick(limits, "hidden", "layers", "seqLength", "batchSize", "steps", "dropout"));

            // every numeric field of a job has its limits (the seed takes any integer)
            Set<String> numeric = new TreeSet<>();
            for (Hyperparameter h : Hyperparameter.values()) {
                if (Number.class.isAssignableFrom(h.kind.wireType) && h != Hyperparameter.SEED) numeric.add(h.key);
            }
            Set<String> limited = new TreeSet<>(names(limits));
            limited.remove("parameters");
            assertEquals(numeric, limited);
        });
    }

    @Test
    void aJobWithNothingButACorpusGetsExactlyTheseDefaults() {
        withServer((server, client) -> {
            Api api = new Api(client);
            JsonNode options = api.get("/api/training/options").json();
            String corpusId = TestTexts.uploadVerse(api);
            Api.Reply created = api.postJson("/api/jobs", Map.of("corpusId", corpusId, "steps", 1, "seqLength", 8));
            assertEquals(202, created.status(), created.text());
            JsonNode spec = created.get("spec");
            options.get("defaults").fields().forEachRemaining(e -> {
                if (e.getKey().equals("steps") || e.getKey().equals("seqLength")) return;
                JsonNode filled = spec.get(e.getKey());
                if (e.getValue().isTextual()) assertEquals(e.getValue().asText(), filled.asText(), e.getKey());
                else if (e.getValue().isBoolean()) assertEquals(e.getValue(), filled, e.getKey());
                else assertTrue(filled.isNumber() && filled.asDouble() == e.getValue().asDouble(), e.getKey() + ": " + filled);
            });
            assertEquals(options.get("learningRates").get(spec.get("optimizer").asText()).asDouble(), spec.get("lr").asDouble());
            TestTexts.awaitFinished(api, created.get("id").asText(), 30_000);
        });
    }

    @Test
    void justOutsideEveryLimitIsRefusedWithThoseBounds() {
        withServer((server, client) -> {
            Api api = new Api(client);
            String corpusId = TestTexts.uploadVerse(api);
            JsonNode limits = api.get("/api/training/options").json().get("limits");
            List<String> checked = new ArrayList<>();
            limits.fields().forEachRemaining(e -> {
                String field = e.getKey();
                if (field.equals("parameters")) return;   // checked against the corpus: see RefusalsTest
                JsonNode range = e.getValue();
                boolean whole = range.get("min").isIntegralNumber() && range.get("max").isIntegralNumber();
                double step = whole ? 1 : 0.1;
                // 0 steps or 0 epochs means "not given" (the other one decides), so go below 0 there
                Object below = field.equals("steps") || field.equals("epochs") ? (Object) (-1)
                        : range.has("minExcluded") ? (Object) range.get("min").numberValue() : less(range.get("min"), step, whole);
                Object above = more(range.get("max"), step, whole);
                for (Object bad : List.of(below, above)) {
                    Map<String, Object> body = new LinkedHashMap<>(Map.of("corpusId", corpusId));
                    body.put(field, bad);
                    if (!field.equals("steps") && !field.equals("epochs")) body.put("steps", 1);
                    Api.Reply r = api.postJson("/api/jobs", body);
                    String detail = Api.problemDetail(r, 400);
                    String bounds = range.get("min").asText() + (range.has("minExcluded") ? " and at most " : " to ")
                            + range.get("max").asText();
                    assertTrue(detail.startsWith(field + ": must be ") && detail.contains(bounds), field + "=" + bad + " -> " + detail);
                }
                checked.add(field);
            });
            assertEquals(18, checked.size(), checked.toString());
            assertEquals(0, api.get("/api/jobs").json().size(), "no refused request left a job behind");
        });
    }

    private static Object less(JsonNode min, double step, boolean whole) {
        return whole ? (Object) (min.asLong() - 1) : (Object) (min.asDouble() - step);
    }

    private static Object more(JsonNode max, double step, boolean whole) {
        return whole ? (Object) (max.asLong() + 1) : (Object) (max.asDouble() + step);
    }

    private static List<String> names(JsonNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode pick(JsonNode o, String... fields) {
        com.fasterxml.jackson.databind.node.ObjectNode picked = Jackson.MAPPER.createObjectNode();
        for (String f : fields) picked.set(f, o.get(f));
        return picked;
    }
}
