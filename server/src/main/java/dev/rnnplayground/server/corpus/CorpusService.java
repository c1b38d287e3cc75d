package dev.rnnplayground.server.corpus;

import dev.rnnplayground.server.access.Identity;
import dev.rnnplayground.server.common.Names;

import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.server.common.AtomicFiles;
import dev.rnnplayground.server.common.BoundedRead;
import dev.rnnplayground.server.common.CreationTime;
import dev.rnnplayground.server.common.Ids;
import dev.rnnplayground.server.common.Jackson;
import dev.rnnplayground.server.common.Quarantine;
import dev.rnnplayground.server.common.ServiceException;
import dev.rnnplayground.server.common.Utf8Text;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training texts: checks an upload, stores it under {@code corpora/<id>/} ({@code text.txt} and
 * {@code corpus.json}), lists, reads and deletes them. A refused upload leaves nothing behind:
 * everything is checked in memory first, then written to a staging directory that is renamed
 * into place in one step.
 */
public final class CorpusService {

    private static final Logger LOG = LoggerFactory.getLogger(CorpusService.class);
    static final String TEXT_FILE = "text.txt";
    static final String META_FILE = "corpus.json";
    private static final int PREVIEW_SYMBOLS = 300;
    /**
     * The default cap on a vocabulary, for corpora and imported models alike: every symbol is an
     * input and an output unit, so the vocabulary sizes every logit buffer a model computes with.
     */
    public static final int MAX_DISTINCT_SYMBOLS = 2_000;

    /**
     * @param maxBytes           largest accepted upload
     * @param maxDistinctSymbols largest accepted vocabulary; every symbol is an input and an output unit
     */
    public record Limits(long maxBytes, int maxDistinctSymbols) {
        public static final Limits DEFAULT = new Limits(20L * 1024 * 1024, MAX_DISTINCT_SYMBOLS);
    }

    private final Path dir;
    private final Limits limits;
    private final Map<String, Corpus> byId = new ConcurrentHashMap<>();
    private volatile Predicate<String> inUse = id -> false;

    public CorpusService(Path dataDir, Limits limits) {
        this.dir = dataDir.resolve("corpora");
        this.limits = limits;
        load();
    }

    public Limits limits() {
        return limits;
    }

    /** Tells the service which corpora unfinished jobs still need, so they cannot be deleted. */
    public void setInUseCheck(Predicate<String> inUse) {
        this.inUse = inUse;
    }

    /** Checks and stores an upload read from {@code body}, as {@code who}'s. */
    public Corpus create(String name, InputStream body, Identity who) {
        return create(name, BoundedRead.readAtMost(body, limits.maxBytes, "the corpus"), who);
    }

    /** Checks and stores an upload, as {@code who}'s (the teacher's is shared). */
    public Corpus create(String name, byte[] bytes, Identity who) {
        if (bytes.length > limits.maxBytes) throw BoundedRead.tooLarge("the corpus", limits.maxBytes);
        boolean byteOrderMark = Utf8Text.hasByteOrderMark(bytes);
        if (bytes.length - (byteOrderMark ? 3 : 0) == 0) {
            throw new ServiceException(ServiceException.Kind.UNPROCESSABLE, "Empty corpus",
                    "The upload is empty; a model needs some text to learn from.");
        }
        String text;
        try {
            text = Utf8Text.decode(bytes);
        } catch (Utf8Text.MalformedException e) {
            throw new ServiceException(ServiceException.Kind.UNPROCESSABLE, "Not UTF-8 text",
                    "The upload is not valid UTF-8: " + e.where() + " does not fit. Save the text as UTF-8 and upload it again.");
        }
        Vocab vocab = Vocab.of(text);
        if (vocab.size() > limits.maxDistinctSymbols) {
            throw new ServiceException(ServiceException.Kind.UNPROCESSABLE, "Too many distinct symbols",
                    "The text has " + vocab.size() + " distinct symbols; the limit is "
                            + limits.maxDistinctSymbols + ". Every distinct symbol becomes an input and an"
                            + " output of the network.");
        }
        byte[] stored = byteOrderMark ? text.getBytes(StandardCharsets.UTF_8) : bytes;
        Corpus corpus = new Corpus(
                Ids.newId(Ids.Kind.CORPUS),
                cleanName(name),
                stored.length,
                text.codePointCount(0, text.length()),
                vocab.size(),
                vocab.symbols(),
                preview(text),
                sha256(stored),
                CreationTime.next(),
                who.owner());

        AtomicFiles.createDirectory(dir, corpus.id(), Map.of(TEXT_FILE, stored, META_FILE, Jackson.toBytes(corpus)));
        byId.put(corpus.id(), corpus);
        LOG.info("stored corpus {} '{}' ({} bytes, {} symbols)", corpus.id(), corpus.name(), corpus.sizeBytes(),
                corpus.distinctSymbols());
        return corpus;
    }

    /** The corpora {@code who} may see, newest first. */
    public List<Corpus> list(Identity who) {
        List<Corpus> all = new ArrayList<>(byId.values().stream().filter(c -> who.maySee(c.owner())).toList());
        all.sort(Comparator.comparing((Corpus c) -> Instant.parse(c.createdAt())).reversed().thenComparing(Corpus::id));
        return all;
    }

    public Corpus get(String id) {
        Corpus c = byId.get(Ids.require(Ids.Kind.CORPUS, id));
        if (c == null) throw ServiceException.notFound("corpus", id);
        return c;
    }

    /** As {@link #get(String)}, answered as missing (404) when {@code who} may not see it. */
    public Corpus get(String id, Identity who) {
        Corpus c = get(id);
        who.requireVisible(c.owner(), Ids.Kind.CORPUS, id);
        return c;
    }

    /** The training text of a corpus. */
    public String text(String id) {
        get(id);
        try {
            return Files.readString(dir.resolve(id).resolve(TEXT_FILE), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read corpus " + id, e);
        }
    }

    /**
     * Deletes a corpus no unfinished job uses. Under the corpus's lock (its stored description,
     * one object per corpus), so that of two deletes one
     * deletes and the other finds nothing (404), and a job being created on it waits or is refused.
     */
    public void delete(String id, Identity who) {
        Corpus corpus = get(id);
        who.requireChange(corpus.owner(), Ids.Kind.CORPUS, id);
        synchronized (corpus) {
            if (byId.get(id) != corpus) throw ServiceException.notFound("corpus", id);   // deleted while we waited
            if (inUse.test(id)) {
                throw new ServiceException(ServiceException.Kind.CONFLICT, "Corpus in use",
                        "Corpus " + id + " is used by a queued or running job; cancel the job first.");
            }
            // the files first: if that fails the corpus stays listed, as it stays on disk
            AtomicFiles.deleteTree(dir.resolve(id));
            byId.remove(id);
            LOG.info("deleted corpus {}", id);
        }
    }

    /**
     * Runs {@code work} on a corpus that cannot be deleted until it returns: a job is created
     * this way, so a delete racing it either comes first (the job is refused, 404) or after (the
     * delete is refused, 409: the job uses it).
     */
    public <T> T whileKept(String id, Function<Corpus, T> work) {
        Corpus corpus = get(id);
        synchronized (corpus) {
            if (byId.get(id) != corpus) throw ServiceException.notFound("corpus", id);
            return work.apply(corpus);
        }
    }

    private void load() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        AtomicFiles.sweepTemporaries(dir);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String id = entry.getFileName().toString();
                Path meta = entry.resolve(META_FILE);
                if (!Ids.isValid(Ids.Kind.CORPUS, id) || !Files.isRegularFile(meta)) {
                    LOG.warn("ignoring unexpected entry {}", entry);
                    continue;
                }
                try {
                    byId.put(id, Jackson.read(meta, Corpus.class));
                } catch (RuntimeException unreadable) {
                    Quarantine.move(dir.getParent(), "corpus", entry, unreadable);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static String preview(String text) {
        int end = text.offsetByCodePoints(0, Math.min(PREVIEW_SYMBOLS, text.codePointCount(0, text.length())));
        return text.substring(0, end);
    }

    static String cleanName(String name) {
        String n = Names.clean(name, "untitled.txt");
        // keep the last path segment of names like C:\texts\a.txt or ../a.txt
        n = n.substring(Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\')) + 1).strip();
        return n.isEmpty() ? "untitled.txt" : n;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
