package dev.rnnplayground.server.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.server.Api;
import dev.rnnplayground.server.RnnServer;
import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.Services;
import io.javalin.testtools.JavalinTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 model files made from one valid file by seeded mutations (bytes flipped, cut short,
 * garbage appended, the header length changed, numbers and names in the header changed, NaN and
 * infinite weights), each sent to {@code POST /api/models}: every answer is a 201 or a 4xx problem
 * document, never a 5xx or a hang, and the server still samples afterwards.
 */
class ModelFileFuzzTest {

    private static final int CASES = 1_000;
    private static final String[] HEADER_REPLACEMENTS = {"0", "-1", "4097", "99999999999999999999", "1e400", "\"x\"",
            "null", "[]", "{}", "\"F16\"", "\"I64\"", "\"lstm\"", "\"gru\"", "\"rnn\"", "\"2\"", "true", "\"\"",
            "[1,2]", "[0]", "[-3,4]", "[4294967296,4]", "\"\\u0000\""};

    @TempDir
    Path data;

    @Test
    void everyMutatedModelFileIsAnsweredCleanly() {
        ServerConfig config = ServerConfig.defaults(data).withMaxModelBytes(64 * 1024);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            Api api = new Api(client);
            byte[] valid = ModelFile.write(new CharRnn(CellType.GRU, Vocab.of("ab c."), 6, 2).initialize(9), DType.F32);
            FuzzReplies replies = new FuzzReplies(Set.of(201));
            SplittableRandom random = new SplittableRandom(20261128);
            assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
                for (int i = 0; i < CASES; i++) {
                    byte[] file = mutate(valid, random);
                    Api.Reply r = api.post("/api/models?name=fuzz", file, "application/octet-stream");
                    replies.check("case " + i, r.status(), r.contentType(), r.text());
                    if (r.status() == 201) api.delete("/api/models/" + r.get("id").asText());
                }
            });
            assertTrue(replies.allRight(), replies.wrongAnswers());
            assertEquals(CASES, replies.accepted + replies.refused);
            assertTrue(replies.refused > CASES / 2, "most mutations must be refused: " + replies.refused);
            // the server is still whole
            String id = api.post("/api/models?name=valid", valid, "application/octet-stream").get("id").asText();
            assertEquals(200, api.postJson("/api/models/" + id + "/sample", "{\"length\":20}").status());
        });
    }

    static byte[] mutate(byte[] valid, SplittableRandom random) {
        byte[] file = valid.clone();
        int headerLength = (int) ByteBuffer.wrap(valid, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        switch (random.nextInt(8)) {
            case 0 -> {   // flip a few bytes anywhere
                for (int k = 1 + random.nextInt(4); k > 0; k--) file[random.nextInt(file.length)] ^= (byte) (1 + random.nextInt(255));
            }
            case 1 -> file = Arrays.copyOf(file, random.nextInt(file.length));   // cut short
            case 2 -> {   // garbage appended
                byte[] longer = Arrays.copyOf(file, file.length + 1 + random.nextInt(64));
                for (int k = file.length; k < longer.length; k++) longer[k] = (byte) random.nextInt(256);
                file = longer;
            }
            case 3 -> {   // another header length
                long[] lengths = {0, 1, headerLength - 1, headerLength + 1, file.length, Long.MAX_VALUE, -1, 1L << 40};
                ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(lengths[random.nextInt(lengths.length)]);
            }
            case 4, 5 -> file = withHeader(valid, headerLength, replaceValue(header(valid, headerLength), random));
            case 6 -> {   // a NaN or an infinity among the weights
                int at = 8 + headerLength + 4 * random.nextInt((valid.length - 8 - headerLength) / 4);
                float bad = new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}[random.nextInt(3)];
                ByteBuffer.wrap(file, at, 4).order(ByteOrder.LITTLE_ENDIAN).putFloat(bad);
            }
            default -> {   // a byte of the header flipped (JSON syntax, names, shapes)
                file[8 + random.nextInt(headerLength)] ^= (byte) (1 + random.nextInt(127));
            }
        }
        return file;
    }

    private static String header(byte[] file, int headerLength) {
        return new String(file, 8, headerLength, StandardCharsets.UTF_8);
    }

    /** One JSON value of the header (a number, a string, an array) replaced by another. */
    private static String replaceValue(String header, SplittableRandom random) {
        for (int attempt = 0; attempt < 20; attempt++) {
            int at = random.nextInt(header.length());
            char c = header.charAt(at);
            if (c != ':') continue;
            int start = at + 1;
            int end = start;
            int depth = 0;
            boolean inString = false;
            for (; end < header.length(); end++) {
                char d = header.charAt(end);
                if (inString) {
                    if (d == '\\') end++;
                    else if (d == '"') inString = false;
                } else if (d == '"') {
                    inString = true;
                } else if (d == '[' || d == '{') {
                    depth++;
                } else if (d == ']' || d == '}') {
                    if (depth == 0) break;
                    depth--;
                } else if (d == ',' && depth == 0) {
                    break;
                }
            }
            String replacement = HEADER_REPLACEMENTS[random.nextInt(HEADER_REPLACEMENTS.length)];
            return header.substring(0, start) + replacement + header.substring(end);
        }
        return header + " ";
    }

    private static byte[] withHeader(byte[] valid, int oldLength, String header) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + h.length + valid.length - 8 - oldLength).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(h.length).put(h).put(valid, 8 + oldLength, valid.length - 8 - oldLength);
        return out.array();
    }
}
