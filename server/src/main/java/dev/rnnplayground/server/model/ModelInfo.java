package dev.rnnplayground.server.model;

/**
 * What the server knows about a stored model; kept as {@code model.json} next to the weights
 * ({@code model.safetensors}). Losses are in nats per character; fields that do not apply (an
 * imported file has no training history) are null.
 *
 * @param id              server-made id, {@code m_} and 12 hex digits
 * @param name            for people; the job's name or the imported file's {@code ?name=}
 * @param description     a sentence about the model, or null
 * @param source          {@code trained}, {@code imported} or {@code default}
 * @param cell            rnn, lstm or gru
 * @param hidden          units per layer
 * @param layers          stacked recurrent layers
 * @param vocabSize       distinct symbols the model reads and writes
 * @param parameterCount  weights and biases in all
 * @param trainLoss       mean training loss over the last steps
 * @param valLoss         loss on the held-out text at the end of training
 * @param corpusId        the corpus it was trained on
 * @param corpusName      that corpus's name, kept in case the corpus is deleted
 * @param jobId           the training job that made it
 * @param createdAt       ISO-8601 instant
 * @param trainingSeconds wall-clock training time, summed over restarts
 * @param steps           optimizer steps trained
 * @param sizeBytes       size of the {@code .safetensors} file
 * @param alphabet        the model's symbols in vocabulary order, as one string (null for models
 *                        stored before this was recorded); tells which models read the same text
 */
public record ModelInfo(
        String id,
        String name,
        String description,
        String source,
        String cell,
        int hidden,
        int layers,
        int vocabSize,
        long parameterCount,
        Double trainLoss,
        Double valLoss,
        String corpusId,
        String corpusName,
        String jobId,
        String createdAt,
        Double trainingSeconds,
        Long steps,
        long sizeBytes,
        String alphabet) {

    /**
     * Where a trained model came from, as the job runner reports it; {@code notes} go into the
     * file's metadata, and their {@code description} becomes the model's.
     */
    public record Training(String name, String corpusId, String corpusName, String jobId, Double trainLoss,
                           Double valLoss, double trainingSeconds, long steps, java.util.Map<String, String> notes) {
    }
}
