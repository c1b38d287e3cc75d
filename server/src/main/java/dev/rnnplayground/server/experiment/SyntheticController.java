package dev.rnnplayground.server.experiment;

import dev.rnnplayground.server.corpus.Corpus;
import dev.rnnplayground.server.http.AccessGuard;
import dev.rnnplayground.server.http.JsonBody;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/** HTTP for the synthetic texts: {@code POST /api/corpora/synthetic} and {@code POST /api/models/{id}/score-task}. */
public final class SyntheticController {
    private final SyntheticService synthetic;

    public SyntheticController(SyntheticService synthetic) {
        this.synthetic = synthetic;
    }

    public void createCorpus(Context ctx) {
        Corpus c = synthetic.createCorpus(body(ctx), AccessGuard.identity(ctx));
        ctx.status(HttpStatus.CREATED).header("Location", "/api/corpora/" + c.id()).json(c);
    }

    public void score(Context ctx) {
        String id = ctx.pathParam("id");
        synthetic.requireModel(id, AccessGuard.identity(ctx));   // 404 before looking at the body
        ctx.json(synthetic.score(id, body(ctx)));
    }

    private static SyntheticRequest body(Context ctx) {
        SyntheticRequest r = JsonBody.read(ctx, SyntheticRequest.class);
        return r;
    }
}
