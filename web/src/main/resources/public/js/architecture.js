// "The network, drawn": the model in use unrolled over the last few characters, as SVG built from
// its real sizes. Bottom to top: the one-hot input x_t, every layer's hidden state h_t (and an
// LSTM's cell state c_t), the next-character distribution. Arrows carry PyTorch's parameter names:
// W_ih (rnn.weight_ih_l{k}) from below, W_hh (rnn.weight_hh_l{k}) from the step before, the
// decoder (decoder.weight) on top. While the model writes, every vector is a strip of coloured
// units; hovering a unit at a step shows the cell's equation with that unit's numbers.

import { divergingColor, rgb, visibleSymbol } from "./format.js";

const NS = "http://www.w3.org/2000/svg";
const STEPS = 4;                 // characters drawn
const LEFT = 230, COLUMN = 190, STRIP = 150, STRIP_H = 14, ROW = 78;
const GATES = { rnn: 1, lstm: 4, gru: 3 };

function node(tag, attrs, parent, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text != null) e.textContent = text;
  if (parent) parent.append(e);
  return e;
}

/** PyTorch's parameters of a model of this shape, with their shapes. */
export function parameterShapes(info) {
  const G = GATES[info.cell], H = info.hiddenSize, V = info.vocabSize;
  const out = [];
  for (let l = 0; l < info.layers; l++) {
    out.push([`rnn.weight_ih_l${l}`, [G * H, l === 0 ? V : H]], [`rnn.weight_hh_l${l}`, [G * H, H]],
      [`rnn.bias_ih_l${l}`, [G * H]], [`rnn.bias_hh_l${l}`, [G * H]]);
  }
  out.push(["decoder.weight", [V, H]], ["decoder.bias", [V]]);
  return out;
}

export class ArchitectureView {
  /** el: {svg, equation, parameters} */
  constructor(el) {
    this.el = el;
    this.info = null;
    this.trace = null;
    this.frame = 0;
    el.svg.addEventListener("mouseover", (e) => {
      const unit = e.target.closest && e.target.closest("[data-unit]");
      if (unit) this.explain(Number(unit.dataset.column), Number(unit.dataset.layer), Number(unit.dataset.unit));
    });
  }

  setModel(info) {
    this.info = info;
    this.build();
    this.el.parameters.replaceChildren(...parameterShapes(info).map(([name, shape]) => {
      const li = document.createElement("li");
      li.dataset.name = name;
      li.innerHTML = `<code></code> [${shape.join(" × ")}]`;
      li.querySelector("code").textContent = name;
      return li;
    }));
  }

  /** Lays out the unrolled network: STEPS columns, one node group per layer in each. */
  build() {
    const { cell, layers, hiddenSize: H, vocabSize: V } = this.info;
    const G = GATES[cell];
    const svg = this.el.svg;
    svg.replaceChildren();
    const height = 60 + (layers + 1) * ROW + 40;
    const width = LEFT + STEPS * COLUMN;
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.dataset.layers = String(layers);
    const defs = node("defs", {}, svg);
    const marker = node("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto" }, defs);
    node("path", { d: "M0,0 L10,5 L0,10 z", fill: "#78716c" }, marker);

    const yOut = 30, yIn = height - 34;
    const yLayer = (l) => yOut + ROW * (layers - l);   // layer 0 just above the input
    // the row names on the left, with sizes and PyTorch's names
    node("text", { x: 4, y: yOut + 4, class: "row-name" }, svg, `p(next) [${V}]`);
    node("text", { x: 4, y: yOut + 18, class: "row-sub" }, svg, `decoder.weight [${V}×${H}]`);
    for (let l = 0; l < layers; l++) {
      node("text", { x: 4, y: yLayer(l) + 4, class: "row-name" }, svg, `layer ${l + 1}: h [${H}]${cell === "lstm" ? `, c [${H}]` : ""}`);
      node("text", { x: 4, y: yLayer(l) + 18, class: "row-sub" }, svg, `W_hh: rnn.weight_hh_l${l} [${G * H}×${H}]`);
      node("text", { x: 4, y: yLayer(l) + 32, class: "row-sub" }, svg, `W_ih: rnn.weight_ih_l${l} [${G * H}×${l === 0 ? V : H}]`);
    }
    node("text", { x: 4, y: yIn + 4, class: "row-name" }, svg, `x: one-hot [${V}]`);

    this.columns = [];
    for (let k = 0; k < STEPS; k++) {
      const x = LEFT + k * COLUMN;
      const column = node("g", { class: "step", "data-column": k }, svg);
      const strips = { layers: [] };
      // output distribution and the decoder arrow into it
      strips.out = this.strip(column, x, yOut - STRIP_H / 2, V, { column: k, kind: "out" });
      arrow(column, x + STRIP / 2, yLayer(layers - 1) - STRIP_H, x + STRIP / 2, yOut + STRIP_H / 2 + 2);
      for (let l = 0; l < layers; l++) {
        const y = yLayer(l);
        const group = node("g", { class: "layer-node", "data-layer": l, "data-size": H }, column);
        strips.layers.push({
          h: this.strip(group, x, y - STRIP_H / 2, H, { column: k, layer: l, kind: "h" }),
          c: cell === "lstm" ? this.strip(group, x, y + STRIP_H / 2 + 2, H, { column: k, layer: l, kind: "c" }) : null,
        });
        // W_ih from below (the input or the layer under), W_hh from the step before
        const below = l === 0 ? yIn - STRIP_H / 2 - 2 : yLayer(l - 1) - STRIP_H / 2 - 2;
        arrow(column, x + STRIP / 2, below, x + STRIP / 2, y + STRIP_H / 2 + (cell === "lstm" ? STRIP_H + 4 : 2));
        if (k > 0) arrow(column, x - COLUMN + STRIP + 4, y, x - 4, y, "recurrent");
      }
      strips.input = node("text", { x: x + STRIP / 2, y: yIn + 5, class: "input-symbol", "text-anchor": "middle" }, column, "");
      this.columns.push(strips);
    }
    node("text", { x: LEFT + STEPS * COLUMN - 40, y: height - 6, class: "row-sub", "text-anchor": "end" }, svg, "time →");
  }

  /** A vector drawn as `size` thin cells; each knows its step, layer and unit for hovering. */
  strip(parent, x, y, size, { column, layer = -1, kind }) {
    const g = node("g", { class: "strip " + kind }, parent);
    const w = STRIP / size;
    const cells = [];
    for (let u = 0; u < size; u++) {
      const attrs = { x: x + u * w, y, width: Math.max(w, 0.6), height: STRIP_H, fill: "#f5f5f4" };
      if (kind !== "out") Object.assign(attrs, { "data-column": column, "data-layer": layer, "data-unit": u });
      cells.push(node("rect", attrs, g));
    }
    return cells;
  }

  reset(trace) {
    this.trace = trace;
    this.schedule();
  }

  append(trace) {
    if (trace === this.trace) this.schedule();
  }

  /** Redraws at most once a frame while characters stream in. */
  schedule() {
    if (!this.frame) this.frame = requestAnimationFrame(() => { this.frame = 0; this.paint(); });
  }

  /** The trace index shown in column k (the last STEPS symbols), or -1. */
  indexOf(k) {
    const n = this.trace ? this.trace.length : 0;
    const i = n - STEPS + k;
    return i >= 0 && i < n ? i : -1;
  }

  paint() {
    if (!this.trace || !this.info || this.trace.cellType !== this.info.cell) return;
    const H = this.info.hiddenSize;
    this.columns.forEach((strips, k) => {
      const i = this.indexOf(k);
      strips.input.textContent = i < 0 ? "" : `x = “${visibleSymbol(this.trace.symbols[i])}”`;
      for (let l = 0; l < strips.layers.length; l++) {
        const h = i < 0 ? null : this.trace.hidden[i].subarray(l * H, (l + 1) * H);
        colour(strips.layers[l].h, h, (v) => v);
        if (strips.layers[l].c) colour(strips.layers[l].c, i < 0 ? null : this.trace.cell[i].subarray(l * H, (l + 1) * H), Math.tanh);
      }
      const p = i < 0 ? null : this.trace.next[i];
      colour(strips.out, p, (v) => Math.min(1, 2 * Math.sqrt(v)));   // small probabilities stay visible
    });
    this.el.svg.dataset.symbols = String(this.trace.length);
  }

  /**
   * The cell's equation for one unit at one step, with the numbers the engine computed (read from
   * the trace: gates, states before and after).
   */
  explain(column, layer, unit) {
    const i = this.indexOf(column);
    if (i < 0) return;
    const t = this.trace, H = this.info.hiddenSize, cell = this.info.cell;
    const at = (arr, idx) => (idx < 0 ? 0 : arr[idx][layer * H + unit]);
    const gate = (g) => t.gate(i, layer, g)[unit];
    const f = (v) => v.toFixed(4);
    let values, lines;
    if (cell === "lstm") {
      values = { i: gate(0), f: gate(1), g: gate(2), o: gate(3), cPrev: at(t.cell, i - 1), c: at(t.cell, i), h: at(t.hidden, i) };
      lines = [`i = σ(…) = ${f(values.i)}   f = σ(…) = ${f(values.f)}   g = tanh(…) = ${f(values.g)}   o = σ(…) = ${f(values.o)}`,
        `c_t = f·c_{t−1} + i·g = ${f(values.f)} × ${f(values.cPrev)} + ${f(values.i)} × ${f(values.g)} = ${f(values.c)}`,
        `h_t = o·tanh(c_t) = ${f(values.o)} × tanh(${f(values.c)}) = ${f(values.h)}`];
    } else if (cell === "gru") {
      values = { r: gate(0), z: gate(1), n: gate(2), hPrev: at(t.hidden, i - 1), h: at(t.hidden, i) };
      lines = [`r = σ(…) = ${f(values.r)}   z = σ(…) = ${f(values.z)}   n = tanh(W_in x + b_in + r·(W_hn h_{t−1} + b_hn)) = ${f(values.n)}`,
        `h_t = (1 − z)·n + z·h_{t−1} = (1 − ${f(values.z)}) × ${f(values.n)} + ${f(values.z)} × ${f(values.hPrev)} = ${f(values.h)}`];
    } else {
      values = { a: gate(0), hPrev: at(t.hidden, i - 1), h: at(t.hidden, i) };
      lines = [`a = W_ih x_t + b_ih + W_hh h_{t−1} + b_hh = ${f(values.a)}   (h_{t−1} = ${f(values.hPrev)})`,
        `h_t = tanh(a) = tanh(${f(values.a)}) = ${f(values.h)}`];
    }
    const eq = this.el.equation;
    eq.dataset.values = JSON.stringify(values);
    eq.dataset.step = String(i);
    eq.dataset.layer = String(layer);
    eq.dataset.unit = String(unit);
    const head = document.createElement("strong");
    head.textContent = `Unit ${unit} of layer ${layer + 1}, reading “${visibleSymbol(t.symbols[i])}” (symbol ${i + 1}):`;
    eq.replaceChildren(head, ...lines.map((line) => {
      const div = document.createElement("div");
      div.textContent = line;
      return div;
    }));
    for (const r of this.el.svg.querySelectorAll("rect.hovered")) r.classList.remove("hovered");
    for (const r of this.el.svg.querySelectorAll(`rect[data-column="${column}"][data-layer="${layer}"][data-unit="${unit}"]`)) r.classList.add("hovered");
  }
}

function arrow(parent, x1, y1, x2, y2, kind = "") {
  node("line", { x1, y1, x2, y2, class: "arrow " + kind, "marker-end": "url(#arrow)" }, parent);
}

function colour(cells, values, squash) {
  for (let u = 0; u < cells.length; u++) {
    cells[u].setAttribute("fill", values ? rgb(divergingColor(squash(values[u]))) : "#f5f5f4");
  }
}
