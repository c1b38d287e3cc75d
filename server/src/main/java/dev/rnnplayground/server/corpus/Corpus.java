package dev.rnnplayground.server.corpus;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What the server knows about an uploaded training text; stored as {@code corpus.json} next to
 * the text itself.
 *
 * @param id              server-made id, {@code c_} and 12 hex digits
 * @param name            the file name or {@code ?name=} given at upload, for people
 * @param sizeBytes       size of the UTF-8 text
 * @param symbolCount     number of Unicode code points (the model's characters)
 * @param distinctSymbols size of the vocabulary
 * @param vocabulary      the distinct symbols, sorted by code point
 * @param preview         the first few hundred symbols
 * @param sha256          hex digest of the stored bytes
 * @param createdAt       ISO-8601 instant of the upload
 * @param owner           the learner who uploaded it; absent for the teacher's, which every learner sees
 */
public record Corpus(
        String id,
        String name,
        long sizeBytes,
        long symbolCount,
        int distinctSymbols,
        List<String> vocabulary,
        String preview,
        String sha256,
        String createdAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String owner) {
}
