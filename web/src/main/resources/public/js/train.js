// The Train panel's form: upload a text (drop, choose or paste), pick a preset or set the
// hyperparameters within the server's limits, and start a job. Following the job once it is
// started (progress, loss, samples, Cancel and Resume) is trainjob.js's; after a reload this
// panel finds the job still training, puts its settings back in the form and hands it over.

import * as api from "./api.js";
import { bytes, count } from "./format.js";
import { say, words } from "./messages.js";
import { TrainingJobView, resumable } from "./trainjob.js";

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
    this.corpus = null;
    this.corpora = [];
    this.run = new TrainingJobView(el, () => this.corpus, onModel);   // the job started last, followed

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
    this.el.trainButton.disabled = !!this.run.events;
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
    this.run.watch(job, "Waiting for a free worker…");
    this.run.showPlace(job.id);
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
      if (this.run.job) return;
      if (!job) {
        if (list[0] && resumable(list[0])) this.run.showCancelled(list[0]);   // the newest job: Resume is offered again
        return;
      }
      if (job.spec) this.showSpec(job.spec);
      this.run.watch(job, `Following "${job.name}"…`);
      if (job.status === "queued") this.run.showPlace(job.id);
    } catch (e) {
      // no jobs API or no connection: nothing to resume
    }
  }
}
