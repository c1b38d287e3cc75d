package dev.rnnplayground.server.experiment;

import dev.rnnplayground.server.http.AccessGuard;
import dev.rnnplayground.server.http.JsonBody;
import io.javalin.http.Context;

/** HTTP for {@code POST /api/models/{id}/reach}: reads the request, calls {@link ReachService}. */
public final class ReachController {
    private final ReachService reach;

    public ReachController(ReachService reach) {
        this.reach = reach;
    }

    public void measure(Context ctx) {
        reach.requireModel(ctx.pathParam("id"), AccessGuard.identity(ctx));   // 404 before looking at the body
        ReachRequest body = JsonBody.read(ctx, ReachRequest.class);
        ctx.json(reach.measure(ctx.pathParam("id"), body));
    }
}
