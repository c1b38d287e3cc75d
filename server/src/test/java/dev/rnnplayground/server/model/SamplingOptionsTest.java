package dev.rnnplayground.server.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.sample.SampleConfig;
import dev.rnnplayground.server.Api;
import dev.rnnplayground.server.RnnServer;
import dev.rnnplayground.server.ServerConfig;
import dev.rnnplayground.server.Services;
import dev.rnnplayground.server.common.Jackson;
import io.javalin.testtools.JavalinTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One set of sampling defaults and limits (core's SampleConfig), served to the page and kept by its state. */
class SamplingOptionsTest {

    @TempDir
    Path data;

    @Test
    void theOptionsAreServedWithTheAgreedValues() {
        ServerConfig config = ServerConfig.defaults(data);
        JavalinTest.test(RnnServer.create(config, Services.open(config, () -> null)), (server, client) -> {
            Api.Reply r = new Api(client).get("/api/sampling/options");
            assertEquals(200, r.status(), r.text());
            assertEquals(Jackson.MAPPER.readTree("{\"defaults\":{\"prime\":\"\",\"length\":200,\"temperature\":1.0,\"topK\":0,\"seed\":1},"
                    + "\"page\":{\"prime\":\"The \",\"length\":400,\"temperature\":0.8,\"topK\":0,\"seed\":1},"
                    + "\"limits\":{\"length\":{\"min\":0,\"max\":100000},\"serverLength\":{\"min\":0,\"max\":10000},"
                    + "\"temperature\":{\"min\":0,\"max\":100.0},\"topK\":{\"min\":0}},"
                    + "\"slider\":{\"temperature\":{\"min\":0,\"max\":2.0}}}").toString(),
                    r.json().toString());
            JsonNode o = r.json();
            assertEquals(SampleConfig.SLIDER_MAX_TEMPERATURE, o.get("slider").get("temperature").get("max").asDouble());
        });
    }

    /** A shared link leaves out the values equal to the page's defaults: they must be SampleConfig.PAGE's. */
    @Test
    void thePagesStateStartsFromSampleConfigPage() throws Exception {
        String state = Files.readString(Path.of("..", "web", "src", "main", "resources", "public", "js", "state.js"));
        SampleConfig page = SampleConfig.PAGE;
        assertEquals("\"" + page.prime() + "\"", value(state, "prime"));
        assertEquals(page.temperature(), Double.parseDouble(value(state, "temperature")));
        assertEquals(page.length(), Integer.parseInt(value(state, "length")));
        assertEquals(page.topK(), Integer.parseInt(value(state, "topK")));
        assertEquals(page.seed(), Long.parseLong(value(state, "seed")));
    }

    private static String value(String js, String key) {
        Matcher m = Pattern.compile("^\\s+" + key + ": ([^,]+),", Pattern.MULTILINE).matcher(js);
        assertTrue(m.find(), "state.js has no default for " + key);
        return m.group(1).strip();
    }
}
