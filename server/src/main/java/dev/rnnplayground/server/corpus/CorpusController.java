package dev.rnnplayground.server.corpus;

import dev.rnnplayground.server.common.BoundedRead;
import dev.rnnplayground.server.common.ServiceException;
import dev.rnnplayground.server.common.StorageFailure;
import dev.rnnplayground.server.http.AccessGuard;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** HTTP for {@code /api/corpora}: reads the request, calls {@link CorpusService}, writes JSON. */
public final class CorpusController {

    /** Room for multipart boundaries and part headers around the file itself. */
    private static final long MULTIPART_OVERHEAD = 64 * 1024;

    private final CorpusService corpora;

    public CorpusController(CorpusService corpora) {
        this.corpora = corpora;
    }

    /** {@code POST /api/corpora}: multipart field "file", or a text/plain body with {@code ?name=}. */
    public void create(Context ctx) {
        String contentType = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase();
        Corpus corpus;
        if (contentType.startsWith("multipart/form-data")) {
            long declared = ctx.contentLength();
            if (declared > corpora.limits().maxBytes() + MULTIPART_OVERHEAD) {
                throw BoundedRead.tooLarge("the corpus", corpora.limits().maxBytes());
            }
            UploadedFile file = multipartFile(ctx);
            if (file == null) {
                throw ServiceException.invalid("The multipart upload has no field named 'file'.");
            }
            if (file.size() > corpora.limits().maxBytes()) {
                throw BoundedRead.tooLarge("the corpus", corpora.limits().maxBytes());
            }
            String name = ctx.queryParam("name") != null ? ctx.queryParam("name") : file.filename();
            try (InputStream in = file.content()) {
                corpus = corpora.create(name, in, AccessGuard.identity(ctx));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else if (contentType.startsWith("text/plain")) {
            long declared = ctx.contentLength();
            if (declared > corpora.limits().maxBytes()) {
                throw BoundedRead.tooLarge("the corpus", corpora.limits().maxBytes());
            }
            corpus = corpora.create(ctx.queryParam("name"), ctx.bodyInputStream(), AccessGuard.identity(ctx));
        } else {
            throw new ServiceException(ServiceException.Kind.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
                    "Upload a corpus as multipart/form-data with a field named 'file', or as a text/plain body"
                            + " with ?name=...");
        }
        ctx.status(HttpStatus.CREATED).header("Location", "/api/corpora/" + corpus.id()).json(corpus);
    }

    /** Jetty's multipart parser words its refusals for developers; say what happened instead. */
    private UploadedFile multipartFile(Context ctx) {
        try {
            return ctx.uploadedFile("file");
        } catch (Exception e) {   // Javalin (Kotlin) passes on Jetty's IOException and ServletException unchecked
            for (Throwable t = e; t != null; t = t.getCause()) {
                String m = String.valueOf(t.getMessage());
                if (m.contains("max file size") || m.contains("max request size") || m.contains("exceeded")) {
                    throw BoundedRead.tooLarge("the corpus", corpora.limits().maxBytes());
                }
                // Jetty stages large parts in the data directory: a full or read-only disk is
                // answered as for a text/plain upload (507, 503), not as a malformed body
                if (StorageFailure.isDiskFull(t) || StorageFailure.isNotWritable(t)) {
                    throw new UncheckedIOException(new IOException("the multipart upload could not be staged", t));
                }
            }
            throw ServiceException.invalid("The multipart/form-data body could not be read.");
        }
    }

    public void list(Context ctx) {
        ctx.json(corpora.list(AccessGuard.identity(ctx)));
    }

    public void get(Context ctx) {
        ctx.json(corpora.get(ctx.pathParam("id"), AccessGuard.identity(ctx)));
    }

    public void delete(Context ctx) {
        corpora.delete(ctx.pathParam("id"), AccessGuard.identity(ctx));
        ctx.status(HttpStatus.NO_CONTENT);
    }
}
