// "Compare runs": one click starts several ordinary training jobs on the same text and draws them
// in one chart: a vanilla RNN, an LSTM, a GRU and a GPT in a race (same steps, batch and window;
// the same hidden size or about the same number of parameters), or a vanilla RNN at a high
// learning rate with gradient clipping off and on. The job ids live in the URL hash (race=…), and
// the jobs are the server's, so a reload or a server restart picks the runs up where they are.

import * as api from "./api.js";
import { loadEngine, parameterCount } from "./engine.js";
import { LineChart } from "./linechart.js";
import { powerOfTenTicks, ratioWords } from "./gradients.js";
import { say, words } from "./messages.js";
import { renderLeaders, renderTable, runName } from "./raceresults.js";
import { fillCorpusSelect } from "./corpora.js";

// orange, blue, green, purple: told apart by colour-blind readers too, and the GPT's line is dashed
const COLOURS = ["#c2410c", "#1d4ed8", "#15803d", "#7e22ce"];

/**
 * The GPT's own recipe (nanoGPT's, docs/results.md): AdamW with weight decay 0.1, a second-moment
 * decay of 0.99, clipping at 1 and a linear warm-up over the first tenth of the run (at most the
 * recipe's 100 steps). One Adam setting for all four would be unfair to one family or the other.
 * Two blocks of four heads; its block is the cells' BPTT window, so every run reads the same
 * characters a step.
 */
const GPT_RUN = {
  cell: "gpt", layers: 2, heads: 4, optimizer: "adamw", lr: 0.003, beta2: 0.99, weightDecay: 0.1, clip: 1,
  warmup: (steps) => Math.min(100, Math.ceil(steps / 10)),
};

/** Each preset: the runs it starts, as job settings over a base (a function of the steps where the budget decides), and what it shows. */
export const RACE_PRESETS = {
  cells: {
    label: "Four models, one race",
    base: { layers: 1, seqLength: 50, batchSize: 16, optimizer: "adam", lr: 0.003, clip: 5, evalEvery: 50 },
    runs: [{ cell: "rnn" }, { cell: "lstm" }, { cell: "gru" }, GPT_RUN],
  },
  clipping: {
    label: "Exploding gradients: clipping off and on",
    // SGD at lr 2: without clipping the first large gradient throws the weights far off
    base: { cell: "rnn", hidden: 64, layers: 1, seqLength: 50, batchSize: 8, optimizer: "sgd", lr: 2, evalEvery: 50 },
    runs: [{ clip: 0, tag: "clipping off" }, { clip: 0.5, tag: "clipping at 0.5" }],
  },
};

/** The x axes: what each progress point is drawn at. */
const AXES = {
  step: { label: "step", x: (d) => d.step },
  time: { label: "training time (s)", x: (d) => d.trainingSeconds },
  characters: { label: "characters read", x: (d) => d.charactersSeen },
};

export class RaceView {
  /** el: {preset, corpus, steps, hidden, sizing, start, chart, normChart, table, leaders, axis, status, error}; state: race, racePreset, raceAxis. */
  constructor(el, state, changed) {
    Object.assign(this, { el, state, changed });
    this.jobs = [];        // [{id, job, history, finished}]
    this.timer = 0;
    el.preset.replaceChildren(...Object.entries(RACE_PRESETS).map(([k, p]) => new Option(p.label, k)));
    el.preset.value = state.racePreset;
    el.preset.addEventListener("change", () => { state.racePreset = el.preset.value; changed(); this.showSizing(); });
    el.start.addEventListener("click", () => this.start());
    el.axis.value = AXES[state.raceAxis] ? state.raceAxis : "step";
    el.axis.addEventListener("change", () => { state.raceAxis = el.axis.value; changed(); this.draw(); });
    this.chart = new LineChart(el.chart, [], { xLabel: "step", yLabel: "loss (nats/char)" });
    // the norm each step computed, before any clipping scaled it down (the job reports it so)
    this.normChart = new LineChart(el.normChart, [], {
      xLabel: "step", yLabel: "gradient norm, before clipping", yType: "logarithmic", yTicks: normTicks,
    });
    this.normChart.chart.options.scales.y.ticks.autoSkip = false;   // normTicks chooses the labels; Chart.js would drop all but 1 and 10 of a short axis
    this.learnersHidden = el.hidden.value;
    this.showSizing();
    this.corporaListed = this.refreshCorpora();   // the table counts parameters for the run's text
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
      await loadEngine();   // core counts the parameters the runs are sized by
      const runs = preset.runs.map((run) => runSettings(preset.base, run, steps));
      if (this.el.preset.value === "cells") sizeRuns(runs, hidden, preset.base.layers, this.el.sizing.value, corpus.distinctSymbols);
      for (const [i, settings] of runs.entries()) {
        const name = `${preset.label}: ${preset.runs[i].tag || settings.cell.toUpperCase()} ${settings.hidden}`;
        ids.push((await api.startJob({ ...settings, corpusId: corpus.id, name })).id);
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
      // the engine is asked for only after the server answered, by when the page has chosen its build (main.js)
      await Promise.all([this.corporaListed, loadEngine()]);
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
    const axis = AXES[this.el.axis.value] || AXES.step;
    const names = [], styles = [], normNames = [], normStyles = [];
    this.jobs.forEach((j, i) => {
      const colour = COLOURS[i % COLOURS.length], tag = runName(j);
      const dash = j.job?.spec?.cell === "gpt" ? { borderDash: [6, 3] } : {};
      names.push(`${tag} · training`, `${tag} · validation`);
      styles.push({ borderColor: colour + "99", backgroundColor: colour, borderWidth: 1.2, ...dash },
        { borderColor: colour, backgroundColor: colour, borderWidth: 2.6, pointRadius: 2.5, ...dash });
      normNames.push(tag);
      normStyles.push({ borderColor: colour, backgroundColor: colour, borderWidth: 1.4, ...dash });
    });
    this.chart.reset(names, styles);
    this.normChart.reset(normNames, normStyles);
    this.chart.chart.options.scales.x.title.text = axis.label;
    this.jobs.forEach((j, i) => {
      for (const e of (j.history || []).filter((h) => h.type === "progress")) {
        const x = axis.x(e.data);
        const ds = this.chart.chart.data.datasets;
        if (x != null && Number.isFinite(e.data.loss)) ds[2 * i].data.push({ x, y: e.data.loss });
        if (x != null && e.data.valLoss != null) ds[2 * i + 1].data.push({ x, y: e.data.valLoss });
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
    const vocab = (job) => (this.corpora || []).find((c) => c.id === job.spec.corpusId)?.distinctSymbols;
    renderTable(this.el.table, this.jobs, vocab);
    renderLeaders(this.el.leaders, this.jobs);
    const done = this.jobs.filter((j) => j.finished).length;
    this.el.status.textContent = this.jobs.length ? `${done} of ${this.jobs.length} runs finished.` : "";
  }
}

/** A run's job settings: the preset's base, the run's own, the steps; a setting given as a function of the steps is worked out. */
function runSettings(base, run, steps) {
  const settings = { ...base, ...run, steps };
  for (const [key, value] of Object.entries(settings)) if (typeof value === "function") settings[key] = value(steps);
  delete settings.tag;
  return settings;
}

/**
 * The race's one sizing rule, for every family: the same hidden size (a GPT's width rounded to a
 * multiple of its heads, which must divide it), or ("parameters") the largest size whose model core
 * counts at most the parameters of an LSTM of `hidden` units and `layers` layers; a GPT's width grows
 * in steps of its heads. Sets each run's `hidden`.
 */
export function sizeRuns(runs, hidden, layers, sizing, vocab) {
  const target = parameterCount({ cell: "lstm", hidden, layers }, vocab);
  for (const run of runs) {
    const stride = run.cell === "gpt" ? run.heads : 1;
    if (sizing !== "parameters") {
      run.hidden = Math.max(stride, Math.round(hidden / stride) * stride);
      continue;
    }
    let h = stride;
    while (parameterCount({ ...run, hidden: h + stride }, vocab) <= target) h += stride;
    run.hidden = h;
  }
}

/**
 * The norm axis: powers of ten, and over three decades or fewer also 5 times them, so that a short
 * range (a clipped run's 0.2 to 20) has more than two labels.
 */
function normTicks(value, index, ticks) {
  const decades = Math.log10(ticks[ticks.length - 1].value / ticks[0].value);
  const lead = value / Math.pow(10, Math.floor(Math.log10(value) + 1e-9));
  // a short axis would label every tick (0.1, 0.2, …, 0.9, 1, 2, …) and the labels between 0.4 and
  // 1 overlap in the chart's 220 px: keep 1, 2 and 5 of each decade
  if (decades < 2 && ![1, 2, 5].some((d) => Math.abs(lead - d) < 1e-6)) return null;
  const label = powerOfTenTicks(value, index, ticks);
  if (label != null) return label;
  return decades <= 3 && Math.abs(lead - 5) < 1e-6 ? ratioWords(value) : null;
}
