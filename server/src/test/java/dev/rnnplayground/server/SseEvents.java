package dev.rnnplayground.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.server.common.Jackson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Parses a Server-Sent Events stream (as text) into its events; comments are skipped. */
public final class SseEvents {

    public record Event(long id, String type, JsonNode data) {
    }

    private SseEvents() {
    }

    public static List<Event> parse(String stream) {
        List<Event> out = new ArrayList<>();
        for (String block : stream.replace("\r\n", "\n").split("\n\n")) {
            String id = null, type = "message";
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\n")) {
                if (line.startsWith("id:")) id = line.substring(3).strip();
                else if (line.startsWith("event:")) type = line.substring(6).strip();
                else if (line.startsWith("data:")) data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).strip());
            }
            if (data.length() == 0) continue;
            try {
                out.add(new Event(id == null ? 0 : Long.parseLong(id), type, Jackson.MAPPER.readTree(data.toString())));
            } catch (IOException e) {
                throw new UncheckedIOException("event data is not JSON: " + data, e);
            }
        }
        return out;
    }
}
