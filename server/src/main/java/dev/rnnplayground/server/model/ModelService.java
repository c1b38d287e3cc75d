package dev.rnnplayground.server.model;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.io.TensorFile;
import dev.rnnplayground.core.lab.Inspector;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.util.Deadline;
import dev.rnnplayground.server.access.Identity;
import dev.rnnplayground.server.common.Ids;
import dev.rnnplayground.server.common.Names;
import dev.rnnplayground.server.common.ServiceException;
import dev.rnnplayground.server.corpus.CorpusService;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model feature's one door: what the controller, the training jobs and the experiments call.
 * Trained and imported models: stores them (as the same {@code .safetensors} file {@code rnn train}
 * writes), lists and deletes them, and answers what a user asks a model: a sample, the next
 * character's probabilities, a look inside on a window of text. A file coming in is read and checked
 * by {@link ModelIntake}; a request is checked against its bounds before any work starts and run by
 * {@link Inference}.
 */
public final class ModelService {

    private static final Logger LOG = LoggerFactory.getLogger(ModelService.class);

    private final ModelStore store;
    private final ModelIntake intake;
    private final Inference inference;
    private final InferenceGate gate;

    public ModelService(Path dataDir, long maxModelBytes) {
        this(dataDir, maxModelBytes, CorpusService.MAX_DISTINCT_SYMBOLS, InferenceGate.forWorkers(1, InferenceGate.COMPUTE_MILLIS));
    }

    /**
     * @param maxModelBytes largest file an import may send
     * @param maxVocabSize  largest vocabulary an imported model may have (the corpus cap)
     * @param gate          how many requests compute at once, and for how long
     */
    public ModelService(Path dataDir, long maxModelBytes, int maxVocabSize, InferenceGate gate) {
        this.store = new ModelStore(dataDir);
        this.intake = new ModelIntake(store, maxModelBytes, maxVocabSize);
        this.inference = new Inference(this, gate);
        this.gate = gate;
    }

    /** All models, newest first, as the teacher sees them. */
    public List<ModelInfo> list() {
        return list(Identity.TEACHER);
    }

    /** The models {@code who} may see, newest first. */
    public List<ModelInfo> list(Identity who) {
        List<ModelInfo> all = new ArrayList<>(store.all().stream().filter(m -> who.maySee(m.owner())).toList());
        all.sort(Comparator.comparing((ModelInfo m) -> Instant.parse(m.createdAt())).reversed().thenComparing(ModelInfo::id));
        return all;
    }

    public ModelInfo get(String id) {
        ModelInfo m = store.find(Ids.require(Ids.Kind.MODEL, id));
        if (m == null) throw ServiceException.notFound("model", id);
        return m;
    }

    /** As {@link #get(String)}, answered as missing (404) when {@code who} may not see it. */
    public ModelInfo get(String id, Identity who) {
        ModelInfo m = get(id);
        who.requireVisible(m.owner(), Ids.Kind.MODEL, id);
        return m;
    }

    public void delete(String id, Identity who) {
        who.requireChange(get(id).owner(), Ids.Kind.MODEL, id);
        store.remove(id);
        LOG.info("deleted model {}", id);
    }

    /** Where the model's {@code .safetensors} file is, to stream it. */
    public Path weightsFile(String id) {
        get(id);
        return store.weightsFile(id);
    }

    /** A download name for the weights: the model's name in safe characters. */
    public String fileName(String id) {
        String base = get(id).name().replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[-.]+|-+$", "");
        return (base.isEmpty() ? id : base) + ".safetensors";
    }

    /**
     * The model a job stored at {@code steps}, if it got as far as storing one. A job can leave more
     * than one: Cancel keeps what it had trained (at step 120 of 1000, say), and after a Resume the
     * finished run is stored beside it; the step tells them apart.
     */
    public Optional<ModelInfo> findByJob(String jobId, long steps) {
        return store.all().stream().filter(m -> jobId.equals(m.jobId()) && m.steps() != null && m.steps() == steps).findFirst();
    }

    /**
     * Checks and stores an uploaded {@code .safetensors} file. The body is streamed into a staging
     * directory on the data disk (refused with 413 as soon as it passes the limit), read from there
     * once to be checked, and the directory is renamed into place: the file is never in memory twice.
     */
    public ModelInfo importFile(String name, InputStream body) {
        return importFile(name, body, Identity.TEACHER);
    }

    /** As {@link #importFile(String, InputStream)}, stored as {@code who}'s (the teacher's is shared). */
    public ModelInfo importFile(String name, InputStream body, Identity who) {
        ModelInfo info = intake.stage(body, (model, file, size) -> {
            Map<String, String> meta = file.metadata();
            return ModelIntake.describe(model, size, Names.clean(name, meta.getOrDefault("name", "imported model")),
                    meta.get("description"), "imported", meta, who.owner());
        });
        LOG.info("stored imported model {} '{}'", info.id(), info.name());
        return info;
    }

    /**
     * Stores the model a worker trained ({@code rnn serve --database}), streamed from the database,
     * under the id the worker gave it: staged, checked and renamed into place as an import is, so
     * a crash half-way leaves nothing listed. The file's notes give its description.
     */
    public ModelInfo addTrained(String id, InputStream weights, ModelInfo.Training t) {
        Optional<ModelInfo> existing = findByJob(t.jobId(), t.steps());
        if (existing.isPresent()) return existing.get();
        Ids.require(Ids.Kind.MODEL, id);
        ModelInfo info = intake.stage(weights, (model, file, size) -> ModelIntake.newModel(model, size).id(id).name(Names.clean(t.name(), "model"))
                .description(Names.description(file.metadata().get("description"))).source("trained")
                .trainLoss(t.trainLoss()).valLoss(t.valLoss()).corpusId(t.corpusId()).corpusName(t.corpusName())
                .jobId(t.jobId()).trainingSeconds(t.trainingSeconds()).steps(t.steps()).owner(t.owner()).build());
        LOG.info("stored model {} '{}' from job {}, trained by a worker", info.id(), info.name(), t.jobId());
        return info;
    }

    /** Stores what a job trained, to its end or until it was cancelled (F32, as {@code rnn train} writes by default). */
    public ModelInfo addTrained(LanguageModel model, ModelInfo.Training t) {
        Optional<ModelInfo> existing = findByJob(t.jobId(), t.steps());
        if (existing.isPresent()) return existing.get();   // a restart after the model was stored, or a second cancel at the same step
        byte[] bytes = ModelFile.write(model, DType.F32, t.notes());
        ModelInfo info = ModelIntake.newModel(model, bytes.length).name(Names.clean(t.name(), "model"))
                .description(Names.description(t.notes().get("description"))).source("trained")
                .trainLoss(t.trainLoss()).valLoss(t.valLoss()).corpusId(t.corpusId()).corpusName(t.corpusName())
                .jobId(t.jobId()).trainingSeconds(t.trainingSeconds()).steps(t.steps()).owner(t.owner()).build();
        store.add(info, bytes);
        LOG.info("stored model {} '{}' from job {}", info.id(), info.name(), t.jobId());
        return info;
    }

    /** Stores a model the server jar ships (the default and its companions). */
    ModelInfo addShipped(byte[] bytes, String name) {
        TensorFile file = ModelIntake.readTensors(bytes);
        Map<String, String> meta = file.metadata();
        ModelInfo info = ModelIntake.describe(ModelIntake.readModel(file), bytes.length, name, meta.get("description"), "default", meta, null);
        store.add(info, bytes);
        LOG.info("stored default model {} '{}'", info.id(), info.name());
        return info;
    }

    /** Writes {@code length} symbols after the prime (checked, then computed under the gate, {@link Inference}). */
    public SampleResult sample(String id, SampleRequest r) {
        return inference.sample(id, r);
    }

    /** The most likely next symbols after the prime, with their probabilities. */
    public PredictResult predict(String id, PredictRequest r) {
        return inference.predict(id, r);
    }

    /** A recurrent network's states (and, if asked, gates) at each symbol of a text. */
    public Inspector.Inspection inspect(String id, InspectRequest r) {
        return inference.inspect(id, r);
    }

    /**
     * Runs a computation on a stored model's network under the server's limits: a few at a time,
     * each until its deadline ({@link InferenceGate}).
     */
    public <T> T compute(Function<Deadline, T> work) {
        return gate.run(work);
    }

    /** One of the compute permits, held by background work until it releases it ({@link InferenceGate#hold}). */
    public InferenceGate.Held holdCompute(String busyMessage) {
        return gate.hold(busyMessage);
    }

    /** The stored model's network, shared and without gradient buffers: run it forward, or train a copy(). */
    public LanguageModel network(String id) {
        get(id);
        return store.network(id);
    }

    /**
     * The stored model, refused (400) unless it is a recurrent network: for the requests that look
     * inside one (its hidden state, gates, gradients through time). {@code view} starts the sentence.
     */
    public ModelInfo requireRecurrent(String id, String view) {
        ModelInfo info = get(id);
        if (!info.recurrent()) {
            throw ServiceException.invalid(view + " looks inside a recurrent network; this is a " + info.cell() + ".");
        }
        return info;
    }

    /** As {@link #network}, for a model {@link #requireRecurrent} has let through. */
    public CharRnn recurrentNetwork(String id) {
        return (CharRnn) network(id);
    }

    /** Refuses a request with one message per field ("field: what is wrong"). */
    public static void refuse(List<String> errors) {
        if (errors.isEmpty()) return;
        Map<String, String> byField = new java.util.LinkedHashMap<>();
        for (String e : errors) {
            int colon = e.indexOf(':');
            byField.putIfAbsent(e.substring(0, colon), e.substring(colon + 1).strip());
        }
        throw new ServiceException(ServiceException.Kind.INVALID, "Invalid request",
                String.join("; ", errors) + ".", byField);
    }
}
