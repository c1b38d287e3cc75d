package dev.rnnplayground.server.experiment;

import dev.rnnplayground.server.http.AccessGuard;
import dev.rnnplayground.server.http.JsonBody;
import io.javalin.http.Context;

/** HTTP for {@code POST /api/experiments/ladder}: reads the request, calls {@link LadderService}. */
public final class LadderController {
    private final LadderService ladder;

    public LadderController(LadderService ladder) {
        this.ladder = ladder;
    }

    public void run(Context ctx) {
        ctx.json(ladder.run(JsonBody.read(ctx, LadderRequest.class), AccessGuard.identity(ctx)));
    }
}
