// "Backpropagation through time, step by step": core's BackwardSteps, compiled by TeaVM, runs one
// window of a fresh 4-unit model forward, then back one step per press of "Step back". For the
// step just run it shows dL/dh_t from the step's own loss and from step t+1, their sum, the
// gradient of each gate's pre-activation that the cell's backward makes of it, what is handed to
// step t−1, and ‖dW‖ of the recurrent weights growing. Every press asks the core for the window
// again with one more step (microseconds for 4 units), so the link's step count restores the view.

import { bpttSteps } from "./engine.js";
import { GATE_NAMES } from "./gates.js";
import { LineChart } from "./linechart.js";
import { shortNumber as number, visibleSymbol } from "./format.js";
import { say, words } from "./messages.js";
import { CodePanel, cellFile } from "./codepanel.js";

const GATES = { rnn: ["a (pre-activation)"], ...GATE_NAMES };
const SHORT_NAMES = ["W_ih", "W_hh", "b_ih", "b_hh"];

export class BpttView {
  /** el: {section, cell, text, step, all, reset, window, summary, vectors, dw, chart, error, code}; state: bpttCell, bpttText, bpttSteps. */
  constructor(el, state, changed) {
    Object.assign(this, { el, state, changed });
    this.code = new CodePanel(el.code);
    this.result = null;
    // b_hh dashed: it has b_ih's gradient (but a GRU's n gate), so the two lines coincide
    this.chart = new LineChart(el.chart, SHORT_NAMES, {
      xLabel: "steps run back", yLabel: "‖dW‖", yMin: 0, styles: [{}, {}, {}, { borderDash: [5, 4], borderWidth: 2.4 }],
    });
    el.cell.value = state.bpttCell;
    el.text.value = state.bpttText;
    const set = (fields) => { Object.assign(state, fields); changed(); this.render(); };
    el.cell.addEventListener("change", () => set({ bpttCell: el.cell.value, bpttSteps: 0 }));
    el.text.addEventListener("input", () => set({ bpttText: el.text.value, bpttSteps: 0 }));
    el.step.addEventListener("click", () => set({ bpttSteps: state.bpttSteps + 1 }));
    el.all.addEventListener("click", () => set({ bpttSteps: this.result ? this.result.window : 0 }));
    el.reset.addEventListener("click", () => set({ bpttSteps: 0 }));
  }

  /** Asks the core (call once the engine has loaded) for the window with state.bpttSteps steps run back, and draws it. */
  render() {
    const { bpttCell: cell, bpttText: text } = this.state;
    try {
      const length = Array.from(text).length - 1;
      const steps = Math.max(0, Math.min(length, Math.round(this.state.bpttSteps) || 0));
      this.result = bpttSteps(cell, text, steps);
      say(this.el.error, "");
    } catch (e) {
      this.result = null;
      say(this.el.error, "BPTT cannot run on that: " + words(e));
    }
    const r = this.result;
    this.el.section.dataset.steps = r ? String(r.steps.length) : "";
    this.el.section.dataset.window = r ? String(r.window) : "";
    this.el.step.disabled = !r || r.steps.length === r.window;
    this.el.all.disabled = this.el.step.disabled;
    this.el.reset.disabled = !r || r.steps.length === 0;
    if (!r) return;
    const current = r.steps.length ? r.steps[r.steps.length - 1] : null;
    this.code.show(current ? [
      { path: "rnn/RecurrentLayer.java", anchor: "final void backwardStep(", caption: `one step back, here at t = ${current.t}` },
      { path: cellFile(cell), anchor: "void cellBackward(", caption: "the cell's backward, called by backwardStep" },
    ] : [
      { path: "rnn/RecurrentLayer.java", anchor: "final void forward(", caption: "the forward pass over the window" },
      { path: cellFile(cell), anchor: "void cellForward(", caption: "the cell, called at every step" },
    ]);
    this.drawWindow(r, current);
    this.el.summary.textContent = summary(r, current);
    this.drawVectors(r, current);
    this.drawWeights(r);
  }

  drawWindow(r, current) {
    this.el.window.replaceChildren(...r.inputs.map((symbol, t) => {
      const box = document.createElement("span");
      box.className = "bptt-symbol" + (current && t === current.t ? " current" : current && t > current.t ? " done" : "");
      box.dataset.t = String(t);
      box.title = `t = ${t}: reads “${visibleSymbol(symbol)}”, predicts “${visibleSymbol(r.targets[t])}”`;
      box.append(Object.assign(document.createElement("b"), { textContent: visibleSymbol(symbol) }),
        Object.assign(document.createElement("small"), { textContent: "→" + visibleSymbol(r.targets[t]) }));
      return box;
    }));
  }

  drawVectors(r, s) {
    if (!s) {
      // before the first step back: the states the forward pass kept for it
      const rows = r.hiddenStates.map((h, t) => ["h" + t, `h_${t} after reading “${visibleSymbol(r.inputs[t])}”`, h]);
      this.el.vectors.replaceChildren(heading("The forward pass kept every hidden state for the way back"),
        ...rows.map((row) => vectorRow(row, 1)));
      return;
    }
    const later = s.t === r.window - 1 ? "nothing: the window ends here" : `from step ${s.t + 1}`;
    const earlier = s.t === 0 ? "onto the carried-in state (truncated BPTT drops it)" : `to step ${s.t - 1}`;
    const stateRows = [
      ["fromLoss", `↓ dL/dh_${s.t} from this step's loss (predicting “${visibleSymbol(r.targets[s.t])}”)`, s.fromLoss],
      ["fromLater", `← dL/dh_${s.t} ${later}`, s.fromLater],
      ["total", `= dL/dh_${s.t}, what the cell's backward reads`, s.total],
    ];
    if (s.cellFromLater) stateRows.push(["cellFromLater", `← dL/dc_${s.t} ${later}`, s.cellFromLater]);
    const gateRows = GATES[r.cell].map((name, g) =>
      ["gate" + g, name, s.gateGradients.slice(g * r.hidden, (g + 1) * r.hidden)]);
    const backRows = [["passedBack", `← dL/dh ${earlier}`, s.passedBack]];
    if (s.cellPassedBack) backRows.push(["cellPassedBack", `← dL/dc ${earlier}`, s.cellPassedBack]);
    const stateScale = scaleOf([...stateRows, ...backRows]);
    this.el.vectors.replaceChildren(
      heading(`Step t = ${s.t}: the gradient on h_${s.t} (one number per hidden unit)`),
      ...stateRows.map((row) => vectorRow(row, stateScale)),
      heading("The cell's backward: the gradient of each gate's pre-activation"),
      ...gateRows.map((row) => vectorRow(row, scaleOf(gateRows))),
      heading("Handed back"),
      ...backRows.map((row) => vectorRow(row, stateScale)));
  }

  drawWeights(r) {
    const now = r.steps.length ? r.steps[r.steps.length - 1].accumulated : [0, 0, 0, 0];
    const scale = Math.max(...now) || 1;
    this.el.dw.dataset.values = JSON.stringify(now);
    this.el.dw.replaceChildren(...r.parameters.map((name, i) => {
      const row = document.createElement("div");
      row.className = "bptt-dw-row";
      const bar = Object.assign(document.createElement("span"), { className: "bptt-dw-bar" });
      bar.append(Object.assign(document.createElement("i"), { style: `width:${(100 * now[i]) / scale}%` }));
      row.append(Object.assign(document.createElement("code"), { textContent: name, title: SHORT_NAMES[i] }), bar,
        Object.assign(document.createElement("span"), { className: "num", textContent: number(now[i]) }));
      return row;
    }));
    this.chart.reset(SHORT_NAMES);
    this.chart.addDataPoint(0, [0, 0, 0, 0]);
    r.steps.forEach((s, i) => this.chart.addDataPoint(i + 1, s.accumulated));
    this.chart.setXRange(0, r.window);
    this.chart.redraw();
  }
}

function summary(r, s) {
  const n = r.window;
  if (!s) {
    return `Forward done: ${n} predictions, mean loss ${r.loss.toFixed(3)} nats. The decoder's gradient is already whole`
      + ` (‖dW_dec‖ = ${number(r.decoder[0])}): it is not recurrent, so one product over all steps gives it.`
      + " Press Step back to start at the last character.";
  }
  const where = `Step t = ${s.t}, reading “${visibleSymbol(r.inputs[s.t])}”: ${r.steps.length} of ${n} steps run back.`;
  if (r.steps.length < n) return where;
  return where + " Every step has added its share: dW is now the gradient of the window's loss,"
    + " exactly what one whole backward pass computes.";
}

/** The largest |value| over rows of [key, label, values], for bars on one scale. */
function scaleOf(rows) {
  return Math.max(1e-300, ...rows.flatMap(([, , values]) => values.map(Math.abs)));
}

function heading(text) {
  return Object.assign(document.createElement("h3"), { textContent: text });
}

/** One vector as a labelled row of diverging bars (right and red above zero, left and blue below) with numbers. */
function vectorRow([key, label, values], scale) {
  const row = document.createElement("div");
  row.className = "bptt-row";
  row.dataset.row = key;
  row.dataset.values = JSON.stringify(values);
  const units = Object.assign(document.createElement("span"), { className: "bptt-units" });
  for (const v of values) {
    const unit = Object.assign(document.createElement("span"), { className: "bptt-unit", title: String(v) });
    const bar = Object.assign(document.createElement("span"), { className: "bptt-bar" });
    const width = (50 * Math.abs(v)) / scale;
    bar.append(Object.assign(document.createElement("i"), {
      className: v < 0 ? "negative" : "positive", style: `width:${width}%;${v < 0 ? "right:50%" : "left:50%"}`,
    }));
    unit.append(bar, Object.assign(document.createElement("span"), { className: "num", textContent: number(v) }));
    units.append(unit);
  }
  row.append(Object.assign(document.createElement("span"), { className: "bptt-label", textContent: label }), units);
  return row;
}
