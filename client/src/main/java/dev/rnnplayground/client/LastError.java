package dev.rnnplayground.client;

/**
 * Why the page's last call failed. Nothing {@link BrowserEntry} exports throws into the page: each
 * export catches what core throws, keeps its message here and returns 0 (or an empty result), and
 * the page asks {@link BrowserEntry#lastError()} for the sentence to show. A call that succeeds
 * clears it, so the page never reads a stale reason.
 */
final class LastError {

    private static String message = "";

    private LastError() {
    }

    static String message() {
        return message;
    }

    static void clear() {
        message = "";
    }

    /** Keeps the exception's message (its class name when it has none); returns 0, a failed handle. */
    static int fail(RuntimeException e) {
        String m = e.getMessage();
        return fail(m == null || m.isBlank() ? e.getClass().getSimpleName() : m);
    }

    static int fail(String reason) {
        message = reason;
        return 0;
    }
}
