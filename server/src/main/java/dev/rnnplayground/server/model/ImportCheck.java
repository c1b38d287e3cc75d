package dev.rnnplayground.server.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.train.Hyperparameter;
import dev.rnnplayground.server.common.Jackson;
import dev.rnnplayground.server.common.ServiceException;
import dev.rnnplayground.server.job.JobLimits;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * The server's own limits on an imported model file, on top of what the model reader checks. The
 * header is looked at before the weights are read, so a network too big for this server is
 * refused before its gigabytes are allocated; the weights, once read, must be finite numbers of a sane size.
 */
final class ImportCheck {
    /** The server's training limits bound imports too: what it would not train, it does not load. */
    private static final int MAX_HIDDEN = (int) JobLimits.SERVER.range(Hyperparameter.HIDDEN).max();
    private static final long MAX_PARAMETERS = JobLimits.SERVER.maxParameters();


    private ImportCheck() {
    }

    /**
     * Refuses a file whose header announces more hidden units or parameters than a job on this
     * server may train. A header this cannot read is left to the model reader, which words it.
     */
    static void checkSize(byte[] bytes) {
        JsonNode header = header(bytes);
        if (header == null) return;
        // a recurrent network's width is hidden_size, a gpt's n_embd: both bounded by the hidden limit
        for (String key : new String[] {"hidden_size", "n_embd"}) {
            JsonNode hidden = header.path("__metadata__").path(key);
            if (hidden.isTextual() && hidden.asText().matches("\\d{1,9}") && Integer.parseInt(hidden.asText()) > MAX_HIDDEN) {
                throw refusal(key, "The model has " + hidden.asText() + (key.equals("n_embd") ? " channels" : " hidden units")
                        + "; this server imports models of at most " + MAX_HIDDEN + ".");
            }
        }
        long parameters = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            JsonNode shape = it.next().getValue().path("shape");
            if (!shape.isArray()) continue;
            try {
                long count = 1;
                for (JsonNode d : shape) count = Math.multiplyExact(count, Math.max(0, d.asLong()));
                parameters = Math.addExact(parameters, count);
            } catch (ArithmeticException e) {
                parameters = Long.MAX_VALUE;
                break;
            }
        }
        if (parameters > MAX_PARAMETERS) {
            throw refusal("shape", "The model has " + parameters + " parameters; this server imports models of at most "
                    + MAX_PARAMETERS + ".");
        }
    }

    /**
     * Refuses a vocabulary larger than a corpus may have: every symbol is a row of the logits each
     * request computes, so a huge vocabulary on a tiny network passes the parameter cap and still
     * makes every request's buffers huge.
     */
    static void checkVocabulary(LanguageModel model, int maxVocabSize) {
        int size = model.vocab().size();
        if (size > maxVocabSize) {
            throw refusal("vocab", "The model has " + size + " symbols in its vocabulary; this server imports models of at"
                    + " most " + maxVocabSize + " (as many as a corpus may hold).");
        }
    }

    /**
     * Largest weight magnitude an import may hold. A trained network's weights stay far below 100;
     * one of 3.4e38 (float32's largest) passed as "finite", and its logits then overflowed so that
     * inspect reported a loss of 0.0. Nothing the server computes is meaningful past this.
     */
    static final double MAX_ABS_WEIGHT = 1e6;

    /** Refuses a network with a NaN, infinite or absurdly large weight: it could only ever answer NaN or nonsense. */
    static void checkWeights(LanguageModel model) {
        for (Param p : model.parameters()) {
            for (double w : p.w) {
                if (!(Math.abs(w) <= MAX_ABS_WEIGHT)) {   // also true for NaN
                    throw refusal(p.name, "The model's tensor " + p.name + " holds " + w + "; weights must be finite"
                            + " and at most " + (long) MAX_ABS_WEIGHT + " in size (a trained network's stay far below 100).");
                }
            }
        }
    }

    private static JsonNode header(byte[] bytes) {
        if (bytes.length < 8) return null;
        long length = 0;
        for (int i = 7; i >= 0; i--) length = (length << 8) | (bytes[i] & 0xff);
        if (length <= 0 || length > bytes.length - 8) return null;
        try {
            JsonNode node = Jackson.MAPPER.readTree(bytes, 8, (int) length);
            return node != null && node.isObject() ? node : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static ServiceException refusal(String field, String sentence) {
        return new ServiceException(ServiceException.Kind.INVALID, "Model not accepted", sentence, Map.of(field, sentence));
    }
}
