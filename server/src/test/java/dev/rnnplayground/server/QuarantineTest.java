package dev.rnnplayground.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.server.common.Names;
import io.javalin.testtools.JavalinTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, finding 2: an import with a 20-million-character description was accepted, and every
 * later start failed on it. A file's texts are now cut to the lengths the server stores, and a
 * start that meets an object it cannot read moves it to {@code quarantine/} (listed, never
 * deleted) and starts without it.
 */
class QuarantineTest {

    @TempDir
    Path data;

    private void withServer(io.javalin.testtools.TestCase test) {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), test);
    }

    @Test
    void aStartMovesUnreadableObjectsAsideAndListsThem() throws Exception {
        write("models/m_0123456789ab/model.json", "{\"id\": \"m_0123456789ab\", \"name\": ");   // cut short
        write("models/m_0123456789ab/model.safetensors", "not a model");
        write("corpora/c_0123456789ab/corpus.json", "[1, 2, 3]");
        write("corpora/c_0123456789ab/text.txt", "some text");
        write("jobs/j_0123456789ab/job.json", "\u0000\u0001 garbage");

        withServer((server, client) -> {
            Api api = new Api(client);
            assertEquals(0, api.get("/api/models").json().size());
            assertEquals(0, api.get("/api/corpora").json().size());
            JsonNode quarantined = api.get("/api/quarantine").json();
            Set<String> kinds = new HashSet<>();
            for (JsonNode e : quarantined) {
                kinds.add(e.get("kind").asText() + " " + e.get("id").asText());
                assertTrue(e.get("reason").asText().contains("could not read"), e.toString());
                assertTrue(Files.isDirectory(data.resolve("quarantine").resolve(e.get("name").asText())), e.toString());
            }
            assertEquals(Set.of("model m_0123456789ab", "corpus c_0123456789ab", "job j_0123456789ab"), kinds);
        });
        // nothing is deleted: the text is still there to rescue, and the next start opens as well
        try (var files = Files.walk(data.resolve("quarantine"))) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().equals("text.txt")));
        }
        withServer((server, client) -> assertEquals(3, new Api(client).get("/api/quarantine").json().size()));
    }

    @Test
    void aModelFilesLongTextsAreCutSoTheDataDirectoryReopens() {
        String description = "d".repeat(3 * Names.MAX_DESCRIPTION_LENGTH);
        String corpus = "c".repeat(10 * Names.MAX_LENGTH);
        byte[] file = ModelFile.write(new CharRnn(CellType.RNN, Vocab.of("ab"), 2, 1).initialize(1), DType.F32,
                Map.of("description", description, "corpus", corpus));
        String[] id = new String[1];
        withServer((server, client) -> {
            Api.Reply r = new Api(client).post("/api/models", file, "application/octet-stream");
            assertEquals(201, r.status(), r.text());
            id[0] = r.get("id").asText();
        });
        withServer((server, client) -> {
            JsonNode model = new Api(client).get("/api/models/" + id[0]).json();
            assertEquals(Names.MAX_DESCRIPTION_LENGTH, model.get("description").asText().length());
            assertEquals(Names.MAX_LENGTH, model.get("corpusName").asText().length());
        });
    }

    private void write(String relative, String content) throws Exception {
        Path file = data.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
