package dev.rnnplayground.server.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.server.Api;
import dev.rnnplayground.server.RnnServer;
import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.Services;
import dev.rnnplayground.server.TestTexts;
import dev.rnnplayground.server.common.Jackson;
import io.javalin.testtools.JavalinTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 job specs made from a valid one: fields set to values of every JSON type and size (empty
 * strings, numbers as strings, full-width digits, 2^63, 1e400, fractions, nested objects), fields
 * dropped, unknown and repeated fields, bodies cut short or with a byte flipped. Every answer is a
 * 202 (the job is then cancelled at once) or a 4xx problem document; never a 5xx or a hang.
 */
class JobSpecFuzzTest {

    private static final int CASES = 1_000;
    private static final String[] FIELDS = {"corpusId", "name", "cell", "hidden", "layers", "seqLength", "batchSize",
            "optimizer", "lr", "clip", "clipMode", "steps", "epochs", "valFraction", "seed", "evalEvery", "sampleEvery",
            "checkpointEvery"};
    private static final String[] VALUES = {"\"\"", "\" \"", "\"16\"", "\" 16\"", "\"１６\"", "0", "-1", "1", "2", "3",
            "16", "1000", "1001", "4096", "2147483648", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
            "1e400", "-1e400", "5e-324", "0.5", "16.5", "1e-3", "10", "1e6", "-0", "true", "false", "null", "[]", "[16]", "{}",
            "{\"a\":1}", "\"lstm\"", "\"gru\"", "\"rnn\"", "\"adam\"", "\"sgd\"", "\"norm\"", "\"value\"", "\"LSTM\"",
            "\"\\u0000\"", "\"c_000000000000\"", "\"" + "x".repeat(200) + "\"", "NaN", "Infinity", "0x10", "01"};

    @TempDir
    Path data;

    @Test
    void everyMutatedJobSpecIsAnsweredCleanly() {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            Api api = new Api(client);
            String corpusId = TestTexts.uploadVerse(api);
            Map<String, String> valid = new LinkedHashMap<>();
            valid.put("corpusId", "\"" + corpusId + "\"");
            valid.put("cell", "\"rnn\"");
            valid.put("hidden", "8");
            valid.put("seqLength", "8");
            valid.put("steps", "3");
            FuzzReplies replies = new FuzzReplies(Set.of(202));
            SplittableRandom random = new SplittableRandom(281126);
            List<String> started = new ArrayList<>();
            assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
                for (int i = 0; i < CASES; i++) {
                    String body = mutate(valid, random);
                    Api.Reply r = api.postJson("/api/jobs", body);
                    replies.check("case " + i + ": " + body, r.status(), r.contentType(), r.text());
                    if (r.status() == 202) {
                        started.add(r.get("id").asText());
                        api.postJson("/api/jobs/" + r.get("id").asText() + "/cancel", "{}");
                    }
                }
            });
            assertTrue(replies.allRight(), replies.wrongAnswers());
            assertEquals(CASES, replies.accepted + replies.refused);
            assertTrue(replies.accepted > 0 && replies.refused > CASES / 2, replies.accepted + " / " + replies.refused);
            for (String id : started) TestTexts.awaitFinished(api, id, 60_000);
            assertEquals(200, api.get("/api/health").status());
        });
    }

    private static String mutate(Map<String, String> valid, SplittableRandom random) {
        Map<String, String> fields = new LinkedHashMap<>(valid);
        int changes = 1 + random.nextInt(3);
        StringBuilder extra = new StringBuilder();
        for (int k = 0; k < changes; k++) {
            String field = FIELDS[random.nextInt(FIELDS.length)];
            switch (random.nextInt(6)) {
                case 0 -> fields.remove(field);
                case 1 -> extra.append(",\"").append(random.nextBoolean() ? field : "hiden").append("\":")
                        .append(VALUES[random.nextInt(VALUES.length)]);   // repeated or unknown
                default -> fields.put(field, VALUES[random.nextInt(VALUES.length)]);
            }
        }
        StringBuilder json = new StringBuilder("{");
        fields.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append(Jackson.toString(k)).append(':').append(v));
        json.append(extra.length() > 0 && fields.isEmpty() ? extra.substring(1) : extra).append('}');
        String body = json.toString();
        int damage = random.nextInt(10);
        if (damage == 0) body = body.substring(0, random.nextInt(body.length()));
        if (damage == 1) {
            char[] chars = body.toCharArray();
            chars[random.nextInt(chars.length)] = (char) (32 + random.nextInt(95));
            body = new String(chars);
        }
        return body;
    }
}
