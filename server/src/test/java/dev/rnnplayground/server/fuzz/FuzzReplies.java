package dev.rnnplayground.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.server.common.Jackson;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the fuzz tests accept as an answer: a success, or a 4xx problem document with a detail
 * sentence and no stack trace. Collects every other answer, so that a failure lists them all.
 */
final class FuzzReplies {

    private final Set<Integer> successes;
    private final List<String> wrong = new ArrayList<>();
    int accepted;
    int refused;

    FuzzReplies(Set<Integer> successes) {
        this.successes = successes;
    }

    void check(String what, int status, String contentType, String body) {
        if (successes.contains(status)) {
            accepted++;
            return;
        }
        if (status < 400 || status >= 500) {
            wrong.add(what + " -> " + status + ": " + shorten(body));
            return;
        }
        try {
            JsonNode problem = Jackson.MAPPER.readTree(body);
            boolean shaped = contentType != null && contentType.startsWith("application/problem+json")
                    && problem.path("status").asInt() == status && problem.hasNonNull("detail")
                    && !body.contains("Exception") && !body.contains("\tat ");
            if (!shaped) wrong.add(what + " -> " + status + " but not a problem document: " + shorten(body));
            refused++;
        } catch (Exception e) {
            wrong.add(what + " -> " + status + " with a body that is not JSON: " + shorten(body));
        }
    }

    /** Every wrong answer, one per line; empty when all were right. */
    String wrongAnswers() {
        return String.join("\n", wrong.subList(0, Math.min(20, wrong.size())))
                + (wrong.size() > 20 ? "\n… and " + (wrong.size() - 20) + " more" : "");
    }

    boolean allRight() {
        return wrong.isEmpty();
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
