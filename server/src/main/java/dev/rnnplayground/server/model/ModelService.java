package dev.rnnplayground.server.model;

import dev.rnnplayground.server.access.Identity;
import dev.rnnplayground.server.common.Names;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.io.ModelFormatException;
import dev.rnnplayground.core.io.SafeTensors;
import dev.rnnplayground.core.io.TensorFile;
import dev.rnnplayground.core.lab.Inspector;
import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.rnn.CharRnn;
import dev.rnnplayground.core.sample.SampleConfig;
import dev.rnnplayground.core.sample.Sampler;
import dev.rnnplayground.core.util.Deadline;
import dev.rnnplayground.server.common.AtomicFiles;
import dev.rnnplayground.server.common.BoundedRead;
import dev.rnnplayground.server.common.CreationTime;
import dev.rnnplayground.server.common.Ids;
import dev.rnnplayground.server.common.ServiceException;
import dev.rnnplayground.server.corpus.CorpusService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
 * Trained and imported models: stores them (as the same {@code .safetensors} file {@code rnn train}
 * writes), lists and deletes them, and answers what a user asks a model: a sample, the next
 * character's probabilities, a look inside on a window of text. Checks every request's bounds
 * before any work starts.
 */
public final class ModelService {

    private static final Logger LOG = LoggerFactory.getLogger(ModelService.class);
    /** A server's sample is shorter than {@link SampleConfig#MAX_LENGTH}: many people share its cores. */
    public static final int MAX_SAMPLE_LENGTH = 10_000;
    public static final int MAX_PRIME_LENGTH = 10_000;
    public static final int MAX_TOP = 1_000;
    public static final int MAX_INSPECT_SYMBOLS = Inspector.MAX_STEPS + 1;
    /** Activations one inspection returns at most (about 20 MB of JSON). */
    public static final long MAX_INSPECT_VALUES = 1_000_000;

    private final ModelStore store;
    private final long maxModelBytes;
    private final int maxVocabSize;
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
        this.maxModelBytes = maxModelBytes;
        this.maxVocabSize = maxVocabSize;
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
        ModelInfo info = stage(body, (model, file, size) -> {
            Map<String, String> meta = file.metadata();
            return describe(model, size, Names.clean(name, meta.getOrDefault("name", "imported model")),
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
        ModelInfo info = stage(weights, (model, file, size) -> newModel(model, size).id(id).name(Names.clean(t.name(), "model"))
                .description(Names.description(file.metadata().get("description"))).source("trained")
                .trainLoss(t.trainLoss()).valLoss(t.valLoss()).corpusId(t.corpusId()).corpusName(t.corpusName())
                .jobId(t.jobId()).trainingSeconds(t.trainingSeconds()).steps(t.steps()).owner(t.owner()).build());
        LOG.info("stored model {} '{}' from job {}, trained by a worker", info.id(), info.name(), t.jobId());
        return info;
    }

    /** What a staged file is listed as, once read and checked. */
    private interface Describe {
        ModelInfo of(LanguageModel model, TensorFile file, long sizeBytes);
    }

    /**
     * Streams {@code body} into a staging directory on the data disk (refused with 413 as soon as
     * it passes the limit), reads it from there once to check it, and renames the directory into
     * place: the file is never in memory twice.
     */
    private ModelInfo stage(InputStream body, Describe describe) {
        Path staging = store.stagingDirectory();
        try {
            Path weights = staging.resolve(ModelStore.WEIGHTS_FILE);
            long size = BoundedRead.copyAtMost(body, weights, maxModelBytes, "the model file");
            if (size == 0) throw ServiceException.invalid("The body is empty: send a .safetensors model file.");
            TensorFile file = readImport(weights);
            LanguageModel model = readModel(file);
            ImportCheck.checkVocabulary(model, maxVocabSize);
            ImportCheck.checkWeights(model);
            ModelInfo info = describe.of(model, file, size);
            store.addStaged(info, staging);
            return info;
        } finally {
            AtomicFiles.deleteRecursively(staging);   // nothing left once stored; a refused file goes here
        }
    }

    /** The uploaded file's tensors, after the server's size limits were checked on its header. */
    private static TensorFile readImport(Path weights) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(weights);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + weights, e);
        }
        ImportCheck.checkSize(bytes);
        return readTensors(bytes);
    }

    /** Stores what a job trained, to its end or until it was cancelled (F32, as {@code rnn train} writes by default). */
    public ModelInfo addTrained(LanguageModel model, ModelInfo.Training t) {
        Optional<ModelInfo> existing = findByJob(t.jobId(), t.steps());
        if (existing.isPresent()) return existing.get();   // a restart after the model was stored, or a second cancel at the same step
        byte[] bytes = ModelFile.write(model, DType.F32, t.notes());
        ModelInfo info = newModel(model, bytes.length).name(Names.clean(t.name(), "model"))
                .description(Names.description(t.notes().get("description"))).source("trained")
                .trainLoss(t.trainLoss()).valLoss(t.valLoss()).corpusId(t.corpusId()).corpusName(t.corpusName())
                .jobId(t.jobId()).trainingSeconds(t.trainingSeconds()).steps(t.steps()).owner(t.owner()).build();
        store.add(info, bytes);
        LOG.info("stored model {} '{}' from job {}", info.id(), info.name(), t.jobId());
        return info;
    }

    /** Stores a model the server jar ships (the default and its companions). */
    ModelInfo addShipped(byte[] bytes, String name) {
        TensorFile file = readTensors(bytes);
        Map<String, String> meta = file.metadata();
        ModelInfo info = describe(readModel(file), bytes.length, name, meta.get("description"), "default", meta, null);
        store.add(info, bytes);
        LOG.info("stored default model {} '{}'", info.id(), info.name());
        return info;
    }

    public SampleResult sample(String id, SampleRequest r) {
        String prime = r.prime() == null ? "" : r.prime();
        SampleConfig d = SampleConfig.DEFAULTS;
        int length = r.length() == null ? d.length() : r.length();
        double temperature = r.temperature() == null ? d.temperature() : r.temperature();
        int topK = r.topK() == null ? d.topK() : r.topK();
        long seed = r.seed() == null ? d.seed() : r.seed();
        List<String> errors = new ArrayList<>();
        checkPrime(prime, errors);
        errors.addAll(new SampleConfig(prime, length, temperature, topK, seed).validate(MAX_SAMPLE_LENGTH));
        RequestCost.check("length", prime.codePointCount(0, prime.length()) + (long) length, 1, 1, get(id), errors);
        refuse(errors);
        try {
            Sampler.Sample s = gate.run(deadline -> Sampler.sample(network(id),
                    new SampleConfig(prime, length, temperature, topK, seed), deadline));
            return new SampleResult(s.text(), prime, length, temperature, topK, seed, s.skippedSymbols());
        } catch (IllegalArgumentException e) {
            throw ServiceException.invalid(sentence(e.getMessage()));
        }
    }

    public PredictResult predict(String id, PredictRequest r) {
        String prime = r.prime() == null ? "" : r.prime();
        int top = r.top() == null ? 10 : r.top();
        List<String> errors = new ArrayList<>();
        checkPrime(prime, errors);
        if (top < 1 || top > MAX_TOP) errors.add("top: must be 1 to " + MAX_TOP + ", got " + top);
        RequestCost.check("prime", prime.codePointCount(0, prime.length()), 1, 1, get(id), errors);
        refuse(errors);
        try {
            Sampler.Prediction p = gate.run(deadline -> Sampler.predict(network(id), prime, top, deadline));
            return new PredictResult(prime, p.candidates(), p.skippedSymbols());
        } catch (IllegalArgumentException e) {
            throw ServiceException.invalid(sentence(e.getMessage()));
        }
    }

    public Inspector.Inspection inspect(String id, InspectRequest r) {
        String text = r.text() == null ? "" : r.text();
        int symbols = text.codePointCount(0, text.length());
        ModelInfo info = requireRecurrent(id, "Inspect");
        boolean withGates = Boolean.TRUE.equals(r.gates());
        int limit = inspectLimit(info, withGates);
        if (symbols > limit) {
            refuse(List.of("text: may hold at most " + limit + " symbols for this model, got " + symbols));
        }
        List<String> errors = new ArrayList<>();
        RequestCost.check("text", symbols, 3, symbols, info, errors);
        refuse(errors);
        try {
            Inspector.Inspection inspection = gate.run(deadline -> Inspector.inspect(recurrentNetwork(id), text, deadline));
            return withGates ? inspection : inspection.withoutGates();
        } catch (IllegalArgumentException e) {
            throw new ServiceException(ServiceException.Kind.INVALID, "Invalid request", sentence(e.getMessage()),
                    Map.of("text", e.getMessage()));
        }
    }

    /**
     * Most symbols {@code inspect} takes for a model: {@value #MAX_INSPECT_SYMBOLS}, fewer for a big
     * network, so that the activations returned stay within {@value #MAX_INSPECT_VALUES} numbers.
     */
    static int inspectLimit(ModelInfo m) {
        return inspectLimit(m, false);
    }

    /** As {@link #inspectLimit(ModelInfo)}; with the gates, each step also returns G values per unit. */
    static int inspectLimit(ModelInfo m, boolean withGates) {
        CellType cell = CellType.parse(m.cell());
        int statesPerUnit = cell == CellType.LSTM ? 2 : 1;   // h, and an LSTM's c
        long perStep = (long) m.hidden() * m.layers() * (statesPerUnit + (withGates ? cell.gates() : 0));
        return (int) Math.max(2, Math.min(MAX_INSPECT_SYMBOLS, 1 + MAX_INSPECT_VALUES / perStep));
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

    private static ModelInfo describe(LanguageModel model, long sizeBytes, String name, String description, String source,
                                      Map<String, String> meta, String owner) {
        // what a file says is cut to the lengths the server stores, so the listing stays small and reads back
        return newModel(model, sizeBytes).name(name).description(Names.description(description)).source(source)
                .trainLoss(number(meta, "train_loss")).valLoss(number(meta, "val_loss"))
                .corpusName(meta.get("corpus") == null ? null : Names.clean(meta.get("corpus"), ""))
                .trainingSeconds(number(meta, "training_seconds")).steps(wholeNumber(meta, "steps")).owner(owner).build();
    }

    /** A new model's id, creation time and what its network and file say; the caller adds where it came from. */
    private static ModelInfo.Builder newModel(LanguageModel model, long sizeBytes) {
        Architecture shape = Architecture.fromShape(model.shape(), ModelFile.MAX_HIDDEN_SIZE);
        return new ModelInfo.Builder().id(Ids.newId(Ids.Kind.MODEL)).createdAt(CreationTime.next())
                .cell(model.kind().id()).hidden(shape.hidden()).layers(shape.layers())
                .shape(model.shape()).architecture(Architecture.describe(model.shape()))
                .vocabSize(model.vocab().size()).parameterCount(model.parameterCount())
                .sizeBytes(sizeBytes).alphabet(alphabet(model));
    }

    private static String alphabet(LanguageModel model) {
        return String.join("", model.vocab().symbols());
    }

    private static TensorFile readTensors(byte[] bytes) {
        try {
            return SafeTensors.read(bytes);
        } catch (ModelFormatException e) {
            throw notAModel(e);
        }
    }

    private static LanguageModel readModel(TensorFile file) {
        try {
            return ModelFile.modelFromTensorsForInference(file);   // checked and described, never trained
        } catch (ModelFormatException e) {
            throw notAModel(e);
        }
    }

    private static ServiceException notAModel(ModelFormatException e) {
        return new ServiceException(ServiceException.Kind.INVALID, "Not a model file",
                "The file is not a valid RNN Playground model: " + e.getMessage() + ".");
    }

    private static void checkPrime(String prime, List<String> errors) {
        int n = prime.codePointCount(0, prime.length());
        if (n > MAX_PRIME_LENGTH) errors.add("prime: may hold at most " + MAX_PRIME_LENGTH + " symbols, got " + n);
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

    private static String sentence(String message) {
        String m = message.isEmpty() ? message : Character.toUpperCase(message.charAt(0)) + message.substring(1);
        return m.endsWith(".") ? m : m + ".";
    }


    private static Double number(Map<String, String> meta, String key) {
        try {
            double v = Double.parseDouble(meta.get(key));
            return Double.isFinite(v) ? v : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Long wholeNumber(Map<String, String> meta, String key) {
        try {
            return Long.parseLong(meta.get(key));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
