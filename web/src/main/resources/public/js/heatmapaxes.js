// The axes of a heatmap: along the top, the character read at each column (inside the horizontal
// scroller, so it scrolls with the canvas); along the left, unit numbers and, when every layer is
// shown, which layer each band of rows belongs to (outside the scroller, so it stays in view).

import { visibleSymbol } from "./format.js";

const MIN_LABEL_WIDTH = 6;    // px a character label needs; narrower columns get sparse labels
const MIN_TICK_GAP = 20;      // px between two unit numbers

export class HeatmapAxes {
  /** canvas: the heatmap, whose parent is the horizontal scroller; column: px per symbol. */
  constructor(canvas, column) {
    this.canvas = canvas;
    this.column = column;
    const scroller = canvas.parentElement;
    const make = (className) => Object.assign(document.createElement("div"), { className });
    // scroller > plot > [characters, canvas]; frame > [units, scroller]
    this.plot = make("heatmap-plot");
    this.characters = make("heatmap-characters");
    canvas.before(this.plot);
    this.plot.append(this.characters, canvas);
    this.units = make("heatmap-units");
    this.unitTicks = make("heatmap-unit-ticks");
    this.units.append(this.unitTicks);
    const frame = make("heatmap-frame");
    scroller.before(frame);
    frame.append(this.units, scroller);
    this.labelled = 0;
  }

  /** Starts over: rowHeight px per unit, `layers` bands of units (1 unless all layers are shown). */
  reset(units, rowHeight, layers) {
    this.characters.replaceChildren();
    this.labelled = 0;
    for (const line of this.plot.querySelectorAll(".heatmap-layer-line")) line.remove();
    const perLayer = units / layers;
    let step = 1;
    while (step * rowHeight < MIN_TICK_GAP && step < units) step *= 2;
    const ticks = [];
    for (let l = 0; l < layers; l++) {
      if (layers > 1) {
        const band = document.createElement("span");
        band.className = "heatmap-layer";
        band.textContent = `layer ${l + 1}`;
        band.dataset.layer = String(l + 1);
        Object.assign(band.style, { top: `${l * perLayer * rowHeight}px`, height: `${perLayer * rowHeight}px` });
        ticks.push(band);
        if (l > 0) {
          const line = document.createElement("div");
          line.className = "heatmap-layer-line";
          line.style.top = `calc(var(--characters-height) + ${l * perLayer * rowHeight}px)`;
          this.plot.append(line);
        }
      }
      for (let u = 0; u < perLayer; u += step) {
        const tick = document.createElement("span");
        tick.className = "heatmap-unit";
        tick.textContent = String(u);
        tick.dataset.row = String(l * perLayer + u);
        tick.style.top = `${(l * perLayer + u) * rowHeight}px`;
        ticks.push(tick);
      }
    }
    this.unitTicks.replaceChildren(...ticks);
    this.unitTicks.style.height = `${units * rowHeight}px`;
  }

  /** Labels the columns from `from` to the end of `symbols`; `width` is the canvas's width in px. */
  label(symbols, from, width) {
    this.characters.style.width = `${width}px`;
    if (from < this.labelled) {
      for (const span of [...this.characters.children]) if (Number(span.dataset.i) >= from) span.remove();
      this.labelled = from;
    }
    const every = Math.ceil(MIN_LABEL_WIDTH / this.column);
    const fragment = document.createDocumentFragment();
    for (let i = this.labelled; i < symbols.length; i++) {
      if (i % every) continue;
      const span = document.createElement("span");
      span.textContent = visibleSymbol(symbols[i]);
      span.dataset.i = String(i);
      span.style.left = `${i * this.column}px`;
      fragment.append(span);
    }
    this.characters.append(fragment);
    this.labelled = symbols.length;
  }
}
