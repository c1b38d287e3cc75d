// "How far back gradients reach, averaged": one window's gradient is noise, so the server measures
// 100 predictions spread over a text (POST /api/models/{id}/reach, core's GradientReach) and this
// view draws, per step back k, the median share of each prediction's gradient left k steps back
// with its middle half as a band; the model in use and the one chosen under "Compare with" side by side.
// Two recurrent networks are drawn on h_{t−k} (an LSTM also on its cell state c), with the training
// window as a vertical line and, in words, the norm of one step's Jacobian ‖∂h_t/∂h_{t−1}‖. When a
// GPT or an LSTM that attends takes part, both are drawn on the one quantity every family has: the
// character read k steps back as the first layer sees it, x_{t−k}; a GPT's block is a vertical line.

import * as api from "./api.js";
import { LineChart } from "./linechart.js";
import { ratioWords, powerOfTenTicks, sameAlphabet, cellName } from "./gradients.js";
import { say, words } from "./messages.js";

const TEXT_SYMBOLS = 600;   // the text measured: 100 windows of 127 symbols spread over it
const LAGS = 100;
const POSITIONS = 100;
// beside a GPT, fewer predictions: each reads a whole block and attends over it, in float64 on the server
const GPT_POSITIONS = 40;
const MILESTONES = [20, 50];
const COLOURS = { main: "#c2410c", other: "#1d4ed8" };
/** The families the server measures: the ones with something read earlier for a gradient to reach. */
export const HAS_REACH = new Set(["rnn", "lstm", "gru", "lstm-attention", "gpt"]);
const Y_LABELS = { hidden: "‖∂Lₜ/∂hₜ₋ₖ‖ ÷ ‖∂Lₜ/∂hₜ‖", input: "‖∂Lₜ/∂xₜ₋ₖ‖ ÷ ‖∂Lₜ/∂xₜ‖" };

export class ReachView {
  /**
   * el: {chart, measure, summary, jacobian, text, error}; state: the page state (temperature,
   * topK, seed); currentText(): the symbols of the page's text; models(): the server's models;
   * modelId(): the model in use; compareId(): the one compared with ("" for none).
   */
  constructor(el, state, { currentText, models, modelId, compareId }) {
    Object.assign(this, { el, state, currentText, models, modelId, compareId });
    this.measured = null;
    this.generation = 0;
    this.chart = new LineChart(el.chart, [], {
      xLabel: "steps back k from the predicted character", yType: "logarithmic",
      yLabel: Y_LABELS.hidden, yTicks: powerOfTenTicks,
    });
    this.chart.chart.options.plugins.legend.labels.filter = (item) => !item.text.startsWith("·");
    el.measure.addEventListener("click", () => this.measure());
    this.setStatus("idle");
    this.draw();
  }

  /** Measures the model in use and the one compared with over the same text. */
  async measure() {
    const generation = ++this.generation;
    say(this.el.error, "");
    const id = this.modelId();
    if (!id || id.startsWith("file:")) {
      say(this.el.error, "This view needs a model on the server, which measures the gradients: import the file under Models.", "info");
      return;
    }
    const all = this.models();
    const main = all.find((m) => m.id === id) || { id };
    const otherId = this.compareId();
    const other = otherId && otherId !== id ? all.find((m) => m.id === otherId) || null : null;
    this.setStatus("measuring");
    this.el.measure.disabled = true;
    const started = performance.now();
    this.el.summary.textContent = "Measuring: the server is backpropagating the predictions…";
    try {
      const { text, serverWrote } = await this.textToMeasure(main);
      if (generation !== this.generation) return;
      // positions: the server's default (fewer for a large model); GPT_POSITIONS for a GPT
      const lags = lagsFor([main, other]);
      const ask = (m) => ({ text, lags, ...(m.cell === "gpt" ? { positions: GPT_POSITIONS } : {}) });
      const [a, b] = await Promise.all([api.reach(main.id, ask(main)), other ? api.reach(other.id, ask(other)) : null]);
      if (generation !== this.generation) return;
      const seconds = (performance.now() - started) / 1000;
      this.measured = { text, serverWrote, seconds, main: { model: main, reach: a }, other: other && { model: other, reach: b } };
      this.draw();
      this.setStatus("done");
    } catch (e) {
      if (generation !== this.generation) return;
      say(this.el.error, "Could not measure the gradients: " + words(e));
      this.setStatus("error");
    } finally {
      if (generation === this.generation) this.el.measure.disabled = false;
    }
  }

  /** The page's last TEXT_SYMBOLS symbols; the server continues the text when the page has fewer. */
  async textToMeasure(main) {
    const symbols = this.currentText();
    if (symbols.length >= TEXT_SYMBOLS) return { text: symbols.slice(-TEXT_SYMBOLS).join(""), serverWrote: 0 };
    const prime = symbols.join("");
    const sample = await api.sample(main.id, {
      prime, length: TEXT_SYMBOLS - symbols.length,
      temperature: this.state.temperature, topK: this.state.topK, seed: this.state.seed,
    });
    const all = Array.from(prime + sample.text).slice(-TEXT_SYMBOLS);
    return { text: all.join(""), serverWrote: Math.min(all.length, Array.from(sample.text).length) };
  }

  draw() {
    const m = this.measured;
    const names = [], styles = [], lines = [];
    if (!m) {
      this.chart.reset([]);
      this.el.summary.textContent = `Press Measure: the server backpropagates up to ${POSITIONS} predictions of the text`
        + ` ${LAGS} steps back each (fewer for a large model; the line under the chart then says how many, and how long it took).`;
      this.el.jacobian.textContent = "";
      this.el.text.textContent = "";
      this.el.chart.dataset.datasets = "0";
      return;
    }
    const path = pathOf(m);
    this.chart.setYLabel(Y_LABELS[path]);
    let low = 1;
    for (const which of ["main", "other"]) {
      const entry = m[which];
      if (!entry) continue;
      const r = entry.reach.reach;
      const band = drawnBand(r, path);
      const colour = COLOURS[which];
      const tag = label(entry.model);
      const what = path === "input" ? "x, median" : "h, median";
      // band: the q75 line, then q25 filled up to it ("-1": the dataset before)
      addLine(names, styles, lines, "· " + tag + " q75", band.q75, { borderColor: "transparent", pointRadius: 0 });
      addLine(names, styles, lines, "· " + tag + " q25", band.q25,
        { borderColor: "transparent", backgroundColor: colour + "26", fill: "-1" });
      addLine(names, styles, lines, `${tag} · ${what}`, band.median, { borderColor: colour, backgroundColor: colour, borderWidth: 2.4 });
      if (path === "hidden" && r.cell) {
        addLine(names, styles, lines, `${tag} · cell state c, median`, r.cell[r.cell.length - 1].median,
          { borderColor: colour, backgroundColor: colour, borderDash: [6, 4], borderWidth: 1.6 });
      }
      for (const line of lines) for (const v of line) if (v > 0 && v < low) low = v;
    }
    this.chart.reset(names, styles);
    // a share of 0 (a GPT beyond its block) has no place on a log scale: left out, and said in words
    lines.forEach((line, i) => line.forEach((v, k) => this.chart.chart.data.datasets[i].data.push({ x: k, y: v > 0 ? v : null })));
    const entries = [m.main, m.other].filter(Boolean);
    const lags = entries[0].reach.reach.lags;
    const vertical = (text, x, dash) => this.chart.chart.data.datasets.push({
      label: text, data: [{ x, y: low }, { x, y: 1 }], borderColor: "#6b7280", backgroundColor: "#6b7280", borderDash: dash, borderWidth: 1.4,
    });
    // a GPT's training window is its block: the block line says both
    const windows = entries.filter((e) => !e.reach.reach.blockSize).map((e) => e.reach.trainingWindow).filter((w) => w && w <= lags);
    for (const w of new Set(windows)) vertical(`training window (${w} steps)`, w, [2, 3]);
    const blocks = entries.map((e) => e.reach.reach.blockSize).filter((b) => b && b <= lags);
    for (const b of new Set(blocks)) vertical(`GPT block (${b} positions): nothing further back is read`, b, [8, 3]);
    this.chart.redraw();
    this.el.chart.dataset.datasets = String(this.chart.chart.data.datasets.length);
    this.el.chart.dataset.path = path;
    if (path === "input") this.summarizeInputs(m);
    else this.summarize(m);
  }

  /** What the bands support, and no more: where the middle halves overlap, it says so. */
  summarize(m) {
    const a = m.main, b = m.other;
    const ra = a.reach.reach, topA = ra.hidden.length - 1;
    // two cells side by side are named by their cell; otherwise by their names
    const short = (e) => (b && a.model.cell !== b.model.cell ? cellName(e.model.cell) : name(e.model));
    const parts = [];
    for (const k of MILESTONES) {
      const bandA = at(ra.hidden[topA], k);
      if (!b) {
        parts.push(`${k} steps back: ${ratioWords(bandA.median)} (middle half ${ratioWords(bandA.q25)}–${ratioWords(bandA.q75)})`);
        continue;
      }
      const rb = b.reach.reach, bandB = at(rb.hidden[rb.hidden.length - 1], k);
      const verdict = bandA.q25 > bandB.q75 ? `no overlap: ${short(a)} keeps more`
        : bandB.q25 > bandA.q75 ? `no overlap: ${short(b)} keeps more` : "the middle halves overlap: no clear difference";
      parts.push(`${k} steps back: ${short(a)} ${ratioWords(bandA.median)}, ${short(b)} ${ratioWords(bandB.median)} — ${verdict}`);
    }
    const window = a.reach.trainingWindow;
    this.el.summary.textContent = "Median share of a prediction's gradient left " + parts.join(". ") + "."
      + (window ? ` Training backpropagated through ${window} steps only.` : "");
    this.el.summary.dataset.median50 = String(at(ra.hidden[topA], 50).median);
    this.el.jacobian.textContent = [a, b].filter(Boolean).map((e) => jacobianWords(e)).join(" ");
    this.describeText(m, "the top layer is drawn");
  }

  /**
   * The input path in words, from the numbers drawn: what share each model keeps on the character
   * read 50 steps back (in percent), how much the median falls between 1 and 50 steps back, and
   * for a GPT where its block ends.
   */
  summarizeInputs(m) {
    const entries = [m.main, m.other].filter(Boolean);
    const both = entries.length === 2 && entries[0].model.cell !== entries[1].model.cell;
    const short = (e) => (both ? cellName(e.model.cell) : name(e.model));
    const k = Math.min(50, entries[0].reach.reach.lags);
    const keeps = entries.map((e) => `${short(e)} ${percentWords(e.reach.reach.input.median[k])}`);
    const falls = entries.map((e) => {
      const med = e.reach.reach.input.median;
      const factor = med[1] / med[k];
      const far = med[k] > 0 ? `${factor >= 10 ? Math.round(factor) : factor.toPrecision(2)} times smaller ${k} steps back than 1 step back` : `0 at ${k} steps back`;
      return `${short(e)}: ${far}`;
    });
    const blocks = entries.filter((e) => e.reach.reach.blockSize).map((e) =>
      ` ${short(e)} reads a block of ${e.reach.reach.blockSize} characters: further back its gradient is exactly 0, by construction, not drawn on this log scale.`);
    this.el.summary.textContent = `Median share of a prediction's gradient on the character read ${k} steps back:`
      + ` ${keeps.join(", ")}. How flat each curve is: ${falls.join("; ")}.` + blocks.join("");
    this.el.summary.dataset.median50 = String(entries[0].reach.reach.input.median[k]);
    this.el.jacobian.textContent = "Attention gives every earlier position in reach a path of length one to the prediction;"
      + " a recurrent network's path to the character k steps back is k steps long. Whether the curve is then flat is what the measurement says.";
    this.describeText(m, "x is the character as the first layer sees it (a GPT's token + position embedding, an LSTM's W_ih x)");
  }

  /**
   * The measured text, quoted, how it was read, and how many predictions in how long: the counts
   * are the server's answer (it measures fewer predictions of a large model).
   */
  describeText(m, drawn) {
    const r = m.main.reach.reach;
    const entries = [m.main, m.other].filter(Boolean);
    const counts = entries.map((e) => e.reach.reach.positions);
    const predictions = counts.every((c) => c === counts[0]) ? String(counts[0])
      : entries.map((e) => `${e.reach.reach.positions} (${name(e.model)})`).join(" and ");
    this.el.text.dataset.positions = counts.join(",");
    this.el.text.replaceChildren(
      `Measured in ${m.seconds.toFixed(1)} s over ${predictions} predictions of these ${Array.from(m.text).length} symbols`
        + (m.serverWrote ? ` (the server wrote the last ${m.serverWrote})` : "")
        + `, each read from a blank state ${r.windowLength - 1} symbols before it; ${drawn}: `,
      Object.assign(document.createElement("q"), { textContent: m.text.replace(/\n/g, "↵") }));
    this.el.text.dataset.text = m.text;
  }

  setStatus(status) {
    this.el.chart.dataset.state = status;
  }
}

/**
 * The model drawn beside a GPT or an LSTM that attends: the one chosen under "Compare with" if
 * it has a reach; until the learner chooses ("auto"), a model over the same alphabet, an LSTM first.
 */
export function reachCompareId(models, id, chosen) {
  const measurable = (m) => m.id !== id && HAS_REACH.has(m.cell);
  if (chosen !== "auto") return models.some((m) => m.id === chosen && measurable(m)) ? chosen : "";
  const current = models.find((m) => m.id === id);
  if (!current) return "";
  const same = models.filter((m) => measurable(m) && sameAlphabet(m, current));
  const pick = same.find((m) => m.cell === "lstm" && current.cell !== "lstm") || same.find((m) => m.cell !== current.cell) || same[0];
  return pick ? pick.id : "";
}

/** Steps back asked for: 100, or a GPT's block and 20 more, so its edge shows (at most the server's 200). */
function lagsFor(models) {
  const blocks = models.filter((m) => m && m.cell === "gpt" && m.shape).map((m) => Number(m.shape.block_size) + 20);
  return Math.min(200, Math.max(LAGS, ...blocks));
}

/** "input" when a model without an h path takes part, so both are drawn on the quantity they share. */
const pathOf = (m) => ([m.main, m.other].some((e) => e && !e.reach.reach.hidden) ? "input" : "hidden");

const drawnBand = (r, path) => (path === "input" ? r.input : r.hidden[r.hidden.length - 1]);

function addLine(names, styles, lines, nameText, values, style) {
  names.push(nameText);
  styles.push({ pointRadius: 0, ...style });
  lines.push(values);
}

const at = (band, k) => ({ q25: band.q25[k], median: band.median[k], q75: band.q75[k] });

/** A share as a percentage a learner reads at a glance: "12%", "0.3%", "0.0004%". */
function percentWords(r) {
  if (r === 0) return "nothing (0)";
  const p = 100 * r;
  return (p >= 1 ? String(Math.round(p)) : String(Number(p.toPrecision(1)))) + "%";
}

/**
 * One step's Jacobian in words, beside what the gradient actually did: the spectral norm bounds
 * how much a step can stretch a gradient; the median curve says how much it shrank per step.
 */
function jacobianWords(entry) {
  const r = entry.reach.reach, top = r.hidden.length - 1, j = r.stepJacobian[top];
  const k = Math.min(50, r.lags);
  const perStep = Math.pow(r.hidden[top].median[k], 1 / k);
  return `${name(entry.model)}: one step's Jacobian ‖∂hₜ/∂hₜ₋₁‖ (its largest stretch, the spectral norm) is ${j.median.toFixed(2)}`
    + ` at the median position (middle half ${j.q25.toFixed(2)}–${j.q75.toFixed(2)}; above 1 at ${Math.round(100 * j.fractionAbove1)}%),`
    + ` while over ${k} steps the gradient shrank by ${perStep.toFixed(2)} per step on average:`
    + (j.median > 1 && perStep < 1 ? " a step can stretch some direction, but not the one the gradient points in, step after step."
      : perStep < 1 ? " each step shrinks it." : " it does not shrink.");
}


function name(m) {
  const base = m.name || m.id;
  const cell = cellName(m.cell);
  return !m.cell || base.toLowerCase().includes(cell.toLowerCase()) ? base : `${base} (${cell})`;
}
const label = (m) => { const n = name(m); return n.length > 40 ? n.slice(0, 39) + "…" : n; };
