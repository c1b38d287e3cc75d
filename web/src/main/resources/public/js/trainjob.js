// The live half of the Train panel: one training job followed through its server-sent events,
// after train.js has started it (or found it again after a reload). While it waits, how many jobs
// are ahead of it; then the progress bar with ETA and speed, live training and validation loss,
// samples as they arrive; Cancel (which keeps what was trained as a model) and Resume (which goes
// on from the cancelled job's checkpoint). A job that ends with a model hands it to onModel.

import * as api from "./api.js";
import { LineChart } from "./linechart.js";
import { duration, loss } from "./format.js";
import { say, words } from "./messages.js";

export class TrainingJobView {
  /**
   * el: the Train panel's elements by id; corpus(): the text chosen in the form, or null (its
   * symbols draw the chart's baseline, and Train waits for one); onModel(modelId): a job finished
   * (or was cancelled) and made this model.
   */
  constructor(el, corpus, onModel) {
    this.el = el;
    this.corpus = corpus;
    this.onModel = onModel;
    this.job = null;
    this.events = null;
    this.chart = new LineChart(el.lossChart, ["training loss", "validation loss"], {
      xLabel: "step", yLabel: "loss (nats/char)",
      // the noisy training curve thin and behind, the validation points on top
      styles: [{ borderWidth: 1, borderColor: "rgba(194, 65, 12, 0.55)", order: 2 },
        { borderWidth: 2.5, pointRadius: 2.5, order: 1 }],
    });
    el.cancelButton.addEventListener("click", () => this.cancel());
    el.resumeButton.addEventListener("click", () => this.resumeCancelled());
  }

  /** Shows a job (started, found again after a reload, or resumed) with an empty chart, and follows it. */
  watch(job, status) {
    this.job = job;
    this.showLive();
    this.setRunning(true);
    this.el.status.textContent = status;
    this.follow(job.id);
  }

  /**
   * While the job waits for a worker, says how many jobs are ahead of it (the server's jobsAhead:
   * queued or running jobs created before it), asking again every 2 s until its first step.
   */
  async showPlace(jobId) {
    while (this.job?.id === jobId && this.events && !this.started) {
      try {
        const job = await api.getJob(jobId);
        if (job.status !== "queued" || this.job?.id !== jobId || this.started || !this.events) return;
        this.el.status.textContent = placeInQueue(job.jobsAhead ?? 0);
      } catch (e) {
        return;   // the events still say when it starts
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }

  /** Shows the progress bar, an empty loss chart and no samples yet. */
  showLive() {
    this.started = false;
    this.el.live.hidden = false;
    this.chart.reset(["training loss", "validation loss"]);
    this.el.lossChart.dataset.points = "0";
    this.el.samples.replaceChildren();
    this.el.progress.value = 0;
  }

  follow(jobId) {
    this.events?.close();
    const events = new EventSource(api.jobEventsUrl(jobId));
    this.events = events;
    const data = (e) => JSON.parse(e.data);
    events.addEventListener("progress", (e) => this.progress(data(e)));
    events.addEventListener("sample", (e) => this.sample(data(e)));
    events.addEventListener("warning", (e) => this.warn(data(e).message));
    events.addEventListener("done", (e) => this.finish(data(e)));
    events.addEventListener("failed", (e) => this.failed(data(e).reason));
    events.addEventListener("cancelled", (e) => this.cancelled(data(e)));
    events.onerror = () => {
      if (events.readyState === EventSource.CLOSED && this.events === events) this.failed("the connection to the server was lost");
    };
  }

  progress(p) {
    this.started = true;
    this.showBaseline(p.steps);
    this.el.progress.max = p.steps;
    this.el.progress.value = p.step;
    this.chart.addDataPoint(p.step, [p.loss, p.valLoss ?? null]);
    this.chart.redraw();
    this.el.lossChart.dataset.points = String(this.chart.size(0));
    const parts = [`step ${p.step.toLocaleString("en")} of ${p.steps.toLocaleString("en")}`, `loss ${loss(p.loss)}`];
    if (p.valLoss != null) parts.push(`validation ${loss(p.valLoss)}`);
    if (p.charsPerSecond != null) parts.push(`${Math.round(p.charsPerSecond).toLocaleString("en")} chars/s`);
    if (p.etaSeconds != null) parts.push(`${duration(p.etaSeconds)} left`);
    if (p.clipped) parts.push("gradient clipped");
    this.el.status.textContent = parts.join(" · ");
  }

  /**
   * The loss of guessing every one of the V symbols alike, ln V nats: a model that learnt nothing
   * sits on this line, so the curve's drop below it is what training taught. Drawn once per job.
   */
  showBaseline(steps) {
    const datasets = this.chart.chart.data.datasets;
    const vocab = this.corpus()?.distinctSymbols;
    if (datasets.length > 2 || !(vocab > 1)) return;
    const uniform = Math.log(vocab);
    datasets.push({
      label: `uniform guess: ln ${vocab} = ${uniform.toFixed(2)}`, data: [{ x: 0, y: uniform }, { x: steps, y: uniform }],
      borderColor: "#6b7280", backgroundColor: "#6b7280", borderDash: [5, 4], borderWidth: 1.2, pointRadius: 0, order: 3,
    });
    this.el.lossChart.dataset.baseline = String(uniform);
  }

  /** One line while the job works around a problem (a checkpoint a full disk refused); null clears it. */
  warn(message) {
    say(this.el.warning, message || "", "warning");
  }

  sample(s) {
    const item = document.createElement("li");
    const step = document.createElement("span");
    step.className = "step";
    step.textContent = s.step != null ? `step ${s.step}` : "sample";
    const text = document.createElement("pre");
    text.textContent = s.text;
    item.append(step, text);
    this.el.samples.prepend(item);
    while (this.el.samples.children.length > 6) this.el.samples.lastChild.remove();
  }

  async finish(done) {
    this.stopFollowing();
    this.el.progress.value = this.el.progress.max;
    this.el.status.textContent = "Done: the new model is ready and selected above.";
    this.el.status.dataset.modelId = done.modelId;
    await this.onModel(done.modelId);
  }

  failed(reason) {
    this.stopFollowing();
    this.el.status.textContent = "";
    say(this.el.error, "Training stopped: " + reason);
  }

  /** Asks the server to cancel: a queued job ends at once, a running one after its current step. */
  async cancel() {
    if (!this.job) return;
    this.el.cancelButton.disabled = true;
    try {
      const job = await api.cancelJob(this.job.id);
      if (job.status === "cancelled") await this.cancelled(job);
      else if (this.events) this.el.status.textContent = "Cancelling after the current step…";   // the "cancelled" event follows
    } catch (e) {
      this.el.cancelButton.disabled = false;
      say(this.el.error, "Could not cancel: " + words(e));
    }
  }

  /**
   * The job ended cancelled (its event, or the answer to Cancel for a queued job; whichever comes
   * first): say what it kept, select the model it kept, and offer Resume.
   */
  async cancelled(end) {
    if (!this.events) return;   // already shown
    this.stopFollowing();
    let job;
    try {
      job = await api.getJob(this.job.id);
    } catch (e) {
      job = { ...this.job, status: "cancelled", step: end.step, modelId: end.modelId ?? null, checkpointStep: null };
    }
    this.showCancelled(job);
    if (job.modelId) await this.onModel(job.modelId);
  }

  /** "Cancelled at step 1,200 of 5,000", what was kept, and the Resume button when there is a checkpoint. */
  showCancelled(job) {
    this.job = job;
    this.el.status.textContent = "";
    const lines = [job.modelId ? `Training was cancelled at step ${stepCount(job.step)} of ${stepCount(job.steps)}.` : "Training was cancelled."];
    if (job.modelId) lines.push("What it learnt so far is kept as a model in the Models list.");
    if (resumable(job)) lines.push(`Resume goes on from step ${stepCount(job.checkpointStep)}.`);
    say(this.el.error, lines.join(" "), "info");
    if (job.modelId) this.el.status.dataset.modelId = job.modelId;
    this.el.resumeButton.hidden = !resumable(job);
  }

  /** Queues the cancelled job again from its checkpoint and follows it; the stream replays it up to there. */
  async resumeCancelled() {
    if (!this.job) return;
    say(this.el.error, "");
    let job;
    try {
      job = await api.resumeJob(this.job.id);
    } catch (e) {
      return say(this.el.error, "Could not resume: " + words(e));
    }
    this.watch(job, `Resuming from step ${stepCount(job.step)}…`);
  }

  stopFollowing() {
    this.warn(null);
    this.events?.close();
    this.events = null;
    this.setRunning(false);
  }

  setRunning(running) {
    this.el.trainButton.disabled = running || !this.corpus();
    this.el.cancelButton.disabled = !running;
    if (running) this.el.resumeButton.hidden = true;
    this.el.form.dataset.running = String(running);
  }
}

/** "3 jobs ahead of yours": where a waiting job stands in the queue. */
export function placeInQueue(ahead) {
  if (ahead === 0) return "Waiting for a free worker: yours is next.";
  return `Waiting for a free worker: ${ahead.toLocaleString("en")} ${ahead === 1 ? "job" : "jobs"} ahead of yours.`;
}
/** A cancelled job that kept a checkpoint: POST /api/jobs/{id}/resume takes it. */
export const resumable = (job) => job.status === "cancelled" && job.checkpointStep != null;

/** "1,200": a step count in full, as the progress line writes it. */
const stepCount = (n) => Number(n).toLocaleString("en");
