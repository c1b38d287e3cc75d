// "Compare runs": one click starts several ordinary training jobs on the same text and draws them
// in one chart: three cells in a race (same steps; the same hidden size or about the same number
// of parameters), or a vanilla RNN at a high learning rate with gradient clipping off and on.
// The job ids live in the URL hash (race=…), and the jobs are the server's, so a reload or a
// server restart picks the runs up where they are.

import * as api from "./api.js";
import { LineChart } from "./linechart.js";
import { powerOfTenTicks, ratioWords } from "./gradients.js";
import { say, words } from "./messages.js";
import { fillCorpusSelect } from "./corpora.js";

const COLOURS = ["#c2410c", "#1d4ed8", "#15803d"];

/** Each preset: the runs it starts, as job settings over a base, and what it shows. */
export const RACE_PRESETS = {
  cells: {
    label: "Three cells, one race",
    base: { layers: 1, seqLength: 50, batchSize: 16, optimizer: "adam", lr: 0.003, clip: 5, evalEvery: 50 },
    runs: [{ cell: "rnn" }, { cell: "lstm" }, { cell: "gru" }],
  },
  clipping: {
    label: "Exploding gradients: clipping off and on",
    // SGD at lr 2: without clipping the first large gradient throws the weights far off
    base: { cell: "rnn", hidden: 64, layers: 1, seqLength: 50, batchSize: 8, optimizer: "sgd", lr: 2, evalEvery: 50 },
    runs: [{ clip: 0, tag: "clipping off" }, { clip: 0.5, tag: "clipping at 0.5" }],
  },
};

export class RaceView {
  /** el: {preset, corpus, steps, hidden, sizing, start, chart, normChart, table, axis, status, error}; state: race, racePreset. */
  constructor(el, state, changed) {
    Object.assign(this, { el, state, changed });
    this.jobs = [];        // [{id, name, cell, params, history}]
    this.timer = 0;
    el.preset.replaceChildren(...Object.entries(RACE_PRESETS).map(([k, p]) => new Option(p.label, k)));
    el.preset.value = state.racePreset;
    el.preset.addEventListener("change", () => { state.racePreset = el.preset.value; changed(); this.showSizing(); });
    el.start.addEventListener("click", () => this.start());
    el.axis.addEventListener("change", () => this.draw());
    this.chart = new LineChart(el.chart, [], { xLabel: "step", yLabel: "loss (nats/char)" });
    // the norm each step computed, before any clipping scaled it down (the job reports it so)
    this.normChart = new LineChart(el.normChart, [], {
      xLabel: "step", yLabel: "gradient norm, before clipping", yType: "logarithmic", yTicks: normTicks,
    });
    this.normChart.chart.options.scales.y.ticks.autoSkip = false;   // normTicks chooses the labels; Chart.js would drop all but 1 and 10 of a short axis
    this.learnersHidden = el.hidden.value;
    this.showSizing();
    this.refreshCorpora();
    if (state.race) this.follow(state.race.split(",").filter(Boolean));
    else el.table.dataset.state = "idle";
    this.showCharts();
  }

  /**
   * The sizing choice and the hidden size belong to the race of cells; the clipping experiment has
   * its own size (its base), shown in the disabled field so the form says what will run.
   */
  showSizing() {
    const cells = this.el.preset.value === "cells";
    this.el.sizing.disabled = !cells;
    if (!cells && !this.el.hidden.disabled) this.learnersHidden = this.el.hidden.value;
    this.el.hidden.disabled = !cells;
    this.el.hidden.value = cells ? this.learnersHidden : RACE_PRESETS[this.el.preset.value].base.hidden;
  }

  /** Empty axes say nothing: the charts and the x-axis choice appear with the first run. */
  showCharts() {
    const none = !this.jobs.length;
    for (const e of [this.el.chart, this.el.normChart]) e.closest(".chart-box").hidden = none;
    this.el.axis.closest("label").hidden = none;
  }

  async refreshCorpora() {
    try {
      const corpora = await api.listCorpora();
      fillCorpusSelect(this.el.corpus, corpora);
      this.corpora = corpora;
    } catch (e) {
      say(this.el.error, "Could not list the texts: " + words(e));
    }
  }

  /** Starts one job per run of the preset; the ids go into the hash. */
  async start() {
    say(this.el.error, "");
    await this.refreshCorpora();
    const corpus = (this.corpora || []).find((c) => c.id === this.el.corpus.value);
    if (!corpus) {
      say(this.el.error, "Upload a text under Train a model first: the runs learn from it.", "info");
      return;
    }
    const preset = RACE_PRESETS[this.el.preset.value];
    const steps = Number(this.el.steps.value), hidden = Number(this.el.hidden.value);
    const ids = [];
    try {
      for (const run of preset.runs) {
        const settings = { ...preset.base, ...run, corpusId: corpus.id, steps };
        delete settings.tag;
        if (this.el.preset.value === "cells") {
          settings.hidden = this.el.sizing.value === "parameters" ? hiddenForParameters(run.cell, hidden, corpus.distinctSymbols) : hidden;
        }
        settings.name = `${preset.label}: ${run.tag || run.cell.toUpperCase()} ${settings.hidden}`;
        ids.push((await api.startJob(settings)).id);
      }
    } catch (e) {
      say(this.el.error, "Could not start the runs: " + words(e));
      if (!ids.length) return;
    }
    this.state.race = ids.join(",");
    this.changed();
    this.follow(ids);
  }

  /** Follows the jobs through their histories until every one has finished. */
  follow(ids) {
    clearTimeout(this.timer);
    this.jobs = ids.map((id) => ({ id }));
    this.showCharts();
    this.el.table.dataset.state = "running";
    this.poll();
  }

  async poll() {
    try {
      await Promise.all(this.jobs.map(async (j) => {
        if (j.finished) return;
        const [job, history] = await Promise.all([api.getJob(j.id), api.jobHistory(j.id)]);
        Object.assign(j, { job, history, finished: ["done", "failed", "cancelled"].includes(job.status) });
      }));
      this.draw();
    } catch (e) {
      say(this.el.error, "Could not follow the runs: " + words(e));
      this.el.table.dataset.state = "error";
      return;
    }
    if (this.jobs.every((j) => j.finished)) this.el.table.dataset.state = "done";
    else this.timer = setTimeout(() => this.poll(), 1000);
  }

  draw() {
    const byTime = this.el.axis.value === "time";
    const names = [], styles = [], normNames = [], normStyles = [];
    this.jobs.forEach((j, i) => {
      const colour = COLOURS[i % COLOURS.length], tag = runName(j);
      names.push(`${tag} · training`, `${tag} · validation`);
      styles.push({ borderColor: colour + "99", backgroundColor: colour, borderWidth: 1.2 },
        { borderColor: colour, backgroundColor: colour, borderWidth: 2.6, pointRadius: 2.5 });
      normNames.push(tag);
      normStyles.push({ borderColor: colour, backgroundColor: colour, borderWidth: 1.4 });
    });
    this.chart.reset(names, styles);
    this.normChart.reset(normNames, normStyles);
    this.chart.chart.options.scales.x.title.text = byTime ? "training time (s)" : "step";
    this.jobs.forEach((j, i) => {
      for (const e of (j.history || []).filter((h) => h.type === "progress")) {
        const x = byTime ? e.data.trainingSeconds : e.data.step;
        const ds = this.chart.chart.data.datasets;
        if (Number.isFinite(e.data.loss)) ds[2 * i].data.push({ x, y: e.data.loss });
        if (e.data.valLoss != null) ds[2 * i + 1].data.push({ x, y: e.data.valLoss });
        if (e.data.gradNorm > 0) this.normChart.chart.data.datasets[i].data.push({ x: e.data.step, y: e.data.gradNorm });
      }
    });
    this.markClipping();
    this.chart.redraw();
    this.normChart.redraw();
    this.el.chart.dataset.datasets = String(this.chart.chart.data.datasets.length);
    this.table();
  }

  /** A dashed line at each clipping threshold: a step whose norm is drawn above it moved the weights as if it were on it. */
  markClipping() {
    const clips = new Set(this.jobs.map((j) => j.job?.spec?.clip).filter((c) => c > 0));
    const steps = this.normChart.chart.data.datasets.flatMap((d) => d.data.map((p) => p.x));
    if (!steps.length) return;
    const [first, last] = [Math.min(...steps), Math.max(...steps)];
    for (const clip of clips) {
      this.normChart.chart.data.datasets.push({
        label: `clipping threshold ${clip}: larger norms were scaled down to it`, data: [{ x: first, y: clip }, { x: last, y: clip }],
        borderColor: "#6b7280", backgroundColor: "#6b7280", borderDash: [4, 3], borderWidth: 1.2, pointRadius: 0,
      });
    }
  }

  table() {
    const head = row("th", ["run", "parameters", "status", "step", "time", "train loss", "validation loss"]);
    const rows = this.jobs.map((j) => {
      const job = j.job || {}, end = (j.history || []).find((h) => ["done", "failed", "cancelled"].includes(h.type));
      const status = job.status === "failed" ? (job.error || "failed") : job.status || "…";
      const corpus = (this.corpora || []).find((c) => job.spec && c.id === job.spec.corpusId);
      const params = corpus ? parameterCount(job.spec.cell, job.spec.hidden, corpus.distinctSymbols).toLocaleString("en-US") : "";
      // a run that failed (diverged) has no final loss: the last finite one it reported would look like a result
      const lossOf = (key) => (job.status === "failed" ? "–" : fmt(end && end.data[key] != null ? end.data[key] : job[key]));
      const tr = row("td", [runName(j), params, status,
        job.step != null ? `${job.step} / ${job.steps}` : "", job.trainingSeconds != null ? `${job.trainingSeconds.toFixed(1)} s` : "",
        lossOf("loss"), lossOf("valLoss")]);
      tr.dataset.status = job.status || "";
      return tr;
    });
    this.el.table.replaceChildren(document.createElement("thead"), document.createElement("tbody"));
    this.el.table.tHead.append(head);
    this.el.table.tBodies[0].append(...rows);
    const done = this.jobs.filter((j) => j.finished).length;
    this.el.status.textContent = this.jobs.length ? `${done} of ${this.jobs.length} runs finished.` : "";
  }
}

const runName = (j) => (j.job ? j.job.name.replace(/^.*: /, "") : j.id);
const fmt = (x) => (x == null || !Number.isFinite(x) ? "–" : x.toFixed(3));

function row(tag, cells) {
  const tr = document.createElement("tr");
  for (const c of cells) tr.append(Object.assign(document.createElement(tag), { textContent: c }));
  return tr;
}

const GATES = { rnn: 1, lstm: 4, gru: 3 };

/** Weights and biases of a 1-layer model: G·(H·V + H·H + 2H) recurrent, V·H + V decoder. */
export function parameterCount(cell, hidden, vocab) {
  return GATES[cell] * (hidden * vocab + hidden * hidden + 2 * hidden) + vocab * hidden + vocab;
}

/** The hidden size that gives a cell about as many parameters as an LSTM of `hidden` units. */
export function hiddenForParameters(cell, hidden, vocab) {
  const target = parameterCount("lstm", hidden, vocab);
  let h = 1;
  while (parameterCount(cell, h + 1, vocab) <= target) h++;
  return h;
}

/**
 * The norm axis: powers of ten, and over three decades or fewer also 5 times them, so that a short
 * range (a clipped run's 0.2 to 20) has more than two labels.
 */
function normTicks(value, index, ticks) {
  const label = powerOfTenTicks(value, index, ticks);
  if (label != null) return label;
  const decades = Math.log10(ticks[ticks.length - 1].value / ticks[0].value);
  const lead = value / Math.pow(10, Math.floor(Math.log10(value) + 1e-9));
  return decades <= 3 && Math.abs(lead - 5) < 1e-6 ? ratioWords(value) : null;
}
