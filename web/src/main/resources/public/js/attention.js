// "Attention while writing": where a model that attends (a gpt; the LSTM that attends over its last
// K states) looks while it reads and writes, as in BertViz's head and model views and Transformer
// Explainer's attention matrix. The numbers are core's: the writer's Generator keeps every layer's
// and head's weights of the character it read last (Session.attention), and the matrix is core's
// forward pass over the window (Model.attentionMatrix); nothing of the model is computed here.
//
// Per written character (cheap): the chosen head's weights shade the characters it looked at, and
// a strip per layer × head fills the "all heads" grid. The matrix costs a forward pass (over a
// gpt's cache, or the attending LSTM's whole text), so while writing it is redrawn only when on
// screen, at most every MATRIX_EVERY_MS and never taking more than a tenth of the time, and at
// once when the writing stops or a picker changes.

import { AttentionMatrix, argmax, inkOn, weightColor } from "./attentionmatrix.js";
import { visibleSymbol } from "./format.js";
import { say, words } from "./messages.js";

const MATRIX_EVERY_MS = 1500;
const MATRIX_SHARE = 0.1;   // of the time, at most, while writing
const WINDOWS = [16, 32, 64, 128];

const ordinal = (n) => n + (n % 10 === 1 && n % 100 !== 11 ? "st" : n % 10 === 2 && n % 100 !== 12 ? "nd"
  : n % 10 === 3 && n % 100 !== 13 ? "rd" : "th");
const back = (n) => (n === 0 ? "itself" : n === 1 ? "1 character back" : `${n} characters back`);

export class AttentionView {
  /**
   * el: {section, layer, head, window, pickers, caption, text, gridBox, grid, matrix, matrixWrap,
   * matrixCaption, readout, error}; state: attLayer, attHead, attWindow; changed(): saves the hash.
   */
  constructor(el, state, changed) {
    Object.assign(this, { el, state, changed });
    this.model = null;
    this.layout = null;    // {layers, heads} of the model in use, null when it does not attend
    this.trace = null;
    this.last = null;      // Session.attention() after the last character read
    this.matrix = null;    // what the matrix shows: {values, symbols, layer, head, textLength}
    this.matrixAt = -Infinity;
    this.matrixCost = 0;   // ms the last matrix took
    this.matrixView = new AttentionMatrix(el.matrix, el.readout);
    this.visible = false;
    new IntersectionObserver((entries) => {
      this.visible = entries.some((e) => e.isIntersecting);
      if (this.visible && this.matrixStale) this.scheduleMatrix(false);
    }).observe(el.section);
    const set = (fields) => {
      Object.assign(state, fields);
      changed();
      this.redraw();
    };
    el.layer.addEventListener("change", () => set({ attLayer: Number(el.layer.value) }));
    el.head.addEventListener("change", () => set({ attHead: Number(el.head.value) }));
    el.window.addEventListener("change", () => set({ attWindow: Number(el.window.value) }));
    el.grid.addEventListener("click", (e) => {
      const cell = e.target.closest("[data-layer]");
      if (cell) set({ attLayer: Number(cell.dataset.layer), attHead: Number(cell.dataset.head) });
    });
    // what is shown, exactly, for whoever wants the numbers (the browser tests do)
    el.section.attentionShown = () => ({
      ...(this.last && { ...this.last, weights: Array.from(this.last.weights) }),
      symbols: this.trace ? this.trace.length : 0,
      matrix: this.matrix && { ...this.matrix, values: Array.from(this.matrix.values) },
    });
  }

  /** The model in use; returns whether it attends (main.js shows the section only then). */
  setModel(model) {
    clearTimeout(this.matrixTimer);
    Object.assign(this, { model, trace: null, last: null, matrix: null, matrixStale: false });
    delete this.el.section.dataset.matrixSymbols;
    this.layout = model.attentionLayout();
    if (!this.layout) return false;
    const { layers, heads } = this.layout;
    const options = (n, word) => Array.from({ length: n }, (_, i) => new Option(`${word} ${i + 1} of ${n}`, String(i)));
    this.el.layer.replaceChildren(...options(layers, "layer"));
    this.el.head.replaceChildren(...options(heads, "head"));
    const windows = WINDOWS.includes(this.windowSize) ? WINDOWS : [...WINDOWS, this.windowSize].sort((a, b) => a - b);
    this.el.window.replaceChildren(...windows.map((n) => new Option(`last ${n} characters`, String(n))));
    // one head has nothing to pick: the pickers and the grid step aside
    this.el.pickers.hidden = layers * heads === 1;
    this.el.gridBox.hidden = layers * heads === 1;
    this.el.grid.style.setProperty("--heads", String(heads));
    this.el.grid.replaceChildren(...Array.from({ length: layers * heads }, (_, i) => gridCell(Math.floor(i / heads), i % heads)));
    this.el.section.dataset.layers = String(layers);
    this.el.section.dataset.heads = String(heads);
    this.syncPickers();
    this.drawHead();
    return true;
  }

  // the layer, head and window shown: the link's, within what this model has (a link's choice
  // outlives a model with fewer heads)
  get layer() { return clamp(this.state.attLayer, this.layout.layers); }
  get head() { return clamp(this.state.attHead, this.layout.heads); }
  get windowSize() { return Math.max(2, Math.min(4096, Math.round(this.state.attWindow) || 64)); }

  /** After characters were read or written; `session` is live only during this call. */
  update(trace, session, running) {
    if (!this.layout) return;
    this.trace = trace;
    this.last = session.attention();
    this.el.section.dataset.symbols = String(trace.length);
    this.drawHead();
    this.drawGrid();
    this.scheduleMatrix(running);
  }

  /** The writing stopped: the matrix catches up at once. */
  finished() {
    if (this.layout && this.trace) this.scheduleMatrix(false);
  }

  redraw() {
    if (!this.layout) return;
    this.syncPickers();
    this.drawHead();
    this.drawGrid();
    this.scheduleMatrix(false);
  }

  syncPickers() {
    this.el.layer.value = String(this.layer);
    this.el.head.value = String(this.head);
    this.el.window.value = String(this.windowSize);
    for (const cell of this.el.grid.children) {
      const chosen = Number(cell.dataset.layer) === this.layer && Number(cell.dataset.head) === this.head;
      cell.setAttribute("aria-pressed", String(chosen));
    }
    this.el.section.dataset.layer = String(this.layer);
    this.el.section.dataset.head = String(this.head);
  }

  /** One head's weights, oldest position first. */
  headWeights(layer, head) {
    const { positions: p, heads, weights } = this.last;
    return weights.subarray((layer * heads + head) * p, (layer * heads + head + 1) * p);
  }

  /** The index in the trace of position p of the last attention. */
  symbolAt(p) {
    return this.trace.length - 1 - this.last.newestBack - (this.last.positions - 1 - p);
  }

  /** The head view: the characters looked at, each shaded by its weight, the one just read outlined. */
  drawHead() {
    const a = this.last;
    if (!a || !this.trace) {
      this.el.caption.textContent = "Nothing read yet: type a seed or press Generate.";
      this.el.text.replaceChildren();
      this.el.section.dataset.positions = "0";
      return;
    }
    const weights = this.headWeights(this.layer, this.head);
    const shown = Math.min(a.positions, this.windowSize), first = a.positions - shown;
    const spans = [];
    for (let p = first; p < a.positions; p++) {
      const symbol = this.trace.symbols[this.symbolAt(p)], w = weights[p];
      const span = document.createElement("span");
      const [r, g, b] = weightColor(w);
      span.style.background = `rgb(${r},${g},${b})`;
      span.style.color = inkOn(w);
      span.textContent = visibleSymbol(symbol);
      span.dataset.weight = String(w);
      span.dataset.back = String(a.newestBack + a.positions - 1 - p);
      span.title = `“${visibleSymbol(symbol)}”, ${back(Number(span.dataset.back))}: ${w.toFixed(3)}`;
      spans.push(span);
    }
    if (a.newestBack === 0) {
      spans[spans.length - 1].classList.add("reading");
    } else {
      // the attending LSTM looks at the states before the character it reads, not at its own
      const reading = document.createElement("span");
      reading.className = "reading";
      reading.textContent = visibleSymbol(this.trace.symbols[this.trace.length - 1]);
      reading.title = "the character just read: it looks at the states before it";
      spans.push(reading);
    }
    this.el.text.replaceChildren(...spans);
    this.el.section.dataset.positions = String(a.positions);
    this.el.caption.textContent = this.caption(a, weights, first);
  }

  caption(a, weights, first) {
    const n = this.trace.length, last = visibleSymbol(this.trace.symbols[n - 1]);
    const info = this.model.info;
    let text;
    if (info.contextLimit) {
      text = `Reading “${last}” (the ${ordinal(n)} character), layer ${this.layer + 1}, head ${this.head + 1}`
        + ` shares its attention among the ${a.positions} characters in its key/value cache, itself included`;
      if (a.positions < n) {
        text += `. The cache holds at most ${info.contextLimit}; when it is full the model keeps only the last`
          + ` ${Math.floor(info.contextLimit / 2)} and reads on, so the ${n - a.positions} characters before these are out of its sight`;
      }
    } else {
      text = `Reading “${last}” (the ${ordinal(n)} character), the attention weighs the hidden states the LSTM had after`
        + ` each of the ${a.positions} characters before it (at most ${info.attend})`;
    }
    let outside = 0;
    for (let p = 0; p < first; p++) outside += weights[p];
    if (first > 0) text += `; the ${first} oldest, left of the window, hold ${(100 * outside).toFixed(1)}% of the weight`;
    return text + ".";
  }

  /** The "all heads" grid: per layer and head a strip of its weights over the window, and where it looks most. */
  drawGrid() {
    const a = this.last;
    if (!a || this.layout.layers * this.layout.heads === 1) return;
    const shown = Math.min(a.positions, this.windowSize), first = a.positions - shown;
    for (const cell of this.el.grid.children) {
      const weights = this.headWeights(Number(cell.dataset.layer), Number(cell.dataset.head)).subarray(first);
      const canvas = cell.querySelector("canvas");
      canvas.width = shown;
      canvas.height = 1;
      const ctx = canvas.getContext("2d"), image = ctx.createImageData(shown, 1);
      weights.forEach((w, i) => image.data.set([...weightColor(w), 255], 4 * i));
      ctx.putImageData(image, 0, 0);
      const top = argmax(weights), symbol = visibleSymbol(this.trace.symbols[this.symbolAt(first + top)]);
      const most = a.newestBack + shown - 1 - top;
      cell.querySelector(".attention-top").textContent = `“${symbol}” ${weights[top].toFixed(2)}`;
      cell.title = `Layer ${Number(cell.dataset.layer) + 1}, head ${Number(cell.dataset.head) + 1}: looks most at “${symbol}”,`
        + ` ${back(most)} (${weights[top].toFixed(3)})`;
      cell.setAttribute("aria-label", cell.title);
    }
  }

  /** Redraws the matrix now (not writing) or, while writing, when due and on screen. */
  scheduleMatrix(running) {
    clearTimeout(this.matrixTimer);
    if (running && !this.visible) {
      this.matrixStale = true;
      return;
    }
    const every = Math.max(MATRIX_EVERY_MS, this.matrixCost / MATRIX_SHARE);
    const wait = running ? Math.max(0, this.matrixAt + every - performance.now()) : 0;
    this.matrixTimer = setTimeout(() => this.drawMatrix(), wait);
  }

  drawMatrix() {
    this.matrixStale = false;
    this.matrixAt = performance.now();
    if (!this.last || !this.trace) return;
    // a model with a bounded context reads what its cache holds; the attending LSTM the whole text (its state depends on all of it)
    const all = this.trace.symbols;
    const symbols = this.model.info.contextLimit ? all.slice(all.length - this.last.positions) : all;
    const size = Math.min(this.windowSize, symbols.length);
    const { layer, head } = this;
    try {
      const values = this.model.attentionMatrix(symbols.join(""), layer, head, size);
      this.matrix = { values, symbols: symbols.slice(symbols.length - size), layer, head, textLength: all.length };
      say(this.el.error, "");
    } catch (e) {
      this.matrix = null;
      say(this.el.error, "The matrix could not be computed: " + words(e));
      return;
    }
    this.matrixCost = performance.now() - this.matrixAt;
    this.matrixView.show(this.matrix.values, this.matrix.symbols, Math.max(200, this.el.matrixWrap.clientWidth - 2));
    this.el.section.dataset.matrixSymbols = String(all.length);
    const of = this.model.info.contextLimit ? `of the ${symbols.length} in its cache` : `of the ${all.length} read`;
    const which = this.layout.layers * this.layout.heads === 1 ? "Its one head" : `Layer ${layer + 1}, head ${head + 1}`;
    this.el.matrixCaption.textContent = `${which} over the last ${size} characters ${of}, as of`
      + ` the ${ordinal(all.length)}: row = the character looking, column = a character it looks at; the outlined`
      + ` bottom row is the character just read. A forward pass over ${this.model.info.contextLimit ? "them" : "the whole text"}`
      + ` (${this.matrixCost.toFixed(0)} ms here), redone every few seconds while writing and when it stops.`;
  }
}

function clamp(value, n) {
  return Math.max(0, Math.min(n - 1, Math.round(value) || 0));
}

/** One button of the "all heads" grid: its name, a strip of its weights, where it looks most. */
function gridCell(layer, head) {
  const cell = document.createElement("button");
  cell.type = "button";
  cell.className = "attention-cell";
  cell.dataset.layer = String(layer);
  cell.dataset.head = String(head);
  const name = document.createElement("span");
  name.textContent = `L${layer + 1} H${head + 1}`;
  const strip = document.createElement("canvas");
  strip.setAttribute("aria-hidden", "true");
  const top = document.createElement("span");
  top.className = "attention-top";
  cell.append(name, strip, top);
  cell.setAttribute("aria-label", `layer ${layer + 1}, head ${head + 1}`);
  return cell;
}
