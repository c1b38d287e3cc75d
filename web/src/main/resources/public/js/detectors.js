// "Units that mean something": two ways to find a unit that tracks something a person can name.
// (a) Select a span of the text: the units whose mean activation is highest inside it compared
//     with outside it (LSTMVis's hypothesis search, Strobelt et al. 2017), measured in each unit's
//     own spread over the text, so an LSTM cell state that drifts to ±70 does not outrank every
//     hidden unit (bounded to ±1) by its size alone.
// (b) Find detectors: correlate every unit (h, and an LSTM's c) of every layer with simple
//     features of the text computed here (inside quotes, bracket depth, position in the line, ...)
//     and list the best unit for each, as Karpathy, Johnson and Fei-Fei (2015) found quote and
//     line-length cells. One click colours the text by that unit.

import { divergingColor, rgb } from "./format.js";

const SHOWN = 6;
const isLetter = (s) => /\p{L}/u.test(s);

/** Features of a text, one number per symbol (the state after reading it is what is compared). */
export const FEATURES = [
  ["inside quotes", (symbols) => { let inside = 0; return symbols.map((s) => (s === "\"" ? (inside ^= 1, 1) : inside)); }],
  ["bracket depth", (symbols) => { let d = 0; return symbols.map((s) => { if ("([{".includes(s)) d++; const v = d; if (")]}".includes(s)) d = Math.max(0, d - 1); return v; }); }],
  ["position in the line", (symbols) => { let p = 0; return symbols.map((s) => (s === "\n" ? (p = 0) : ++p)); }],
  ["start of a word", (symbols) => symbols.map((s, i) => (isLetter(s) && (i === 0 || !isLetter(symbols[i - 1])) ? 1 : 0))],
  ["after a newline", (symbols) => symbols.map((s) => (s === "\n" ? 1 : 0))],
  ["uppercase", (symbols) => symbols.map((s) => (s !== s.toLowerCase() ? 1 : 0))],
  ["vowel", (symbols) => symbols.map((s) => ("aeiouAEIOU".includes(s) ? 1 : 0))],
];

/** Pearson's correlation of two equally long series; 0 when either is constant. */
export function correlation(x, y) {
  const n = x.length;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
  mx /= n; my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx, dy = y[i] - my;
    sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

export class DetectorsView {
  /** el: {text, spanResult, findButton, detectors, colouredBy} */
  constructor(el) {
    this.el = el;
    this.trace = null;
    this.unit = null;   // {layer, state, unit} colouring the text
    el.text.addEventListener("mouseup", () => this.searchSelection());
    el.findButton.addEventListener("click", () => this.findDetectors());
  }

  reset(trace) {
    this.trace = trace;
    this.unit = null;
    this.el.detectors.replaceChildren();
    const hint = document.createElement("p");
    hint.className = "muted small";
    hint.textContent = "Select a span of the text above.";
    this.el.spanResult.replaceChildren(hint);
    this.el.colouredBy.textContent = "";
    this.rendered = 0;
    this.el.text.replaceChildren();
    this.append(trace);
  }

  append(trace) {
    if (trace !== this.trace) return;
    const fragment = document.createDocumentFragment();
    for (let i = this.rendered; i < trace.length; i++) {
      const span = document.createElement("span");
      span.textContent = trace.symbols[i];
      span.dataset.i = String(i);
      fragment.append(span);
    }
    this.rendered = trace.length;
    this.el.text.append(fragment);
  }

  /** Every unit the views can name: each layer's h, and an LSTM's c. */
  *units() {
    const t = this.trace, H = t.hiddenSize;
    for (const state of t.cell[0] ? ["h", "c"] : ["h"]) {
      for (let l = 0; l < t.layers; l++) {
        for (let u = 0; u < H; u++) yield { state, layer: l, unit: u };
      }
    }
  }

  series({ state, layer, unit }) {
    const t = this.trace, k = layer * t.hiddenSize + unit;
    const rows = state === "c" ? t.cell : t.hidden;
    return rows.map((v) => v[k]);
  }

  /** The symbols the selection covers in the text, as [first, last], or null. */
  selectedRange() {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !this.el.text.contains(sel.anchorNode)) return null;
    const index = (n) => Number((n.nodeType === 1 ? n : n.parentElement).closest("[data-i]")?.dataset.i);
    const a = index(sel.anchorNode), b = index(sel.focusNode);
    if (!Number.isInteger(a) || !Number.isInteger(b)) return null;
    return [Math.min(a, b), Math.max(a, b)];
  }

  /**
   * LSTMVis's question: which units are high inside the selection and low outside it? Each unit's
   * difference of means is divided by its standard deviation over the whole text: the score is then
   * the point-biserial correlation with "inside the selection" up to a factor the same for every
   * unit, so a unit ranks high when the selection explains its ups and downs, whatever its scale.
   */
  searchSelection() {
    const range = this.selectedRange();
    if (!range || !this.trace) return;
    const [from, to] = range, n = this.trace.length;
    if (to - from + 1 >= n) return;
    const found = [];
    for (const u of this.units()) {
      const s = this.series(u);
      let inside = 0, outside = 0;
      for (let i = 0; i < n; i++) (i >= from && i <= to ? (inside += s[i]) : (outside += s[i]));
      const mean = (inside + outside) / n;
      inside /= to - from + 1;
      outside /= n - (to - from + 1);
      let variance = 0;
      for (const v of s) variance += (v - mean) * (v - mean);
      const spread = Math.sqrt(variance / n);
      found.push({ ...u, inside, outside, spread, score: spread > 0 ? (inside - outside) / spread : 0 });
    }
    found.sort((a, b) => b.score - a.score);
    const text = this.trace.symbols.slice(from, to + 1).join("");
    const head = document.createElement("p");
    head.className = "muted small";
    head.textContent = `Units most active inside “${text.length > 40 ? text.slice(0, 40) + "…" : text}” (symbols ${from + 1}–${to + 1})`
      + " compared with the rest, in units of each one's spread σ over the text:";
    this.el.spanResult.dataset.from = String(from);
    this.el.spanResult.dataset.to = String(to);
    this.el.spanResult.replaceChildren(head, this.list(found.slice(0, SHOWN).map((f) => ({
      ...f, words: `${f.score.toFixed(2)} σ higher inside (inside ${f.inside.toFixed(2)} · outside ${f.outside.toFixed(2)} · σ ${f.spread.toFixed(2)})`,
    }))));
  }

  /** For each feature of the text, the unit that follows it best (largest |correlation|). */
  findDetectors() {
    if (!this.trace || this.trace.length < 3) return;
    const symbols = this.trace.symbols;
    const features = FEATURES.map(([name, f]) => ({ name, values: f(symbols) }))
      .filter(({ values }) => values.some((v) => v !== values[0]));
    const best = features.map(() => ({ r: 0 }));
    for (const u of this.units()) {
      const s = this.series(u);
      features.forEach(({ values }, k) => {
        const r = correlation(values, s);
        if (Math.abs(r) > Math.abs(best[k].r)) best[k] = { ...u, r };
      });
    }
    const missing = FEATURES.map(([name]) => name).filter((name) => !features.some((f) => f.name === name));
    const list = this.list(features.map((f, k) => ({ ...best[k], feature: f.name, words: `${f.name}: r = ${best[k].r.toFixed(2)}` })));
    const note = document.createElement("p");
    note.className = "muted small";
    note.textContent = missing.length ? `Not in this text, so not looked for: ${missing.join(", ")}.` : "";
    this.el.detectors.replaceChildren(list, note);
  }

  /** A list of units; clicking one colours the text by it. */
  list(items) {
    const ol = document.createElement("ol");
    ol.className = "unit-list";
    for (const item of items) {
      const li = document.createElement("li");
      const name = `${item.state} ${item.layer + 1}:${item.unit}`;
      Object.assign(li.dataset, { state: item.state, layer: String(item.layer), unit: String(item.unit) });
      for (const key of ["inside", "outside", "score", "r", "feature"]) if (item[key] != null) li.dataset[key] = String(item[key]);
      const button = document.createElement("button");
      button.type = "button";
      button.className = "small";
      button.textContent = name;
      button.title = `${item.state === "c" ? "cell state" : "hidden state"}, layer ${item.layer + 1}, unit ${item.unit}: colour the text by it`;
      button.addEventListener("click", () => this.colourBy(item));
      const words = document.createElement("span");
      words.textContent = " " + item.words;
      li.append(button, words);
      ol.append(li);
    }
    return ol;
  }

  colourBy(u) {
    this.unit = u;
    const s = this.series(u);
    let max = 1e-9;
    for (const v of s) max = Math.max(max, Math.abs(v));
    for (const span of this.el.text.children) {
      const v = s[Number(span.dataset.i)];
      span.style.backgroundColor = rgb(divergingColor(v / max));
      span.title = `${v.toFixed(3)}`;
    }
    this.el.colouredBy.textContent = `Coloured by ${u.state === "c" ? "the cell state" : "the hidden state"} of unit ${u.unit}`
      + ` in layer ${u.layer + 1}, scaled to its largest size here (${max.toFixed(2)}).`;
    this.el.text.dataset.coloredBy = `${u.state} ${u.layer}:${u.unit}`;
  }
}
