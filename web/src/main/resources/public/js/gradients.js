// The "Gradients through time" view: how far back the gradient of one prediction reaches. The
// server runs backpropagation through time over the text (POST /api/models/{id}/inspect) and
// returns ‖dL_T/dh_t‖ for the loss of the last character alone; this view draws it against the
// number of steps back, on a log scale, one line per layer, and the top layer of a second model
// over the same text, so that a vanilla RNN and an LSTM can be seen side by side.

import * as api from "./api.js";
import { LineChart } from "./linechart.js";
import { describe, modelLabel } from "./models.js";
import { say, words } from "./messages.js";

const WINDOW = 100;                   // symbols measured: the last 100 of the text
const MILESTONES = [10, 20, 50];      // steps back the summary names
const HEADLINE = 20;                  // the one it leads with
const MAX_INSPECT_SYMBOLS = 1001;     // the server's bounds (Inference.inspectLimit)
const MAX_INSPECT_VALUES = 1_000_000;

// this model: its top layer strong, lower layers lighter; the model compared with: blue
const LAYER_COLOURS = ["#c2410c", "#fb923c", "#fdba74", "#fed7aa"];
const OTHER_COLOUR = "#1d4ed8";

export class GradientsView {
  /**
   * el: {chart, measure, compare, relative, summary, text, error}; state: the page state (reads
   * compare, relative, temperature, topK, seed); changed(): saves it; currentText(): the symbols
   * of the text so far (seed text and written), as an array.
   */
  constructor(el, state, changed, currentText) {
    this.el = el;
    this.state = state;
    this.changed = changed;
    this.currentText = currentText;
    this.models = [];         // the server's models, from the Models panel
    this.modelId = "";        // the model in use
    this.measured = null;     // {text, serverWrote, main: {model, inspection}, other: {…} | null}
    this.cache = new Map();   // "id\ntext" -> inspection
    this.generation = 0;      // counts measurements: the answers to an older one are dropped
    this.timer = 0;
    // Measuring costs the server a backward pass (and a sample when the page has written too
    // little), so it waits until the view is on screen: a model chosen while the learner reads
    // elsewhere is measured when they scroll here, not at once.
    this.onScreen = typeof IntersectionObserver === "undefined";
    this.wanted = false;      // a measurement is due once the view is on screen
    if (!this.onScreen) {
      new IntersectionObserver((entries) => {
        this.onScreen = entries[entries.length - 1].isIntersecting;
        if (this.onScreen && this.wanted) this.measureSoon();
      }).observe(el.chart);
    }
    this.chart = new LineChart(el.chart, [], {
      xLabel: "steps back from the last character", yType: "logarithmic", yTicks: powerOfTenTicks,
    });
    this.chart.chart.options.plugins.tooltip = {
      callbacks: { label: (item) => `${item.dataset.label}: ${ratioWords(item.parsed.y)}` },
    };
    el.measure.addEventListener("click", () => this.measure(true));
    el.compare.addEventListener("change", () => {
      state.compare = el.compare.value;
      changed();
      this.measure(true);
    });
    el.relative.checked = state.relative;
    el.relative.addEventListener("change", () => {
      state.relative = el.relative.checked;
      changed();
      this.draw();
    });
    this.setStatus("idle");
    this.draw();
  }

  /** The server's models changed (listed, trained, imported, deleted). */
  setModels(models) {
    this.models = models;
    this.renderCompare();
  }

  /** Another model is in use: measure it once the choice has settled. */
  setModel(id) {
    this.modelId = id;
    this.renderCompare();
    this.measureSoon();
  }

  /**
   * The page has finished writing: if the last measurement had to borrow text from the server,
   * measure again over what the page wrote.
   */
  textChanged() {
    if (this.measured && this.measured.serverWrote && this.measured.main.model.id === this.modelId) this.measureSoon();
  }

  /** Measures once the choice has settled (400 ms), or, while the view is off screen, when it comes into view. */
  measureSoon() {
    clearTimeout(this.timer);
    this.wanted = !this.onScreen;
    if (this.onScreen) this.timer = setTimeout(() => this.measure(), 400);
  }

  renderCompare() {
    const others = this.models.filter((m) => m.id !== this.modelId);
    const options = [new Option("no other model", ""),
      ...others.map((m) => new Option(modelLabel(m, this.models), m.id))];
    this.el.compare.replaceChildren(...options);
    this.el.compare.disabled = !others.length;
    const chosen = this.state.compare;
    if (chosen && chosen !== "auto" && this.models.length && !others.some((m) => m.id === chosen)) {
      this.state.compare = "";   // deleted, or now the model in use
      this.changed();
    }
    this.el.compare.value = this.compareId();
  }

  /**
   * The id of the model drawn beside the one in use, or "". Until the learner chooses ("auto"), it
   * is a model over the same alphabet (so the steps line up), preferably of another cell type, and
   * beside a gated cell a vanilla RNN first, so that an RNN and an LSTM appear side by side at once.
   */
  compareId() {
    if (this.state.compare !== "auto") return this.state.compare;
    const current = this.models.find((m) => m.id === this.modelId);
    if (!current) return "";
    const sameText = this.models.filter((m) => m.id !== this.modelId && sameAlphabet(m, current));
    const contrast = (current.cell !== "rnn" && sameText.find((m) => m.cell === "rnn"))
      || sameText.find((m) => m.cell !== current.cell) || sameText[0];
    return contrast ? contrast.id : "";
  }

  /**
   * Asks the server for the gradients of the model in use (and the one compared with) over the
   * text. asked: a person pressed something, so a server with a token may ask them for it.
   */
  async measure(asked = false) {
    clearTimeout(this.timer);
    this.wanted = false;
    const generation = ++this.generation;
    this.el.measure.disabled = false;   // an older measurement may have left it disabled
    say(this.el.error, "");
    if (!this.modelId) return;
    if (this.modelId.startsWith("file:")) {
      this.measured = null;
      this.draw();
      this.setStatus("unavailable");
      say(this.el.error, "This view needs a model on the server, which measures the gradients: import the file"
        + " under Models (Import .safetensors…), or pick a model the server has.", "info");
      return;
    }
    const main = this.models.find((m) => m.id === this.modelId) || { id: this.modelId };
    const other = this.models.find((m) => m.id === this.compareId() && m.id !== this.modelId) || null;
    this.setStatus("measuring");
    this.el.measure.disabled = true;
    try {
      const { text, serverWrote } = await this.textToMeasure(main, other, asked);
      if (generation !== this.generation) return;
      const [mainInspection, otherInspection] = await Promise.all([
        this.inspect(main.id, text, asked), other ? this.inspect(other.id, text, asked) : null]);
      if (generation !== this.generation) return;
      this.measured = {
        text, serverWrote,
        main: { model: main, inspection: mainInspection },
        other: other && { model: other, inspection: otherInspection },
      };
      this.draw();
      this.setStatus("done");
    } catch (e) {
      if (generation !== this.generation) return;
      if (e.status === 401 && !asked) {
        say(this.el.error, "This server asks for its access token before it measures: press Measure to give it.", "info");
        this.setStatus("idle");
        return;
      }
      say(this.el.error, "Could not measure the gradients: " + words(e));
      this.setStatus("error");
    } finally {
      if (generation === this.generation) this.el.measure.disabled = false;
    }
  }

  /**
   * The last WINDOW symbols of the text so far. When the page has written fewer, the server
   * continues the text with the model in use and the page's settings, so there is always a
   * window long enough to see the gradient fade.
   */
  async textToMeasure(main, other, asked) {
    const limit = Math.min(WINDOW, inspectLimit(main), other ? inspectLimit(other) : WINDOW);
    const symbols = this.currentText();
    if (symbols.length >= limit) return { text: symbols.slice(-limit).join(""), serverWrote: 0 };
    const prime = symbols.join("");
    const sample = await api.sample(main.id, {
      prime, length: limit - symbols.length,
      temperature: this.state.temperature, topK: this.state.topK, seed: this.state.seed,
    }, asked);
    const all = Array.from(prime + sample.text).slice(-limit);
    return { text: all.join(""), serverWrote: Math.min(all.length, Array.from(sample.text).length) };
  }

  async inspect(id, text, asked) {
    const key = id + "\n" + text;
    if (!this.cache.has(key)) {
      if (this.cache.size > 16) this.cache.clear();
      this.cache.set(key, await api.inspect(id, text, asked));
    }
    return this.cache.get(key);
  }

  /** Draws what was measured last (again, e.g. when switching to relative values). */
  draw() {
    const relative = this.state.relative;
    this.chart.setYLabel(relative ? "‖dL/dh‖ ÷ its value at the last character" : "‖dL/dh‖ (last character's loss)");
    const m = this.measured;
    if (!m) {
      this.chart.reset([]);
      this.showCounts();
      this.el.summary.textContent = "Press Measure to see how far back the gradient of the last character reaches.";
      this.el.text.textContent = "";
      delete this.el.text.dataset.text;
      for (const k of MILESTONES) delete this.el.summary.dataset["ratio" + k];
      delete this.el.summary.dataset.compareRatio20;
      return;
    }
    const layers = m.main.inspection.gradientNormsFromLast;
    const lines = [], names = [], styles = [];
    // the top layer first: it is the line the summary speaks of
    for (let l = layers.length - 1; l >= 0; l--) {
      const top = l === layers.length - 1;
      lines.push(stepsBack(layers[l], relative));
      names.push(label(m.main.model, layers.length > 1 ? `layer ${l + 1}${top ? " (top)" : ""}` : ""));
      styles.push(lineStyle(LAYER_COLOURS[Math.min(layers.length - 1 - l, LAYER_COLOURS.length - 1)], top));
    }
    if (m.other) {
      const otherLayers = m.other.inspection.gradientNormsFromLast;
      lines.push(stepsBack(otherLayers[otherLayers.length - 1], relative));
      names.push(label(m.other.model, otherLayers.length > 1 ? "top layer" : ""));
      styles.push(lineStyle(OTHER_COLOUR, true));
    }
    this.chart.reset(names, styles);
    const longest = Math.max(...lines.map((line) => line.length));
    for (let k = 0; k < longest; k++) this.chart.addDataPoint(k, lines.map((line) => line[k] ?? null));
    this.chart.redraw();
    this.showCounts();
    this.summarize(m);
  }

  showCounts() {
    this.el.chart.dataset.points = String(this.chart.size(0));
    this.el.chart.dataset.datasets = String(this.chart.chart.data.datasets.length);
  }

  /** One line in plain words: how much of the gradient is left 10, 20 and 50 steps back. */
  summarize(m) {
    const mainTop = topLayer(m.main.inspection);
    const steps = mainTop.length - 1;   // the farthest one can look back in this window
    const shown = MILESTONES.filter((k) => k <= steps);
    for (const k of MILESTONES) {
      if (k <= steps) this.el.summary.dataset["ratio" + k] = String(ratioAt(mainTop, k));
      else delete this.el.summary.dataset["ratio" + k];
    }
    const headline = shown.includes(HEADLINE) ? HEADLINE : shown.length ? shown[shown.length - 1] : steps;
    const r = ratioAt(mainTop, headline);
    const rest = shown.filter((k) => k !== headline).map((k) => `${k} steps: ${ratioWords(ratioAt(mainTop, k))}`);
    let text = `After ${headline} steps back, the gradient in ${name(m.main.model)} is ${ratioWords(r)} of its size`
      + ` at the last character${rest.length ? ` (${rest.join("; ")})` : ""}.`;
    delete this.el.summary.dataset.compareRatio20;
    if (m.other) {
      const otherTop = topLayer(m.other.inspection);
      if (headline < otherTop.length) {
        const r2 = ratioAt(otherTop, headline);
        if (headline === 20) this.el.summary.dataset.compareRatio20 = String(r2);
        const far = shown.filter((k) => k > headline && k < otherTop.length).pop();
        text += ` In ${name(m.other.model)} it is ${ratioWords(r2)}${timesWords(r2, r)}`
          + (far ? `; after ${far} steps ${ratioWords(ratioAt(otherTop, far))}${timesWords(ratioAt(otherTop, far), ratioAt(mainTop, far))}.` : ".");
      }
    }
    this.el.summary.textContent = text;

    const skipped = m.other ? m.other.inspection.skippedSymbols || [] : [];
    this.el.text.dataset.text = m.text;
    this.el.text.replaceChildren(
      `Measured over the last ${Array.from(m.text).length} symbols of the text`
        + (m.serverWrote ? ` (the page had written fewer, so the server wrote the last ${m.serverWrote})` : "")
        + (skipped.length ? `; ${name(m.other.model)} does not know ${skipped.map((s) => `“${s}”`).join(" ")}, left out` : "")
        + ": ",
      Object.assign(document.createElement("q"), { textContent: m.text.replace(/\n/g, "↵") }));
  }

  setStatus(status) {
    this.el.chart.dataset.state = status;
  }
}

/** ‖dL/dh_t‖ reordered by steps back from the last character (index 0 = the last character). */
function stepsBack(norms, relative) {
  const last = norms[norms.length - 1];
  return norms.map((_, k) => {
    const v = norms[norms.length - 1 - k] / (relative ? last : 1);
    return v > 0 && Number.isFinite(v) ? v : null;   // a log axis cannot show 0
  });
}

const topLayer = (inspection) => inspection.gradientNormsFromLast[inspection.gradientNormsFromLast.length - 1];

/** The gradient k steps back as a fraction of the one at the last character. */
const ratioAt = (norms, k) => norms[norms.length - 1 - k] / norms[norms.length - 1];

/** 0.35, 0.012, 3e-6: two digits while they are readable, else the power of ten. */
export function ratioWords(r) {
  if (r === 0) return "0 (too small for a double to hold)";
  if (!Number.isFinite(r)) return "–";
  if (r >= 0.01) return String(Number(r.toPrecision(2)));
  return r.toExponential(0).replace("e+", "e");
}

/** " (40,000 times as much)": how the other model compares with the one in use. */
function timesWords(other, mine) {
  if (!(mine > 0) || !(other > 0)) return "";
  const f = other / mine;
  if (f >= 0.5 && f <= 2) return " (about the same)";
  const big = f > 1 ? f : 1 / f;
  const amount = big < 1e6 ? Number(big.toPrecision(2)).toLocaleString("en-US") : big.toExponential(0).replace("e+", "e");
  return f > 1 ? ` (${amount} times as much)` : ` (${amount} times less)`;
}

/** "Tiny Shakespeare (LSTM)": the name, and the cell type unless the name already says it. */
function name(m) {
  const base = m.name || m.id;
  return !m.cell || base.toLowerCase().includes(cellName(m.cell).toLowerCase()) ? base : `${base} (${cellName(m.cell)})`;
}
/** A model family in words: "vanilla RNN", "LSTM", "GRU", "GPT", "attending LSTM". */
export const cellName = (cell) => (cell === "rnn" ? "vanilla RNN" : cell === "lstm-attention" ? "attending LSTM"
  : (cell || "").toUpperCase());
const label = (m, layer) => [shorten(m.name || m.id), m.cell && !(m.name || "").includes(describe(m)) ? describe(m) : "", layer]
  .filter(Boolean).join(" · ");
const shorten = (s) => (s.length > 36 ? s.slice(0, 35) + "…" : s);

function lineStyle(colour, strong) {
  return { borderColor: colour, backgroundColor: colour, borderWidth: strong ? 2.4 : 1.4 };
}

/** Whether two models read and write the same symbols (older records lack the alphabet: size and text then). */
export function sameAlphabet(a, b) {
  if (a.alphabet != null && b.alphabet != null) return a.alphabet === b.alphabet;
  return a.vocabSize === b.vocabSize && a.corpusName != null && a.corpusName === b.corpusName;
}

/** The most symbols the server inspects for a model (Inference.inspectLimit). */
function inspectLimit(m) {
  if (!m || !m.hidden) return MAX_INSPECT_SYMBOLS;
  const perStep = m.hidden * (m.layers || 1) * (m.cell === "lstm" ? 2 : 1);
  return Math.max(2, Math.min(MAX_INSPECT_SYMBOLS, 1 + Math.floor(MAX_INSPECT_VALUES / perStep)));
}

/**
 * Log-axis labels: powers of ten only (every second or fifth one over a wide range), or every
 * tick when the range is under two decades. null drops the tick and its grid line.
 */
export function powerOfTenTicks(value, index, ticks) {
  const low = ticks[0].value, high = ticks[ticks.length - 1].value;
  const decades = Math.log10(high / low);
  const exponent = Math.log10(value);
  const whole = Math.abs(exponent - Math.round(exponent)) < 1e-9;
  if (decades < 2) return ratioWords(value);
  if (!whole) return null;
  const every = Math.max(1, Math.ceil(decades / 8));
  const e = Math.round(exponent);
  if (e % every !== 0) return null;
  return e === 0 ? "1" : e === 1 ? "10" : e === -1 ? "0.1" : "1e" + e;
}
