// A heatmap on a canvas: one column per symbol, one row per hidden unit, blue (−1) through
// white (0) to red (+1). Drawn column by column as symbols arrive, with the characters along the
// top and the unit numbers (and layers) along the left.

import { divergingColor } from "./format.js";
import { HeatmapAxes } from "./heatmapaxes.js";

const COLUMN = 7;   // px per symbol

export class Heatmap {
  constructor(canvas, { onHover, onPick }) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.trace = null;
    this.columns = 0;
    this.axes = new HeatmapAxes(canvas, COLUMN);
    // an outline over the hovered cell, so the eye finds the unit and the character read off
    this.marker = document.createElement("div");
    this.marker.className = "heatmap-marker";
    this.marker.hidden = true;
    canvas.after(this.marker);
    canvas.addEventListener("mousemove", (e) => {
      const hit = this.hit(e);
      if (hit) {
        this.mark(hit.column, hit.unit);
        onHover(hit.column, hit.unit);
      }
    });
    canvas.addEventListener("mouseleave", () => { this.marker.hidden = true; });
    canvas.addEventListener("click", (e) => {
      const hit = this.hit(e);
      if (hit) onPick(hit.unit);
    });
  }

  /** Starts over for a trace; expectedColumns sizes the canvas so it need not grow. */
  reset(trace, view, expectedColumns) {
    this.trace = trace;
    this.view = view;   // {layer, useCell}
    this.units = trace.units(view.layer);
    this.rowHeight = Math.max(1, Math.min(6, Math.floor(320 / Math.max(1, this.units))));
    this.resize(Math.max(expectedColumns, trace.length, 1));
    this.axes.reset(this.units, this.rowHeight, view.layer === -2 ? trace.layers : 1);
    this.columns = 0;
    this.draw(0);
  }

  resize(columns) {
    this.capacity = columns;
    this.canvas.width = columns * COLUMN;
    this.canvas.height = this.units * this.rowHeight;
    this.ctx.fillStyle = "#fafaf9";
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  /** Draws every column from `from` to the trace's end. */
  draw(from) {
    const trace = this.trace;
    if (!trace) return;
    if (trace.length > this.capacity) {
      this.resize(Math.ceil(trace.length * 1.5));
      from = 0;
    }
    const h = this.rowHeight;
    const image = this.ctx.createImageData(COLUMN, this.units * h);
    for (let i = from; i < trace.length; i++) {
      const v = trace.vector(i, this.view.layer, this.view.useCell);
      const squash = this.view.useCell;
      for (let u = 0; u < this.units; u++) {
        const [r, g, b] = divergingColor(squash ? Math.tanh(v[u]) : v[u]);
        for (let y = u * h; y < (u + 1) * h; y++) {
          for (let x = 0; x < COLUMN; x++) {
            const k = (y * COLUMN + x) * 4;
            image.data[k] = r; image.data[k + 1] = g; image.data[k + 2] = b;
            // a faint gap between columns; written symbols brighter than the prime
            image.data[k + 3] = x === COLUMN - 1 ? 0 : (trace.written[i] ? 255 : 170);
          }
        }
      }
      this.ctx.putImageData(image, i * COLUMN, 0);
    }
    this.axes.label(trace.symbols, from, this.canvas.width);
    this.columns = trace.length;
    this.canvas.dataset.columns = String(this.columns);
    this.canvas.dataset.units = String(this.units);
  }

  hit(e) {
    if (!this.trace) return null;
    const rect = this.canvas.getBoundingClientRect();
    const x = (e.clientX - rect.left) * (this.canvas.width / rect.width);
    const y = (e.clientY - rect.top) * (this.canvas.height / rect.height);
    const column = Math.floor(x / COLUMN), unit = Math.floor(y / this.rowHeight);
    if (column < 0 || column >= this.trace.length || unit < 0 || unit >= this.units) return null;
    return { column, unit };
  }

  /** Outlines one cell (canvas pixels turned into the canvas's displayed size). */
  mark(column, unit) {
    const sx = this.canvas.clientWidth / this.canvas.width, sy = this.canvas.clientHeight / this.canvas.height;
    Object.assign(this.marker.style, {
      left: `${this.canvas.offsetLeft + column * COLUMN * sx - 1}px`, top: `${this.canvas.offsetTop + unit * this.rowHeight * sy - 1}px`,
      width: `${COLUMN * sx + 1}px`, height: `${this.rowHeight * sy + 1}px`,
    });
    this.marker.hidden = false;
  }

  /** Scrolls the heatmap's container so that the newest column is in view. */
  follow(container) {
    container.scrollLeft = Math.max(0, this.columns * COLUMN - container.clientWidth + 20);
  }
}

/** A single state vector as a strip of coloured cells (the hover view). */
export function drawVector(canvas, vector, squash) {
  const n = vector.length;
  const cell = Math.max(2, Math.min(12, Math.floor(640 / Math.max(1, n))));
  canvas.width = n * cell;
  canvas.height = 18;
  const ctx = canvas.getContext("2d");
  for (let u = 0; u < n; u++) {
    const [r, g, b] = divergingColor(squash ? Math.tanh(vector[u]) : vector[u]);
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect(u * cell, 0, cell, 18);
  }
}
