package dev.rnnplayground.server.model;

import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.io.ModelFormatException;
import dev.rnnplayground.core.io.SafeTensors;
import dev.rnnplayground.core.io.TensorFile;
import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.server.common.AtomicFiles;
import dev.rnnplayground.server.common.BoundedRead;
import dev.rnnplayground.server.common.CreationTime;
import dev.rnnplayground.server.common.Ids;
import dev.rnnplayground.server.common.Names;
import dev.rnnplayground.server.common.ServiceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How a model file gets into the {@link ModelStore}: an upload, a model a worker trained and the
 * models the server jar ships all arrive as {@code .safetensors} bytes, which are read, checked
 * ({@link ImportCheck}) and turned into the {@link ModelInfo} the listing shows. {@link ModelService}
 * decides what a file is listed as (imported, trained, default); this class does the reading and
 * the checking, so that no file the server did not write itself is stored unchecked.
 */
final class ModelIntake {

    private final ModelStore store;
    private final long maxModelBytes;
    private final int maxVocabSize;

    /**
     * @param maxModelBytes largest file an import may send
     * @param maxVocabSize  largest vocabulary an imported model may have (the corpus cap)
     */
    ModelIntake(ModelStore store, long maxModelBytes, int maxVocabSize) {
        this.store = store;
        this.maxModelBytes = maxModelBytes;
        this.maxVocabSize = maxVocabSize;
    }

    /** What a staged file is listed as, once read and checked. */
    interface Describe {
        ModelInfo of(LanguageModel model, TensorFile file, long sizeBytes);
    }

    /**
     * Streams {@code body} into a staging directory on the data disk (refused with 413 as soon as
     * it passes the limit), reads it from there once to check it, and renames the directory into
     * place: the file is never in memory twice.
     */
    ModelInfo stage(InputStream body, Describe describe) {
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

    static TensorFile readTensors(byte[] bytes) {
        try {
            return SafeTensors.read(bytes);
        } catch (ModelFormatException e) {
            throw notAModel(e);
        }
    }

    static LanguageModel readModel(TensorFile file) {
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

    /** The listing of a model that brings its own notes (an import, a shipped model): losses, corpus, steps. */
    static ModelInfo describe(LanguageModel model, long sizeBytes, String name, String description, String source,
                              Map<String, String> meta, String owner) {
        // what a file says is cut to the lengths the server stores, so the listing stays small and reads back
        return newModel(model, sizeBytes).name(name).description(Names.description(description)).source(source)
                .trainLoss(number(meta, "train_loss")).valLoss(number(meta, "val_loss"))
                .corpusName(meta.get("corpus") == null ? null : Names.clean(meta.get("corpus"), ""))
                .trainingSeconds(number(meta, "training_seconds")).steps(wholeNumber(meta, "steps")).owner(owner).build();
    }

    /** A new model's id, creation time and what its network and file say; the caller adds where it came from. */
    static ModelInfo.Builder newModel(LanguageModel model, long sizeBytes) {
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
