package dev.rnnplayground.client;

import dev.rnnplayground.core.model.LanguageModel;
import java.util.HashMap;
import java.util.Map;

/**
 * The numbers the page holds instead of Java objects: every loaded model and every writing session
 * sits in a table here under an integer handle, and {@link BrowserEntry} looks the number up on each
 * call (an unknown one finds null). Models and sessions draw their handles from one counter, so a
 * handle never names both, and 0 is left free to mean "failed".
 */
final class Handles {

    private static final Map<Integer, LanguageModel> models = new HashMap<>();
    private static final Map<Integer, WritingSession> sessions = new HashMap<>();
    private static int nextHandle = 1;

    private Handles() {
    }

    static int addModel(LanguageModel model) {
        return add(models, model);
    }

    static LanguageModel model(int handle) {
        return models.get(handle);
    }

    /** Forgets a model and every session writing with it: a session cannot outlive its model. */
    static void removeModel(int handle) {
        models.remove(handle);
        sessions.values().removeIf(s -> !models.containsValue(s.model()));
    }

    static int addSession(WritingSession session) {
        return add(sessions, session);
    }

    static WritingSession session(int handle) {
        return sessions.get(handle);
    }

    static void removeSession(int handle) {
        sessions.remove(handle);
    }

    private static <T> int add(Map<Integer, T> table, T value) {
        int handle = nextHandle++;
        table.put(handle, value);
        return handle;
    }
}
