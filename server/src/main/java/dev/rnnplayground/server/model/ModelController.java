package dev.rnnplayground.server.model;

import dev.rnnplayground.server.common.BoundedRead;
import dev.rnnplayground.server.common.ServiceException;
import dev.rnnplayground.server.http.AccessGuard;
import dev.rnnplayground.server.http.JsonBody;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** HTTP for {@code /api/models}: reads the request, calls {@link ModelService}, writes JSON or bytes. */
public final class ModelController {

    private final ModelService models;
    private final long maxModelBytes;

    public ModelController(ModelService models, long maxModelBytes) {
        this.models = models;
        this.maxModelBytes = maxModelBytes;
    }

    /** {@code GET /api/sampling/options}: the sampling defaults and limits, for the Generate panel. */
    public void samplingOptions(Context ctx) {
        ctx.json(SamplingOptions.get());
    }

    public void list(Context ctx) {
        ctx.json(models.list(AccessGuard.identity(ctx)));
    }

    public void get(Context ctx) {
        ctx.json(models.get(ctx.pathParam("id"), AccessGuard.identity(ctx)));
    }

    public void delete(Context ctx) {
        models.delete(ctx.pathParam("id"), AccessGuard.identity(ctx));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    /**
     * {@code GET /api/models/{id}/weights}: the {@code .safetensors} file, as {@code rnn train} writes
     * it, streamed from disk through a small buffer (never the whole file in memory), within this
     * handler, so that the download limit counts it until the last byte is sent.
     */
    public void weights(Context ctx) throws IOException {
        String id = models.get(ctx.pathParam("id"), AccessGuard.identity(ctx)).id();
        Path file = models.weightsFile(id);
        ctx.contentType("application/octet-stream")
                .header("Content-Disposition", "attachment; filename=\"" + models.fileName(id) + "\"")
                .header("Content-Length", Long.toString(Files.size(file)));
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(ctx.outputStream());
        }
    }

    /** {@code POST /api/models?name=...}: the body is a {@code .safetensors} file. */
    public void importFile(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase();
        if (!(type.equals("application/octet-stream") || type.startsWith("application/octet-stream;"))) {
            throw new ServiceException(ServiceException.Kind.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
                    "Send the .safetensors file itself as the body, with Content-Type application/octet-stream.");
        }
        if (ctx.contentLength() > maxModelBytes) throw BoundedRead.tooLarge("the model file", maxModelBytes);
        ModelInfo info = models.importFile(ctx.queryParam("name"), ctx.bodyInputStream(), AccessGuard.identity(ctx));
        ctx.status(HttpStatus.CREATED).header("Location", "/api/models/" + info.id()).json(info);
    }

    public void sample(Context ctx) {
        String id = models.get(ctx.pathParam("id"), AccessGuard.identity(ctx)).id();   // 404 before looking at the body
        ctx.json(models.sample(id, JsonBody.read(ctx, SampleRequest.class)));
    }

    public void predict(Context ctx) {
        String id = models.get(ctx.pathParam("id"), AccessGuard.identity(ctx)).id();   // 404 before looking at the body
        ctx.json(models.predict(id, JsonBody.read(ctx, PredictRequest.class)));
    }

    public void inspect(Context ctx) {
        String id = models.get(ctx.pathParam("id"), AccessGuard.identity(ctx)).id();   // 404 before looking at the body
        ctx.json(models.inspect(id, JsonBody.read(ctx, InspectRequest.class)));
    }

}
