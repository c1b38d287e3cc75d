// The Train panel: upload a text (drop, choose or paste), pick a preset or set the
// hyperparameters, start a job, and follow it through its server-sent events: progress bar
// with ETA and speed, live training and validation loss, samples as they arrive, Cancel (which keeps
// what was trained as a model) and Resume (which goes on from the cancelled job's checkpoint).

import * as api from "./api.js";
import { LineChart } from "./linechart.js";
import { bytes, count, duration, loss } from "./format.js";
import { say, words } from "./messages.js";

/** Each preset sets the network and its training; the rest (clip, seed, dropout) is the server's default. */
export const PRESETS = {
  quick: { label: "Quick look (LSTM 64, 300 steps)", cell: "lstm", hidden: 64, layers: 1, seqLength: 50, batchSize: 16, optimizer: "adam", lr: 0.003, steps: 300 },
  small: { label: "Small LSTM (128 × 2, 1,500 steps)", cell: "lstm", hidden: 128, layers: 2, seqLength: 64, batchSize: 32, optimizer: "adam", lr: 0.002, steps: 1500 },
  charrnn: { label: "char-rnn classic (256 × 2, 5,000 steps: long)", cell: "lstm", hidden: 256, layers: 2, seqLength: 100, batchSize: 50, optimizer: "adam", lr: 0.002, steps: 5000 },
  minchar: { label: "Vanilla RNN, min-char-rnn style (5,000 steps)", cell: "rnn", hidden: 100, layers: 1, seqLength: 25, batchSize: 1, optimizer: "adagrad", lr: 0.1, steps: 5000 },
  gru: { label: "GRU (128, 1,000 steps)", cell: "gru", hidden: 128, layers: 1, seqLength: 50, batchSize: 32, optimizer: "adam", lr: 0.002, steps: 1000 },
  gpt: { label: "Small GPT (4 layers × 4 heads × 128, block 128, 1,000 steps)", cell: "gpt", ...gptRecipe(), hidden: 128, layers: 4, seqLength: 128, batchSize: 12, steps: 1000 },
};

/** What the form sets when a GPT is chosen: nanoGPT's shakespeare_char settings the page keeps visible. */
function gptRecipe() {
  return { heads: 4, optimizer: "adamw", lr: 0.001 };
}

/**
 * The rest of nanoGPT's recipe, sent with every GPT job: AdamW's β2 0.99 and weight decay 0.1, a
 * linear warm-up over the first 100 steps (a tenth of a shorter run), then a cosine decay to lr/10.
 */
function gptSchedule(steps, optimizer) {
  const schedule = { beta2: 0.99, warmup: Math.min(100, Math.floor(steps / 10)), lrSchedule: "cosine" };
  if (optimizer === "adamw") schedule.weightDecay = 0.1;
  return schedule;
}

const FIELDS = ["cell", "hidden", "layers", "heads", "seqLength", "batchSize", "optimizer", "lr", "steps", "seed", "clip", "dropout"];

export class TrainPanel {
  /** el: elements by id; onModel(modelId): a job finished and made this model. */
  constructor(el, onModel) {
    this.el = el;
    this.onModel = onModel;
    this.corpus = null;
    this.corpora = [];
    this.job = null;
    this.events = null;
    this.chart = new LineChart(el.lossChart, ["training loss", "validation loss"], {
      xLabel: "step", yLabel: "loss (nats/char)",
      // the noisy training curve thin and behind, the validation points on top
      styles: [{ borderWidth: 1, borderColor: "rgba(194, 65, 12, 0.55)", order: 2 },
        { borderWidth: 2.5, pointRadius: 2.5, order: 1 }],
    });

    el.preset.replaceChildren(...Object.entries(PRESETS).map(([key, p]) => new Option(p.label, key)),
      new Option("Custom", "custom"));
    el.preset.addEventListener("change", () => this.applyPreset(el.preset.value));
    this.options = null;
    this.applyPreset("quick");
    this.loadOptions();
    for (const name of FIELDS) {
      this.field(name).addEventListener("input", () => {
        el.preset.value = "custom";
        this.field(name).removeAttribute("aria-invalid");   // the learner is fixing it
      });
    }
    this.learningRates = null;
    this.field("cell").addEventListener("change", () => {
      const gpt = this.field("cell").value === "gpt";
      const values = gpt ? gptRecipe() : { optimizer: "adam", lr: this.learningRates?.adam ?? 0.002 };
      for (const [name, value] of Object.entries(values)) this.field(name).value = value;
      this.showCellFields();
    });
    this.field("optimizer").addEventListener("change", () => {
      const lr = this.learningRates?.[this.field("optimizer").value];
      if (lr != null) this.field("lr").value = lr;
    });

    el.corpusFile.addEventListener("change", () => this.upload(el.corpusFile.files[0]));
    el.dropZone.addEventListener("dragover", (e) => { e.preventDefault(); el.dropZone.classList.add("over"); });
    el.dropZone.addEventListener("dragleave", () => el.dropZone.classList.remove("over"));
    el.dropZone.addEventListener("drop", (e) => {
      e.preventDefault();
      el.dropZone.classList.remove("over");
      if (e.dataTransfer.files.length) this.upload(e.dataTransfer.files[0]);
    });
    el.pasteButton.addEventListener("click", () => this.upload(el.corpusText.value, el.corpusName.value || "pasted text"));
    el.corpusSelect.addEventListener("change", () => {
      const corpus = this.corpora.find((c) => c.id === el.corpusSelect.value);
      if (corpus) this.useCorpus(corpus);
    });
    el.trainButton.addEventListener("click", () => this.start());
    el.cancelButton.addEventListener("click", () => this.cancel());
    el.resumeButton.addEventListener("click", () => this.resumeCancelled());
  }

  field(name) {
    return this.el.form.elements[name];
  }

  /** Marks the fields the server refused (aria-invalid), or clears every mark. */
  markInvalid(fields = {}) {
    for (const name of FIELDS) {
      if (fields[name]) this.field(name).setAttribute("aria-invalid", "true");
      else this.field(name).removeAttribute("aria-invalid");
    }
  }

  applyPreset(key) {
    const preset = PRESETS[key];
    if (!preset) return;
    const values = { ...this.options?.defaults, ...preset };
    for (const [name, value] of Object.entries(values)) if (this.field(name)) this.field(name).value = value;
    this.showCellFields();
  }

  /** The heads field and the recipe's note only for a GPT. */
  showCellFields() {
    const gpt = this.field("cell").value === "gpt";
    document.getElementById("heads-label").hidden = !gpt;
    document.getElementById("gpt-recipe").hidden = !gpt;
  }

  /**
   * The server's defaults and limits (GET /api/training/options), so the form has no copy of its
   * own: each field's min and max, each optimizer's learning rate, and dropout when it is offered.
   */
  async loadOptions() {
    try {
      this.options = await api.trainingOptions();
    } catch (e) {
      return;   // the form still works; the server words any refusal
    }
    this.learningRates = this.options.learningRates || null;
    for (const [name, range] of Object.entries(this.options.limits)) {
      const input = this.field(name);
      if (!input || input.type !== "number") continue;
      input.min = range.min;
      input.max = range.max;
    }
    this.el.dropoutLabel.hidden = !this.options.limits.dropout;
    if (this.el.preset.value !== "custom") this.applyPreset(this.el.preset.value);
  }


  /** Lists the texts uploaded before, newest first, for training another model on one of them. */
  async listCorpora() {
    try {
      this.corpora = await api.listCorpora();
    } catch (e) {
      this.corpora = [];
    }
    const options = this.corpora.map((c) => new Option(`${c.name} (${bytes(c.sizeBytes)})`, c.id));
    this.el.corpusSelect.replaceChildren(new Option(options.length ? "choose…" : "none yet", ""), ...options);
    if (this.corpus) this.el.corpusSelect.value = this.corpus.id;
  }

  useCorpus(c) {
    this.corpus = c;
    this.el.corpusInfo.textContent = `${c.name}: ${bytes(c.sizeBytes)}, ${count(c.symbolCount)} characters, `
      + `${c.distinctSymbols} distinct symbols.`;
    this.el.corpusInfo.dataset.corpusId = c.id;
    this.el.trainButton.disabled = !!this.events;
  }

  async upload(fileOrText, name) {
    if (fileOrText == null) return;
    say(this.el.error, "");
    this.el.corpusInfo.textContent = "Uploading…";
    try {
      this.useCorpus(await api.uploadCorpus(fileOrText, name));
      await this.listCorpora();
    } catch (e) {
      this.corpus = null;
      this.el.corpusInfo.textContent = "";
      delete this.el.corpusInfo.dataset.corpusId;
      this.el.corpusSelect.value = "";
      this.el.trainButton.disabled = true;
      say(this.el.error, "The text was not accepted: " + words(e));
    } finally {
      this.el.corpusFile.value = "";
    }
  }

  settings() {
    const f = (name) => this.field(name).value;
    const settings = {
      corpusId: this.corpus.id,
      cell: f("cell"),
      hidden: Number(f("hidden")),
      layers: Number(f("layers")),
      seqLength: Number(f("seqLength")),
      batchSize: Number(f("batchSize")),
      optimizer: f("optimizer"),
      lr: Number(f("lr")),
      steps: Number(f("steps")),
      seed: Number(f("seed")),
    };
    if (settings.cell === "gpt") {
      settings.heads = Number(f("heads"));
      Object.assign(settings, gptSchedule(settings.steps, settings.optimizer));
    }
    if (f("clip") !== "") settings.clip = Number(f("clip"));
    if (!this.el.dropoutLabel.hidden && f("dropout") !== "") settings.dropout = Number(f("dropout"));
    // about 20 validation points and 10 samples per run, so the chart and the samples move
    settings.evalEvery = Math.max(25, Math.round(settings.steps / 20));
    settings.sampleEvery = Math.max(50, Math.round(settings.steps / 10));
    if (this.el.modelName.value.trim()) settings.name = this.el.modelName.value.trim();
    return settings;
  }

  async start() {
    if (!this.corpus) return say(this.el.error, "Upload a text to learn from first.");
    say(this.el.error, "");
    this.markInvalid();
    let job;
    try {
      job = await api.startJob(this.settings());
    } catch (e) {
      // one message, the refused fields marked, and no empty progress bar or chart left behind
      this.markInvalid(e.fields);
      return say(this.el.error, "Training could not start: " + words(e));
    }
    this.job = job;
    this.showLive();
    this.setRunning(true);
    this.el.status.textContent = "Waiting for a free worker…";
    this.follow(job.id);
    this.showPlace(job.id);
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

  /** Puts a job's settings back into the form (after a reload the form shows what is training). */
  showSpec(spec) {
    for (const name of FIELDS) {
      if (spec[name] != null && this.field(name)) this.field(name).value = spec[name];
    }
    this.showCellFields();
    const preset = Object.entries(PRESETS).find(([, p]) =>
      Object.entries(p).every(([k, v]) => k === "label" || String(spec[k]) === String(v)));
    this.el.preset.value = preset ? preset[0] : "custom";
    if (spec.name) this.el.modelName.value = spec.name;
    const corpus = this.corpora.find((c) => c.id === spec.corpusId);
    if (corpus) {
      this.useCorpus(corpus);
      this.el.corpusSelect.value = corpus.id;
    }
  }

  /**
   * After a reload: follows a job that is still queued or running, or shows the newest job if it was
   * cancelled with a checkpoint to resume from.
   */
  async showLastJob() {
    try {
      const jobs = await api.listJobs();
      const list = Array.isArray(jobs) ? jobs : [];
      const job = list.find((j) => j.status === "running" || j.status === "queued");
      if (this.job) return;
      if (!job) {
        if (list[0] && resumable(list[0])) this.showCancelled(list[0]);   // the newest job: Resume is offered again
        return;
      }
      this.job = job;
      this.showLive();
      if (job.spec) this.showSpec(job.spec);
      this.el.status.textContent = `Following "${job.name}"…`;
      this.setRunning(true);
      this.follow(job.id);
      if (job.status === "queued") this.showPlace(job.id);
    } catch (e) {
      // no jobs API or no connection: nothing to resume
    }
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
    const vocab = this.corpus?.distinctSymbols;
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
    this.job = job;
    this.showLive();
    this.setRunning(true);
    this.el.status.textContent = `Resuming from step ${stepCount(job.step)}…`;
    this.follow(job.id);
  }

  stopFollowing() {
    this.warn(null);
    this.events?.close();
    this.events = null;
    this.setRunning(false);
  }

  setRunning(running) {
    this.el.trainButton.disabled = running || !this.corpus;
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
const resumable = (job) => job.status === "cancelled" && job.checkpointStep != null;

/** "1,200": a step count in full, as the progress line writes it. */
const stepCount = (n) => Number(n).toLocaleString("en");
