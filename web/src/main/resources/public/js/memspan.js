// "How long can each model remember?": the memory-span experiment (core's MemorySpan) run by the
// server in the background — five models on the recall task at a few gaps, a few seeds each —
// drawn as accuracy against the gap: per model its mean over the seeds and a band from the lowest
// to the highest seed, chance as a dashed line, and where the GPT's block and the attending LSTM's
// K end. The caption is written from the server's summary, and says so when the run does not show
// what the lesson expects. The run's id lives in the hash (span=…); a reload follows it again.

import * as api from "./api.js";
import { LineChart } from "./linechart.js";
import { cellName } from "./gradients.js";
import { say, words } from "./messages.js";

// the race's and the line chart's palette, and a point shape and dash per model, so that the lines
// stay apart without colour
const STYLE = {
  rnn: { colour: "#c2410c", point: "circle", dash: [] },
  lstm: { colour: "#1d4ed8", point: "rect", dash: [] },
  gru: { colour: "#15803d", point: "triangle", dash: [6, 3] },
  "lstm-attention": { colour: "#7e22ce", point: "rectRot", dash: [2, 2] },
  gpt: { colour: "#0e7490", point: "star", dash: [8, 3, 2, 3] },
};
const GREY = "#6b7280";

export class MemorySpanView {
  /** el: {run, cancel, steps, seeds, gaps, cells (checkboxes), status, caption, chart, table, error}; state: span, spanSteps, spanSeeds, spanGaps, spanCells. */
  constructor(el, state, changed) {
    Object.assign(this, { el, state, changed });
    this.run = null;
    this.timer = 0;
    this.chart = new LineChart(el.chart, [], { xLabel: "gap: filler symbols between the letter and the cue", yLabel: "accuracy at the recalled letter", yMin: 0, yMax: 1 });
    const x = this.chart.chart.options.scales.x;
    x.type = "logarithmic";
    // ticks at the gaps measured, and nowhere else
    x.afterBuildTicks = (axis) => { axis.ticks = (this.run ? this.run.plan.gaps : []).filter((g) => g > 0).map((value) => ({ value })); };
    x.ticks.callback = (v) => String(v);
    this.chart.chart.options.plugins.legend.labels.filter = (item) => !item.text.startsWith("·");
    el.steps.value = state.spanSteps;
    el.seeds.value = state.spanSeeds;
    el.gaps.value = state.spanGaps;
    // the boxes ticked in index.html are the default (the four the fast engine trains): "" in the hash
    this.defaultCells = [...el.cells].filter((b) => b.checked).map((b) => b.value);
    const chosen = state.spanCells ? state.spanCells.split(",") : this.defaultCells;
    for (const box of el.cells) box.checked = chosen.includes(box.value);
    for (const [input, key] of [[el.steps, "spanSteps"], [el.seeds, "spanSeeds"], [el.gaps, "spanGaps"]]) {
      input.addEventListener("change", () => { state[key] = input.value.trim(); changed(); });
    }
    for (const box of el.cells) box.addEventListener("change", () => {
      const cells = this.chosenCells().join(",");
      state.spanCells = cells === this.defaultCells.join(",") ? "" : cells;
      changed();
    });
    el.run.addEventListener("click", () => this.start());
    el.cancel.addEventListener("click", () => this.cancel());
    this.setState("idle");
    this.draw();
    if (state.span) this.restore();
  }

  chosenCells() {
    return [...this.el.cells].filter((b) => b.checked).map((b) => b.value);
  }

  /** The models ticked, and only the fields the learner filled in: the rest take the page's defaults on the server (core's MemorySpanDefaults). */
  request() {
    const body = { cells: this.chosenCells() };
    if (this.el.steps.value.trim()) body.steps = Number(this.el.steps.value);
    if (this.el.seeds.value.trim()) body.seeds = Number(this.el.seeds.value);
    if (this.el.gaps.value.trim()) body.gaps = this.el.gaps.value.split(/[\s,]+/).filter(Boolean).map(Number);
    return body;
  }

  async start() {
    say(this.el.error, "");
    if (![...this.el.cells].some((b) => b.checked)) {
      say(this.el.error, "Tick at least one model.", "info");
      return;
    }
    try {
      this.show(await api.startMemorySpan(this.request()));
      this.state.span = this.run.id;
      this.changed();
      this.follow();
    } catch (e) {
      say(this.el.error, "Could not start the run: " + words(e));
    }
  }

  async cancel() {
    try {
      this.show(await api.cancelMemorySpan());
    } catch (e) {
      say(this.el.error, "Could not cancel the run: " + words(e));
    }
  }

  /** A reload: the run named in the hash, if the server still has it (runs live in its memory). */
  async restore() {
    try {
      const latest = await api.memorySpan();
      if (latest.id !== this.state.span) throw new Error("not the latest");
      this.show(latest);
      this.follow();
    } catch (e) {
      say(this.el.error, "The run this address names is no longer on the server (runs are kept in memory until the"
        + " next one or a restart): press Run for a new one.", "info");
    }
  }

  follow() {
    clearTimeout(this.timer);
    if (this.run.status !== "running") return;
    this.timer = setTimeout(async () => {
      try {
        this.show(await api.memorySpan());
      } catch (e) {
        say(this.el.error, "Could not follow the run: " + words(e));
        this.setState("error");
        return;
      }
      this.follow();
    }, 1000);
  }

  show(run) {
    this.run = run;
    this.setState(run.status === "running" ? "running" : run.status);
    this.draw();
  }

  setState(s) {
    this.el.table.dataset.state = s;
    this.el.run.disabled = s === "running";
    this.el.cancel.hidden = s !== "running";
  }

  draw() {
    const run = this.run;
    this.el.chart.closest(".chart-box").hidden = !run;
    if (!run) {
      this.el.status.textContent = "";
      this.el.caption.textContent = "Press Run: the server trains every ticked model at every gap with the same budget, a few seeds"
        + " each, and scores each on 500 fresh examples.";
      return;
    }
    const p = run.plan, b = p.budget;
    const where = run.running ? ` Now: ${run.running}, step ${run.step} of ${run.steps}.` : "";
    const ended = { done: "Done", cancelled: "Cancelled", stopped: "Stopped at the time cap", failed: "Failed", running: "Running" }[run.status];
    this.el.status.textContent = `${ended}: ${run.runsDone} of ${run.runsTotal} models trained in ${run.seconds.toFixed(0)} s`
      + ` (cap ${run.maxSeconds} s).${where} Each: ${b.steps} steps of batch ${b.batchSize}, width ${b.width}, Adam ${b.learningRate},`
      + ` BPTT window 2 × (gap + 4) (a GPT's: its block of ${b.gptBlock}); ${p.seeds} seeds.` + (run.error ? " " + run.error : "");
    this.drawChart(run);
    this.drawTable(run);
    this.el.caption.textContent = caption(run);
    this.el.caption.dataset.shows = shows(run);
  }

  drawChart(run) {
    const names = [], styles = [], points = [];
    const add = (name, style, data) => { names.push(name); styles.push(style); points.push(data); };
    for (const line of run.summary) {
      const s = STYLE[line.cell], tag = cellName(line.cell);
      const cells = line.gaps.filter((c) => c.mean != null && c.gap > 0);
      // the band: the highest seed, then the lowest filled up to it ("-1": the dataset before)
      add(`· ${tag} max`, { cell: line.cell, kind: "max", borderColor: "transparent", pointRadius: 0 }, cells.map((c) => ({ x: c.gap, y: c.max })));
      add(`· ${tag} min`, { cell: line.cell, kind: "min", borderColor: "transparent", backgroundColor: s.colour + "22", fill: "-1", pointRadius: 0 },
        cells.map((c) => ({ x: c.gap, y: c.min })));
      add(`${tag}, mean`, { cell: line.cell, kind: "mean", borderColor: s.colour, backgroundColor: s.colour, borderWidth: 2.4, borderDash: s.dash, pointStyle: s.point, pointRadius: 4 },
        cells.map((c) => ({ x: c.gap, y: c.mean })));
    }
    const gaps = run.plan.gaps.filter((g) => g > 0);
    if (gaps.length) {
      const [lo, hi] = [gaps[0], gaps[gaps.length - 1]];
      add("chance (1 in 4)", { kind: "chance", borderColor: GREY, backgroundColor: GREY, borderDash: [5, 4], borderWidth: 1.4, pointRadius: 0 },
        [{ x: lo, y: run.chance }, { x: hi, y: run.chance }]);
      for (const [cell, gap] of Object.entries(run.plan.inSight || {})) {
        if (!run.plan.cells.includes(cell) || gap < lo || gap > hi) continue;
        const what = cell === "gpt" ? `GPT's block of ${run.plan.budget.gptBlock} ends` : `attending LSTM's K = ${run.plan.budget.attend} ends`;
        add(`${what} (last gap in sight: ${gap})`, { cell, kind: "in-sight", borderColor: STYLE[cell].colour, backgroundColor: STYLE[cell].colour, borderDash: [1, 3], borderWidth: 1.6, pointRadius: 0 },
          [{ x: gap, y: 0 }, { x: gap, y: 1 }]);
      }
    }
    this.chart.reset(names, styles);
    points.forEach((data, i) => { this.chart.chart.data.datasets[i].data = data; });
    this.chart.redraw();
    this.el.chart.dataset.datasets = String(names.length);
  }

  /** The numbers behind the chart: mean and range per model and gap (what a screen reader reads). */
  drawTable(run) {
    const head = row("th", ["model", "parameters", ...run.plan.gaps.map((g) => `gap ${g}`)]);
    const rows = run.summary.map((line) => {
      const byGap = new Map(line.gaps.map((c) => [c.gap, c]));
      const tr = row("td", [cellName(line.cell), line.parameters.toLocaleString("en-US"), ...run.plan.gaps.map((g) => {
        const c = byGap.get(g);
        if (!c) return "…";
        if (c.mean == null) return "diverged";
        return c.seeds > 1 ? `${fmt(c.mean)} (${fmt(c.min)}–${fmt(c.max)})` : fmt(c.mean);
      })]);
      tr.dataset.cell = line.cell;
      return tr;
    });
    this.el.table.replaceChildren(document.createElement("thead"), document.createElement("tbody"));
    this.el.table.tHead.append(head);
    this.el.table.tBodies[0].append(...rows);
  }
}

const fmt = (x) => x.toFixed(2);

function row(tag, cells) {
  const tr = document.createElement("tr");
  for (const c of cells) tr.append(Object.assign(document.createElement(tag), { textContent: c }));
  return tr;
}

/**
 * Where a gated cell beat the vanilla RNN: the gaps at which the LSTM's or the GRU's mean is above
 * the vanilla RNN's best seed (so not a lucky seed of one against an unlucky one of the other).
 */
function gatedAhead(by) {
  const rnn = new Map(by.rnn.gaps.map((c) => [c.gap, c]));
  const found = [];
  for (const cell of ["lstm", "gru"]) {
    for (const c of by[cell] ? by[cell].gaps : []) {
      const r = rnn.get(c.gap);
      if (r && c.mean != null && r.max != null && c.mean > r.max) found.push({ cell, gap: c.gap, mean: c.mean, rnnBest: r.max });
    }
  }
  return found;
}

/**
 * What the lesson expects the run to show: "gated-ahead" when at some gap the LSTM or the GRU beat
 * the vanilla RNN (above), "not-shown" when at none, "" when the run lacks one of them.
 */
export function shows(run) {
  const by = Object.fromEntries(run.summary.map((l) => [l.cell, l]));
  if (!by.rnn || !(by.lstm || by.gru) || run.runsDone === 0) return "";
  return gatedAhead(by).length ? "gated-ahead" : "not-shown";
}

/** The caption, every number from the run's summary. */
export function caption(run) {
  if (!run.summary.length) return "No model has finished yet.";
  const recall = run.recalls.toFixed(1), chance = run.atChance.toFixed(2);
  const per = run.summary.map((l) => {
    const name = cellName(l.cell);
    const recalls = l.longestRecalled != null ? `recalls (mean ≥ ${recall}) up to gap ${l.longestRecalled}` : `recalls (mean ≥ ${recall}) at no gap measured`;
    const guesses = l.chanceFrom != null ? `is at chance (mean ≤ ${chance}) from gap ${l.chanceFrom} on` : "is above chance at every gap measured";
    return `the ${name} ${recalls} and ${guesses}`;
  });
  const parts = [capitalise(per.join("; ")) + "."];
  const verdict = shows(run);
  const by = Object.fromEntries(run.summary.map((l) => [l.cell, l]));
  if (verdict === "gated-ahead") {
    const wins = gatedAhead(by).map((w) => `the ${cellName(w.cell)} at gap ${w.gap} (mean ${fmt(w.mean)}, above the vanilla RNN's`
      + ` best seed, ${fmt(w.rnnBest)})`);
    parts.push(`A gated cell beat the vanilla RNN: ${wins.join("; ")}.`);
  } else if (verdict === "not-shown") {
    const gated = ["lstm", "gru"].filter((c) => by[c]).map((c) => `the ${cellName(c)}'s`).join(" or ");
    parts.push(`This run does not show the gated cells ahead of the vanilla RNN: at no gap is ${gated} mean`
      + ` above the vanilla RNN's best seed. At ${run.plan.budget.steps} steps they may not have learnt the longer gaps yet`
      + " (the table in docs/results.md trains longer).");
  }
  const gpt = by.gpt, block = run.plan.inSight && run.plan.inSight.gpt;
  if (gpt && block != null) {
    const past = gpt.gaps.filter((c) => c.gap > block && c.mean != null);
    const inside = gpt.gaps.filter((c) => c.gap <= block && c.mean != null);
    if (inside.length && inside.every((c) => c.mean <= run.atChance)) {
      parts.push(`The GPT is at chance even inside its block (gap ≤ ${block}): at this budget it has not learnt to look back`
        + " for the letter, so this run cannot show where its reach ends.");
    } else if (past.length) {
      const atChance = past.every((c) => c.mean <= run.atChance);
      parts.push(`Past its block (gap > ${block}) the GPT ${atChance ? "is at chance" : "is not at chance, which it should be"}:`
        + ` mean ${past.map((c) => `${fmt(c.mean)} at gap ${c.gap}`).join(", ")}; the letter is out of its sight.`);
    }
  }
  if (run.status !== "done") parts.push(`(${run.runsDone} of ${run.runsTotal} models so far.)`);
  return parts.join(" ");
}

const capitalise = (s) => s.charAt(0).toUpperCase() + s.slice(1);
