package dev.rnnplayground.server;

import java.nio.charset.StandardCharsets;

/** Small training texts and helpers shared by the API tests. */
public final class TestTexts {

    private TestTexts() {
    }

    /** About 4 KB of verse: enough for small batches of short windows. */
    public static final String VERSE = ("""
            Shall I compare thee to a summer's day?
            Thou art more lovely and more temperate:
            Rough winds do shake the darling buds of May,
            And summer's lease hath all too short a date;
            Sometime too hot the eye of heaven shines,
            And often is his gold complexion dimm'd;
            And every fair from fair sometime declines,
            By chance or nature's changing course untrimm'd;
            But thy eternal summer shall not fade,
            Nor lose possession of that fair thou ow'st;
            Nor shall death brag thou wander'st in his shade,
            When in eternal lines to time thou grow'st:
            So long as men can breathe or eyes can see,
            So long lives this, and this gives life to thee.
            """).repeat(6);

    /** Uploads {@link #VERSE} and returns the corpus id. */
    public static String uploadVerse(Api api) {
        Api.Reply r = api.postText("/api/corpora?name=sonnet.txt", VERSE.getBytes(StandardCharsets.UTF_8));
        if (r.status() != 201) throw new AssertionError("upload failed: " + r.text());
        return r.get("id").asText();
    }

    /** Waits until the job is done, failed or cancelled, and returns it. */
    public static com.fasterxml.jackson.databind.JsonNode awaitFinished(Api api, String jobId, long timeoutMillis) {
        return Await.until(java.time.Duration.ofMillis(timeoutMillis), () -> api.get("/api/jobs/" + jobId).json(),
                j -> java.util.Set.of("done", "failed", "cancelled").contains(j.get("status").asText()));
    }
}
