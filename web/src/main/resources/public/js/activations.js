// The views of what happens inside the network: the heatmap of hidden units × symbols, the
// state vector of a hovered symbol, the text coloured by one unit (Karpathy's "Unreasonable
// Effectiveness" view) and a line chart of a few chosen units over time.

import { Heatmap, drawVector } from "./heatmap.js";
import { LineChart } from "./linechart.js";
import { divergingColor, rgb, visibleSymbol } from "./format.js";

export class ActivationViews {
  /** el: the elements by id; state: the page state; changed(): saves the state. */
  constructor(el, state, changed, onInspect = () => {}) {
    this.onInspect = onInspect;   // (i) while the pointer is on symbol i, (null) when it leaves
    this.el = el;
    this.state = state;
    this.changed = changed;
    this.trace = null;
    this.expected = 0;
    this.heatmap = new Heatmap(el.heatmap, {
      onHover: (column, unit) => this.inspect(column, unit),
      onPick: (unit) => this.pickUnit(unit),
    });
    this.chart = new LineChart(el.unitsChart, [], { xLabel: "symbol", yLabel: "activation" });

    el.layerSelect.addEventListener("change", () => {
      state.layer = Number(el.layerSelect.value);
      changed();
      this.redraw();
    });
    el.stateSelect.addEventListener("change", () => {
      state.cellState = el.stateSelect.value === "c";
      changed();
      this.redraw();
    });
    el.unitInput.addEventListener("input", () => {
      const unit = Number(el.unitInput.value);
      if (Number.isInteger(unit) && unit >= 0) this.pickUnit(unit);
    });
    el.chartUnits.addEventListener("change", () => {
      state.units = el.chartUnits.value;
      changed();
      this.redraw();
    });
    el.unitText.addEventListener("mouseover", (e) => {
      const i = e.target.dataset && e.target.dataset.i;
      if (i !== undefined) this.inspect(Number(i));
    });
    for (const area of [el.heatmap, el.unitText]) area.addEventListener("mouseleave", () => this.onInspect(null));
  }

  /** Rebuilds the layer and state choices for a model's shape. */
  setModel(info) {
    const options = [["-1", `top layer (${info.layers})`]];
    if (info.layers > 1) {
      for (let l = 0; l < info.layers; l++) options.push([String(l), `layer ${l + 1}`]);
      options.push(["-2", "all layers (layer 1's units on top)"]);
    }
    this.el.layerSelect.replaceChildren(...options.map(([value, text]) => new Option(text, value)));
    if (!options.some(([v]) => Number(v) === this.state.layer)) this.state.layer = -1;
    this.el.layerSelect.value = String(this.state.layer);
    const lstm = info.cell === "lstm";
    this.el.stateSelect.querySelector('option[value="c"]').disabled = !lstm;
    if (!lstm) this.state.cellState = false;
    this.el.stateSelect.value = this.state.cellState ? "c" : "h";
    this.el.unitInput.max = String(info.hiddenSize * info.layers - 1);
    this.el.unitInput.value = String(this.state.unit);
    this.el.chartUnits.value = this.state.units;
  }

  get view() {
    return { layer: this.state.layer, useCell: this.state.cellState };
  }

  /** A new text begins; expected: how many symbols it will have, to size the heatmap. */
  reset(trace, expected) {
    this.trace = trace;
    this.expected = expected;
    this.redraw();
  }

  redraw() {
    if (!this.trace) return;
    const units = this.trace.units(this.state.layer);
    if (this.state.unit >= units) this.state.unit = 0;
    this.el.unitInput.max = String(units - 1);
    this.el.unitInput.value = String(this.state.unit);
    this.heatmap.reset(this.trace, this.view, this.expected);
    this.el.unitText.replaceChildren();
    this.chart.reset(this.chartUnits().map((u) => `unit ${u}`));
    this.el.unitLabel.textContent = String(this.state.unit);
    this.append(this.trace, 0);
  }

  /** Draws the symbols from index `from` on. */
  append(trace, from) {
    if (trace !== this.trace) return;
    this.heatmap.draw(from);
    this.heatmap.follow(this.el.heatmapWrap);
    const fragment = document.createDocumentFragment();
    const units = this.chartUnits();
    for (let i = from; i < trace.length; i++) {
      const span = document.createElement("span");
      span.textContent = trace.symbols[i];
      span.dataset.i = String(i);
      if (!trace.written[i]) span.className = "prime";
      this.colour(span, i);
      fragment.append(span);
      const v = trace.vector(i, this.state.layer, this.state.cellState);
      this.chart.addDataPoint(i, units.map((u) => (u < v.length ? v[u] : null)));
    }
    this.el.unitText.append(fragment);
    // a pass over the whole text: at most a few times a second while text streams in
    if (!this.activeTimer) this.activeTimer = setTimeout(() => { this.activeTimer = 0; this.showActiveUnits(); }, 200);
    this.chart.redraw();
    this.el.unitsChart.dataset.points = String(this.chart.size(0));
    if (trace.length) this.showVector(trace.length - 1);
  }

  colour(span, i) {
    const v = this.trace.vector(i, this.state.layer, this.state.cellState)[this.state.unit];
    const value = this.state.cellState ? Math.tanh(v) : v;
    span.style.backgroundColor = rgb(divergingColor(value));
    span.title = `unit ${this.state.unit}: ${v.toFixed(3)}`;
  }

  /**
   * The units whose activation varies most over the text: a quick way to find the ones worth
   * colouring the text by (a unit that is always saturated says little).
   */
  showActiveUnits() {
    const trace = this.trace;
    if (!trace) return;
    const n = trace.units(this.state.layer);
    const sum = new Float64Array(n), squares = new Float64Array(n);
    for (let i = 0; i < trace.length; i++) {
      const v = trace.vector(i, this.state.layer, this.state.cellState);
      for (let u = 0; u < n; u++) {
        sum[u] += v[u];
        squares[u] += v[u] * v[u];
      }
    }
    const variance = (u) => squares[u] / trace.length - (sum[u] / trace.length) ** 2;
    const top = trace.length < 2 ? [] : Array.from(sum.keys()).sort((a, b) => variance(b) - variance(a)).slice(0, 6);
    this.el.activeUnits.replaceChildren(...top.map((u) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = String(u);
      b.title = `variance ${variance(u).toFixed(3)}`;
      if (u === this.state.unit) b.className = "current";
      b.addEventListener("click", () => this.pickUnit(u));
      return b;
    }));
  }

  pickUnit(unit) {
    if (!this.trace || unit >= this.trace.units(this.state.layer)) return;
    for (const b of this.el.activeUnits.children) b.classList.toggle("current", b.textContent === String(unit));
    this.state.unit = unit;
    this.changed();
    this.el.unitInput.value = String(unit);
    this.el.unitLabel.textContent = String(unit);
    for (const span of this.el.unitText.children) this.colour(span, Number(span.dataset.i));
  }

  /** The pointer is on symbol i (and, over the heatmap, on a unit: named with its layer). */
  inspect(i, unit = null) {
    this.showVector(i);
    if (unit != null && this.trace) {
      const H = this.trace.hiddenSize;
      const layer = this.state.layer === -2 ? Math.floor(unit / H) : this.state.layer === -1 ? this.trace.layers - 1 : this.state.layer;
      const v = this.trace.vector(i, this.state.layer, this.state.cellState)[unit];
      this.el.hoverStats.textContent = `symbol ${i + 1} “${visibleSymbol(this.trace.symbols[i])}” · layer ${layer + 1}, unit ${unit % H}`
        + ` · ${this.state.cellState ? "c" : "h"} = ${v.toFixed(3)}`;
      this.el.hoverStats.dataset.layer = String(layer);
      this.el.hoverStats.dataset.unit = String(unit % H);
    }
    this.onInspect(i);
  }

  /** Shows the state vector after symbol i. */
  showVector(i) {
    const trace = this.trace;
    if (!trace || i >= trace.length) return;
    const v = trace.vector(i, this.state.layer, this.state.cellState);
    drawVector(this.el.hoverVector, v, this.state.cellState);
    let strongest = 0;
    for (let u = 1; u < v.length; u++) if (Math.abs(v[u]) > Math.abs(v[strongest])) strongest = u;
    const mean = v.reduce((s, x) => s + Math.abs(x), 0) / v.length;
    this.el.hoverSymbol.textContent = visibleSymbol(trace.symbols[i]);
    this.el.hoverStats.textContent = `symbol ${i + 1} of ${trace.length} · ${trace.written[i] ? "written" : "prime"}`
      + ` · mean |${this.state.cellState ? "c" : "h"}| ${mean.toFixed(2)} · strongest: unit ${strongest} (${v[strongest].toFixed(2)})`;
  }

  /** The units of the line chart, from the state's comma-separated list. */
  chartUnits() {
    const max = this.trace ? this.trace.units(this.state.layer) : 0;
    return this.state.units.split(/[,\s]+/).map(Number)
      .filter((u) => Number.isInteger(u) && u >= 0 && u < max).slice(0, 6);
  }
}
