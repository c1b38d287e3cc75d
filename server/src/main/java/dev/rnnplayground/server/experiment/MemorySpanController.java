package dev.rnnplayground.server.experiment;

import dev.rnnplayground.server.http.JsonBody;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/**
 * HTTP for the memory-span run: {@code POST /api/experiments/memory-span} starts it (202),
 * {@code GET} the same address follows it, {@code POST …/cancel} stops it. Calls {@link MemorySpanService}.
 */
public final class MemorySpanController {
    private final MemorySpanService span;

    public MemorySpanController(MemorySpanService span) {
        this.span = span;
    }

    public void start(Context ctx) {
        MemorySpanRequest body = JsonBody.read(ctx, MemorySpanRequest.class);
        ctx.status(HttpStatus.ACCEPTED).json(span.start(body));
    }

    public void get(Context ctx) {
        ctx.json(span.latest());
    }

    public void cancel(Context ctx) {
        ctx.json(span.cancel());
    }
}
