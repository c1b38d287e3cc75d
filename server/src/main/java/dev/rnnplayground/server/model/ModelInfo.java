package dev.rnnplayground.server.model;

import static dev.rnnplayground.server.common.Jackson.required;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.CellType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the server knows about a stored model; kept as {@code model.json} next to the weights
 * ({@code model.safetensors}), and its fields, in this order, are that JSON. Losses are in nats
 * per character; fields that do not apply (an imported file has no training history) are null.
 * Twenty-two fields are too many to pass by position, hence the builder; Jackson reads
 * {@code model.json} through it as well.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
@JsonDeserialize(builder = ModelInfo.Builder.class)
public final class ModelInfo {

    /** Server-made id, {@code m_} and 12 hex digits. */
    private final String id;
    /** For people; the job's name or the imported file's {@code ?name=}. */
    private final String name;
    /** A sentence about the model, or null. */
    private final String description;
    /** {@code trained}, {@code imported} or {@code default}. */
    private final String source;
    /** rnn, lstm, gru, gpt or bigram. */
    private final String cell;
    /** Units per layer (a gpt's embedding width, n_embd). */
    private final int hidden;
    /** Stacked recurrent layers (a gpt's transformer blocks, n_layer). */
    private final int layers;
    /**
     * The shape as the model file's metadata says it ({@code Architecture.shape()}: a gpt's
     * n_layer, n_head, n_embd, block_size, bias); null for models stored before it was recorded.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)   // left out when unknown, so an older record is rewritten as it was
    private final Map<String, String> shape;
    /** The shape in words ({@code Architecture.describe}), for people; null as {@link #shape}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private final String architecture;
    /** Distinct symbols the model reads and writes. */
    private final int vocabSize;
    /** Weights and biases in all. */
    private final long parameterCount;
    /** Mean training loss over the last steps. */
    private final Double trainLoss;
    /** Loss on the held-out text at the end of training. */
    private final Double valLoss;
    /** The corpus it was trained on. */
    private final String corpusId;
    /** That corpus's name, kept in case the corpus is deleted. */
    private final String corpusName;
    /** The training job that made it. */
    private final String jobId;
    /** ISO-8601 instant. */
    private final String createdAt;
    /** Wall-clock training time, summed over restarts. */
    private final Double trainingSeconds;
    /** Optimizer steps trained. */
    private final Long steps;
    /** Size of the {@code .safetensors} file. */
    private final long sizeBytes;
    /**
     * The model's symbols in vocabulary order, as one string (null for models stored before this
     * was recorded); tells which models read the same text.
     */
    private final String alphabet;
    /** The learner who trained or imported it; absent for the teacher's and the shipped ones, which every learner sees. */
    @JsonInclude(JsonInclude.Include.NON_NULL)   // so a model.json written before there were learners is rewritten as it was
    private final String owner;

    private ModelInfo(Builder b) {
        id = b.id;
        name = b.name;
        description = b.description;
        source = b.source;
        cell = b.cell;
        hidden = required(b.hidden, "hidden");
        layers = required(b.layers, "layers");
        shape = b.shape == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.shape));
        architecture = b.architecture;
        vocabSize = required(b.vocabSize, "vocabSize");
        parameterCount = required(b.parameterCount, "parameterCount");
        trainLoss = b.trainLoss;
        valLoss = b.valLoss;
        corpusId = b.corpusId;
        corpusName = b.corpusName;
        jobId = b.jobId;
        createdAt = b.createdAt;
        trainingSeconds = b.trainingSeconds;
        steps = b.steps;
        sizeBytes = required(b.sizeBytes, "sizeBytes");
        alphabet = b.alphabet;
        owner = b.owner;
    }

    public String id() { return id; }
    public String name() { return name; }
    public String description() { return description; }
    public String source() { return source; }
    public String cell() { return cell; }
    public int hidden() { return hidden; }
    public int layers() { return layers; }
    public Map<String, String> shape() { return shape; }
    public String architecture() { return architecture; }
    public int vocabSize() { return vocabSize; }
    public long parameterCount() { return parameterCount; }
    public Double trainLoss() { return trainLoss; }
    public Double valLoss() { return valLoss; }
    public String corpusId() { return corpusId; }
    public String corpusName() { return corpusName; }
    public String jobId() { return jobId; }
    public String createdAt() { return createdAt; }
    public Double trainingSeconds() { return trainingSeconds; }
    public Long steps() { return steps; }
    public long sizeBytes() { return sizeBytes; }
    public String alphabet() { return alphabet; }
    public String owner() { return owner; }

    /**
     * The model's shape, from what its file said ({@link #shape}), or for a model stored before
     * that was recorded (always a recurrent network) from its cell, hidden and layers.
     */
    public Architecture toArchitecture() {
        if (shape != null) return Architecture.fromShape(shape, ModelFile.MAX_HIDDEN_SIZE);
        return Architecture.of(CellType.parse(cell), hidden, layers);
    }

    /** Whether the model has a hidden state to look inside (an rnn, lstm or gru). */
    public boolean recurrent() {
        return CellType.parse(cell).recurrent();
    }

    @Override
    public String toString() {
        return "ModelInfo[" + id + " " + cell + " " + layers + "x" + hidden + " '" + name + "']";
    }

    /**
     * Sets fields by name. The sizes ({@code hidden}, {@code layers}, {@code vocabSize},
     * {@code parameterCount}, {@code sizeBytes}) must be set: held boxed so that a
     * {@code model.json} without one is refused, as it always was.
     */
    @JsonPOJOBuilder(withPrefix = "")
    static final class Builder {
        private String id, name, description, source, cell, architecture, corpusId, corpusName, jobId, createdAt, alphabet, owner;
        private Map<String, String> shape;
        private Integer hidden, layers, vocabSize;
        private Long parameterCount, steps, sizeBytes;
        private Double trainLoss, valLoss, trainingSeconds;

        Builder id(String v) { id = v; return this; }
        Builder name(String v) { name = v; return this; }
        Builder description(String v) { description = v; return this; }
        Builder source(String v) { source = v; return this; }
        Builder cell(String v) { cell = v; return this; }
        Builder hidden(int v) { hidden = v; return this; }
        Builder layers(int v) { layers = v; return this; }
        Builder shape(Map<String, String> v) { shape = v; return this; }
        Builder architecture(String v) { architecture = v; return this; }
        Builder vocabSize(int v) { vocabSize = v; return this; }
        Builder parameterCount(long v) { parameterCount = v; return this; }
        Builder trainLoss(Double v) { trainLoss = v; return this; }
        Builder valLoss(Double v) { valLoss = v; return this; }
        Builder corpusId(String v) { corpusId = v; return this; }
        Builder corpusName(String v) { corpusName = v; return this; }
        Builder jobId(String v) { jobId = v; return this; }
        Builder createdAt(String v) { createdAt = v; return this; }
        Builder trainingSeconds(Double v) { trainingSeconds = v; return this; }
        Builder steps(Long v) { steps = v; return this; }
        Builder sizeBytes(long v) { sizeBytes = v; return this; }
        Builder alphabet(String v) { alphabet = v; return this; }
        Builder owner(String v) { owner = v; return this; }

        ModelInfo build() {
            return new ModelInfo(this);
        }
    }

    /**
     * Where a trained model came from, as the job runner reports it; {@code notes} go into the
     * file's metadata, and their {@code description} becomes the model's; {@code owner} is the job's
     * (a learner's name, null for the teacher).
     */
    public record Training(String name, String corpusId, String corpusName, String jobId, Double trainLoss,
                           Double valLoss, double trainingSeconds, long steps, Map<String, String> notes, String owner) {
    }
}
