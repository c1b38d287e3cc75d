// "Self-attention, step by step": core's AttentionSteps, compiled by TeaVM, runs the first block's
// self-attention of a fresh tiny GPT (8 channels, 2 heads of 4) at one position of a short text,
// and the view shows its stages one per press of Step: embedding + position, LayerNorm, q/k/v,
// scores, the causal mask, softmax, the weighted sum of the values, the output projection and the
// residual. It needs no model from the server (its own fresh one), so it works whatever model is
// in use. Every render asks the core again (microseconds), so the link's stage count restores it.

import { attentionSteps } from "./engine.js";
import { stageWords } from "./attnwords.js";
import { drawScale } from "./attnscale.js";
import { divergingColor, rgb, sequentialColor, shortNumber, visibleSymbol } from "./format.js";
import { say, words } from "./messages.js";

/** Stages over the characters of the text: drawn as one row aligned with them. */
const OVER_CHARACTERS = new Set(["scores", "masked", "weights"]);

export class AttentionStepView {
  /** section: the #attnstep element (the view finds its parts inside); state: attnText, attnPosition, attnHead, attnSteps. */
  constructor(section, state, changed) {
    const $ = (id) => section.querySelector("#attnstep-" + id);
    this.el = {
      section, text: $("text"), head: $("head"), step: $("step"), all: $("all"), reset: $("reset"), window: $("window"),
      summary: $("summary"), stages: $("stages"), error: $("error"), scale: $("scale"),
    };
    Object.assign(this, { state, changed });
    this.result = null;
    this.shippedGpt = null;
    this.el.text.value = state.attnText;
    this.el.head.value = String(state.attnHead);
    const set = (fields) => { Object.assign(state, fields); changed(); this.render(); };
    this.el.text.addEventListener("input", () => set({ attnText: this.el.text.value, attnSteps: 0 }));
    this.el.head.addEventListener("change", () => set({ attnHead: Number(this.el.head.value), attnSteps: 0 }));
    this.el.step.addEventListener("click", () => set({ attnSteps: state.attnSteps + 1 }));
    this.el.all.addEventListener("click", () => set({ attnSteps: this.result ? this.result.stages.length : 0 }));
    this.el.reset.addEventListener("click", () => set({ attnSteps: 0 }));
    this.el.window.addEventListener("click", (e) => {
      const box = e.target.closest("button[data-j]");
      if (box) set({ attnPosition: Number(box.dataset.j), attnSteps: 0 });
    });
  }

  /** The server's models: the shipped GPT's size goes into the scale panel. */
  setModels(models) {
    this.shippedGpt = models.find((m) => m.cell === "gpt" && m.source === "default") || null;
    if (this.result) drawScale(this.el.scale, this.result, this.shippedGpt);
  }

  /** Asks the core (call once the engine has loaded) for the stages at the chosen position and head, and draws the first attnSteps of them. */
  render() {
    const { attnText: text, attnHead: head } = this.state;
    const last = Array.from(text).length - 1;
    const position = Math.max(0, Math.min(last, Math.round(this.state.attnPosition) || 0));
    try {
      this.result = attentionSteps(text, position, head);
      say(this.el.error, "");
    } catch (e) {
      this.result = null;
      say(this.el.error, "Self-attention cannot run on that: " + words(e));
    }
    const r = this.result;
    const total = r ? r.stages.length : 0;
    const shown = Math.max(0, Math.min(total, Math.round(this.state.attnSteps) || 0));
    Object.assign(this.el.section.dataset, { steps: r ? String(shown) : "", position: r ? String(position) : "" });
    this.el.step.disabled = !r || shown === total;
    this.el.all.disabled = this.el.step.disabled;
    this.el.reset.disabled = !r || shown === 0;
    if (!r) {
      this.el.window.replaceChildren();
      this.el.stages.replaceChildren();
      this.el.summary.textContent = "";
      return;
    }
    const stageText = stageWords(r);
    this.drawWindow(r);
    this.el.summary.textContent = summary(r, shown, stageText);
    this.el.stages.replaceChildren(...r.stages.slice(0, shown).map((stage, i) =>
      drawStage(r, stage, stageText[stage.id], i + 1, i === shown - 1)));
    drawScale(this.el.scale, r, this.shippedGpt);
  }

  /** The text as buttons: pressing one picks the position; the later ones are what the mask hides. */
  drawWindow(r) {
    this.el.window.replaceChildren(...r.symbols.map((symbol, j) => {
      const box = document.createElement("button");
      box.type = "button";
      box.className = "attn-symbol" + (j === r.position ? " current" : j > r.position ? " later" : "");
      box.dataset.j = String(j);
      box.setAttribute("aria-pressed", String(j === r.position));
      box.title = `position ${j}: “${visibleSymbol(symbol)}”` + (j === r.position ? " (shown)" : ": show this position");
      box.append(Object.assign(document.createElement("b"), { textContent: visibleSymbol(symbol) }),
        Object.assign(document.createElement("small"), { textContent: String(j) }));
      return box;
    }));
  }
}

function summary(r, shown, stageText) {
  const c = `“${visibleSymbol(r.symbols[r.position])}”`;
  if (shown === 0) {
    return `Position ${r.position} reads ${c} and may attend to the ${r.position + 1} character${r.position ? "s" : ""} up to it.`
      + " Press Step to compute its attention one stage at a time.";
  }
  const stage = r.stages[shown - 1];
  const where = `Stage ${shown} of ${r.stages.length}: ${stageText[stage.id].title}.`;
  if (shown < r.stages.length) return where;
  return where + ` Every number above is what one whole forward pass computes for position ${r.position}: the same Java code, run in this page.`;
}

function drawStage(r, stage, text, number, current) {
  const li = document.createElement("li");
  li.className = "attn-stage" + (current ? " current" : "");
  li.dataset.stage = stage.id;
  li.append(Object.assign(document.createElement("h3"), { textContent: `${number}. ${text.title}` }),
    Object.assign(document.createElement("code"), { className: "attn-equation", textContent: text.equation }),
    Object.assign(document.createElement("p"), { className: "attn-caption", textContent: text.caption }),
    ...stage.tensors.map((t) => drawTensor(r, t, text.labels[t.name] || t.name)));
  return li;
}

/** One tensor: a row over the characters, a matrix with a row per position, or a vector; numbers rounded, exact on hover. */
function drawTensor(r, tensor, label) {
  const box = document.createElement("div");
  box.className = "attn-tensor";
  box.dataset.tensor = tensor.name;
  box.dataset.values = JSON.stringify(tensor.values);
  box.append(Object.assign(document.createElement("span"), { className: "attn-label", textContent: label }));
  if (OVER_CHARACTERS.has(tensor.name)) {
    box.append(overCharacters(r, tensor));
  } else if (tensor.rows > 1) {
    for (let j = 0; j < tensor.rows; j++) {
      const row = cells(tensor.values.slice(j * tensor.columns, (j + 1) * tensor.columns));
      row.prepend(Object.assign(document.createElement("span"), {
        className: "attn-rowname", textContent: `${j} “${visibleSymbol(r.symbols[j])}”`,
      }));
      box.append(row);
    }
  } else {
    box.append(cells(tensor.values));
  }
  return box;
}

/** Numbers tinted on a diverging scale (blue below zero, red above), relative to the largest in the row. */
function cells(values) {
  const row = Object.assign(document.createElement("div"), { className: "attn-cells" });
  const scale = Math.max(1e-300, ...values.map(Math.abs));
  for (const v of values) {
    const cell = Object.assign(document.createElement("span"), { className: "num", textContent: shortNumber(v), title: String(v) });
    // light enough to read the number on; a lone number (mean, rstd) has nothing to compare with
    if (values.length > 1) cell.style.backgroundColor = rgb(divergingColor((0.55 * v) / scale));
    row.append(cell);
  }
  return row;
}

/** A score or weight under each character; masked ones greyed (−∞), weights on a single-hue scale from 0 to 1. */
function overCharacters(r, tensor) {
  const row = Object.assign(document.createElement("div"), { className: "attn-over" });
  tensor.values.forEach((v, j) => {
    const cell = Object.assign(document.createElement("span"), { className: "attn-char" });
    cell.dataset.j = String(j);
    const value = Object.assign(document.createElement("span"), { className: "num" });
    if (v == null) {
      cell.classList.add("masked");
      value.textContent = "−∞";
      value.title = "masked: a later character";
    } else {
      value.textContent = shortNumber(v);
      value.title = String(v);
      if (tensor.name === "weights") {
        if (j > r.position) {
          cell.classList.add("masked");
        } else {
          cell.style.backgroundColor = rgb(sequentialColor(v));
          if (v > 0.55) cell.classList.add("dark");   // white digits on the darker blues
        }
      }
    }
    cell.append(Object.assign(document.createElement("b"), { textContent: visibleSymbol(r.symbols[j]) }), value);
    row.append(cell);
  });
  return row;
}
