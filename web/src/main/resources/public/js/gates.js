// "Gates over the text": how an LSTM's or a GRU's gates open and close while it reads and writes.
// One heatmap per chosen gate (rows = units, columns = symbols), and the gate-saturation summary of
// Karpathy, Johnson and Fei-Fei, "Visualizing and Understanding Recurrent Networks" (2015): the
// share of units whose gate is left-saturated (< 0.1) or right-saturated (> 0.9) more than half
// of the time. The values come from the engine (core's cells), recorded per symbol in the trace.

import { Heatmap } from "./heatmap.js";

export const GATE_NAMES = {
  lstm: ["i (input)", "f (forget)", "g (candidate)", "o (output)"],
  gru: ["r (reset)", "z (update)", "n (candidate)"],
};
// the gates that pass through a sigmoid (0..1); g and n go through tanh (−1..1)
const SIGMOID = { lstm: [true, true, false, true], gru: [true, true, false] };
const LEFT = 0.1, RIGHT = 0.9;

export class GatesView {
  /** el: {section, note, layerSelect, gateSelect, heatmap, heatmapWrap, saturation, hover} */
  constructor(el) {
    this.el = el;
    this.trace = null;
    this.cell = "";
    this.layer = -1;
    this.gate = 1;   // the forget (LSTM) or update (GRU) gate: the one that decides what is kept
    this.heatmap = new Heatmap(el.heatmap, { onHover: (column, unit) => this.hover(column, unit), onPick: () => {} });
    // the values drawn in one column, for whoever wants the numbers (the browser tests do)
    el.heatmap.valuesAt = (column) => Array.from(this.trace.gate(column, this.layer, this.gate));
    el.layerSelect.addEventListener("change", () => {
      this.layer = Number(el.layerSelect.value);
      this.redraw();
    });
    el.gateSelect.addEventListener("change", () => {
      this.gate = Number(el.gateSelect.value);
      this.redraw();
    });
  }

  setModel(info) {
    this.cell = info.cell;
    const names = GATE_NAMES[info.cell];
    this.el.section.dataset.cell = info.cell;
    this.el.note.hidden = !!names;
    this.el.body.hidden = !names;
    if (!names) return;
    const layers = [["-1", `top layer (${info.layers})`]];
    if (info.layers > 1) for (let l = 0; l < info.layers; l++) layers.push([String(l), `layer ${l + 1}`]);
    this.el.layerSelect.replaceChildren(...layers.map(([v, t]) => new Option(t, v)));
    this.layer = -1;
    this.el.gateSelect.replaceChildren(...names.map((n, g) => new Option(n, String(g))));
    this.gate = 1;
    this.el.gateSelect.value = "1";
  }

  reset(trace, expected) {
    this.trace = trace;
    this.expected = expected;
    this.redraw();
  }

  redraw() {
    if (!this.trace || !GATE_NAMES[this.cell] || this.trace.cellType !== this.cell) return;
    this.heatmap.reset(this.view(), { layer: 0, useCell: false }, this.expected);
    this.append(this.trace, 0);
  }

  append(trace, from) {
    if (trace !== this.trace || !GATE_NAMES[this.cell]) return;
    this.heatmap.draw(from);
    this.heatmap.follow(this.el.heatmapWrap);
    // a pass over every gate of the whole text: once a second while text streams in (at 4 a second
    // it took 6% of the page's time by 5,000 characters)
    if (!this.timer) this.timer = setTimeout(() => { this.timer = 0; this.showSaturation(); }, 1000);
  }

  /**
   * The trace as the heatmap reads it: one gate of one layer, with a sigmoid gate's 0..1 spread
   * over the colour scale's −1..1 (closed blue, half-open white, open red).
   */
  view() {
    const trace = this.trace, layer = this.layer, gate = this.gate;
    const sigmoid = SIGMOID[this.cell][gate];
    return {
      get length() { return trace.length; },
      written: trace.written,
      symbols: trace.symbols,
      units: () => trace.hiddenSize,
      vector: (i) => {
        const v = trace.gate(i, layer, gate);
        return sigmoid ? v.map((x) => 2 * x - 1) : v;
      },
    };
  }

  hover(column, unit) {
    const v = this.trace.gate(column, this.layer, this.gate)[unit];
    const layer = this.layer === -1 ? this.trace.layers - 1 : this.layer;
    this.el.hover.textContent = `symbol ${column + 1} “${this.trace.symbols[column]}” · layer ${layer + 1}, unit ${unit} · `
      + `${GATE_NAMES[this.cell][this.gate]} = ${v.toFixed(3)}`;
  }

  /** The 2015 paper's summary for the chosen layer: per sigmoid gate, units mostly shut or mostly open. */
  showSaturation() {
    const trace = this.trace;
    if (!trace || !trace.length || !GATE_NAMES[this.cell]) return;
    const rows = saturation(trace, this.layer, this.cell).map(({ gate, left, right }) => {
      const row = document.createElement("div");
      row.className = "saturation-row";
      row.dataset.gate = String(gate);
      row.dataset.left = String(left);
      row.dataset.right = String(right);
      const name = document.createElement("span");
      name.textContent = GATE_NAMES[this.cell][gate];
      const bars = document.createElement("span");
      bars.className = "saturation-bars";
      for (const [kind, share] of [["left", left], ["right", right]]) {
        const bar = document.createElement("span");
        bar.className = "sat-" + kind;
        bar.style.width = (100 * share).toFixed(1) + "%";
        bar.title = `${(100 * share).toFixed(0)}% of units ${kind === "left" ? "below 0.1 (shut)" : "above 0.9 (open)"} more than half of the time`;
        bars.append(bar);
      }
      const value = document.createElement("span");
      value.className = "muted small";
      value.textContent = `${(100 * left).toFixed(0)}% shut · ${(100 * right).toFixed(0)}% open`;
      row.append(name, bars, value);
      return row;
    });
    this.el.saturation.replaceChildren(...rows);
  }
}

/**
 * For each sigmoid gate of one layer over a trace: the share of units left-saturated (< 0.1) and
 * right-saturated (> 0.9) in more than half of the symbols.
 */
export function saturation(trace, layer, cell) {
  const out = [];
  SIGMOID[cell].forEach((isSigmoid, gate) => {
    if (!isSigmoid) return;
    const H = trace.hiddenSize, n = trace.length;
    const low = new Uint32Array(H), high = new Uint32Array(H);
    for (let i = 0; i < n; i++) {
      const v = trace.gate(i, layer, gate);
      for (let u = 0; u < H; u++) {
        if (v[u] < LEFT) low[u]++;
        else if (v[u] > RIGHT) high[u]++;
      }
    }
    let left = 0, right = 0;
    for (let u = 0; u < H; u++) {
      if (low[u] > n / 2) left++;
      if (high[u] > n / 2) right++;
    }
    out.push({ gate, left: left / H, right: right / H });
  });
  return out;
}
