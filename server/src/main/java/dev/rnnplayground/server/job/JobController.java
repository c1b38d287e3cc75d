package dev.rnnplayground.server.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rnnplayground.server.common.Jackson;
import dev.rnnplayground.server.common.ServiceException;
import dev.rnnplayground.server.http.AccessGuard;
import dev.rnnplayground.server.http.JsonBody;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/**
 * HTTP for {@code /api/jobs}, including the live event stream: {@code GET /api/jobs/{id}/events}
 * first replays the job's whole {@link ProgressHistory} (or what follows {@code Last-Event-ID}),
 * then sends new events as they happen, and ends after the final one ({@link EventStreams}).
 */
public final class JobController {

    private final JobService jobs;
    private final EventStreams streams;

    public JobController(JobService jobs, EventStreams streams) {
        this.jobs = jobs;
        this.streams = streams;
    }

    public void create(Context ctx) {
        JobSpec spec = JsonBody.read(ctx, JobSpec.class);
        Job job = jobs.create(spec, AccessGuard.identity(ctx));
        ctx.status(HttpStatus.ACCEPTED).header("Location", "/api/jobs/" + job.id()).json(job);
    }

    /** {@code GET /api/training/options}: defaults, learning rates and limits for a form. */
    public void options(Context ctx) {
        ctx.json(TrainingOptions.forServer());
    }

    public void list(Context ctx) {
        ctx.json(jobs.list(AccessGuard.identity(ctx)));
    }

    /** The job; while it is queued, with {@code jobsAhead}: the queued and running jobs created before it. */
    public void get(Context ctx) {
        String id = ctx.pathParam("id");
        Job job = jobs.get(id, AccessGuard.identity(ctx));
        if (job.status() != JobStatus.QUEUED) {
            ctx.json(job);
            return;
        }
        ObjectNode withPlace = Jackson.MAPPER.valueToTree(job);
        withPlace.put("jobsAhead", jobs.jobsAhead(id));
        ctx.json(withPlace);
    }

    /** {@code GET /api/jobs/{id}/history}: what the event stream replays, as one JSON array. */
    public void history(Context ctx) {
        ctx.json(jobs.history(ctx.pathParam("id"), AccessGuard.identity(ctx)).all());
    }

    public void cancel(Context ctx) {
        ctx.json(jobs.cancel(ctx.pathParam("id"), AccessGuard.identity(ctx)));
    }

    /** {@code POST /api/jobs/{id}/resume}: a cancelled job, queued again from the checkpoint it kept. */
    public void resume(Context ctx) {
        ctx.json(jobs.resume(ctx.pathParam("id"), AccessGuard.identity(ctx)));
    }

    /**
     * {@code GET /api/jobs/{id}/events}: Server-Sent Events; needs {@code Accept: text/event-stream}.
     * The stream is kept by {@link EventStreams}; this handler returns as soon as it is open.
     */
    public void events(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        ProgressHistory history = jobs.history(id, AccessGuard.identity(ctx));   // 404 before the stream starts
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new ServiceException(ServiceException.Kind.NOT_ACCEPTABLE, "Not acceptable",
                    "This is an event stream: request it with 'Accept: text/event-stream' (as EventSource does).");
        }
        long after = lastEventId(ctx.header("Last-Event-ID"));
        if (history.endsAt(after)) {
            // an EventSource reconnects after every closed stream; 204 tells it there is nothing more
            ctx.status(HttpStatus.NO_CONTENT);
            return;
        }
        streams.open(ctx, history, after);
    }

    private static long lastEventId(String header) {
        if (header == null) return 0;
        try {
            return Math.max(0, Long.parseLong(header.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
