// "Check the gradients": core's GradientCheck, compiled by TeaVM, runs here in the page on a small
// model of the chosen cell (5 symbols, 4 hidden units, 2 streams, a window of 5): for each
// parameter tensor the analytic gradient of backpropagation through time against central
// differences. "Cut BPTT after k steps" stops the analytic gradient k steps back while the numeric
// one still sees the whole window, so the error shows what the steps further back contribute.

import { gradientCheck, engineKind } from "./engine.js";
import { say, words } from "./messages.js";
import { CodePanel } from "./codepanel.js";

const CELLS = { rnn: "vanilla RNN", lstm: "LSTM", gru: "GRU" };

export class GradientCheckView {
  /** el: {cell, layers, truncate, truncateValue, run, summary, sweep, table, error, code}; state: gcCell, gcLayers, gcTruncate. */
  constructor(el, state, changed) {
    Object.assign(this, { el, state, changed });
    new CodePanel(el.code).show([{ path: "lab/GradientCheck.java", anchor: "for (Param p : model.parameters())",
      caption: "central differences for every weight, against the gradient BPTT computed" }]);
    el.cell.value = state.gcCell;
    el.layers.value = String(state.gcLayers);
    el.truncate.value = String(state.gcTruncate);
    this.showTruncate();
    el.cell.addEventListener("change", () => { state.gcCell = el.cell.value; changed(); });
    el.layers.addEventListener("change", () => { state.gcLayers = Number(el.layers.value); changed(); });
    el.truncate.addEventListener("input", () => { state.gcTruncate = Number(el.truncate.value); changed(); this.showTruncate(); });
    el.run.addEventListener("click", () => this.run());
    el.table.dataset.state = "idle";
  }

  showTruncate() {
    const k = Number(this.el.truncate.value);
    this.el.truncateValue.textContent = k === 0 ? "off (the whole window)" : `${k} step${k > 1 ? "s" : ""}`;
  }

  run() {
    say(this.el.error, "");
    const { gcCell: cell, gcLayers: layers, gcTruncate: k } = this.state;
    try {
      const result = gradientCheck(cell, layers, k);
      // the same check for every cut, to show the error falling as k grows
      const sweep = [];
      for (let cut = 1; cut <= result.window; cut++) sweep.push([cut, gradientCheck(cell, layers, cut).tensorError]);
      this.render(result, sweep);
      this.el.table.dataset.state = "done";
    } catch (e) {
      say(this.el.error, "The check could not run: " + words(e));
      this.el.table.dataset.state = "error";
    }
  }

  render(r, sweep) {
    const model = `${r.layers}-layer ${CELLS[r.cell]}`;
    const values = r.params.reduce((n, p) => n + p.checked, 0);
    const worst = r.params.reduce((a, p) => (p.tensorError > a.tensorError ? p : a), r.params[0]);
    let text;
    if (r.passed) {
      text = `All ${values} gradients of the ${model} match central differences (the worst tensor is off by`
        + ` ${exp(r.tensorError)} of its size): backpropagation through time is right.`;
    } else if (r.truncatedSteps > 0 && r.truncatedSteps < r.window) {
      text = `With BPTT cut after ${r.truncatedSteps} of the window's ${r.window} steps, the gradient of ${worst.name}`
        + ` is off by ${pct(worst.tensorError)} of its size: the cut drops what reaches it from further back.`;
    } else {
      text = `The check failed: the gradient of ${worst.name} is off by ${pct(worst.tensorError)} of its size.`;
    }
    this.el.summary.textContent = text + ` Ran in the page (${engineKind === "wasm" ? "WebAssembly" : "JavaScript"}).`;
    this.el.summary.dataset.passed = String(r.passed);
    this.el.sweep.textContent = `How far off the worst tensor's gradient is (‖analytic − numeric‖ ÷ ‖numeric‖) with BPTT`
      + ` cut after k steps; the numeric side always sees the whole window of ${r.window}: `
      + sweep.map(([k, e]) => `k = ${k}: ${e >= 1e-3 ? pct(e) : exp(e)}`).join(" · ");
    this.el.sweep.dataset.errors = JSON.stringify(sweep.map(([, e]) => e));
    const head = row("th", ["tensor", "values", "worst element: analytic", "numeric", "tensor off by", ""]);
    const rows = r.params.map((p) => {
      const off = p.tensorError >= 1e-3 ? pct(p.tensorError) : exp(p.tensorError);
      const tr = row("td", [p.name, String(p.checked), num(p.analytic), num(p.numeric), off, p.passed ? "✓" : "✗"]);
      tr.className = p.passed ? "ok" : "wrong";
      return tr;
    });
    this.el.table.replaceChildren(Object.assign(document.createElement("thead"), {}), document.createElement("tbody"));
    this.el.table.tHead.append(head);
    this.el.table.tBodies[0].append(...rows);
  }
}

function row(tag, cells) {
  const tr = document.createElement("tr");
  for (const c of cells) tr.append(Object.assign(document.createElement(tag), { textContent: c }));
  return tr;
}

const exp = (x) => (x === 0 ? "0" : x.toExponential(1).replace("e+", "e"));
const num = (x) => (Math.abs(x) >= 1e-3 || x === 0 ? x.toFixed(5) : x.toExponential(3));
const pct = (x) => `${Number((100 * x).toPrecision(2))}%`;
