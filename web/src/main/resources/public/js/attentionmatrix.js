// The causal attention matrix of one head, on a canvas (Transformer Explainer's attention matrix):
// row i is the i-th character of the window looking back, column j a character it looks at, each
// cell shaded by the weight on one single-hue scale (colour-blind safe; 0 white, 1 dark blue).
// Hover a cell, or focus the canvas and move with the arrow keys, to read "“a” → “b”: 0.123".

import { visibleSymbol } from "./format.js";

// ColorBrewer's sequential Blues, evenly spaced from weight 0 to weight 1
const STOPS = [[247, 251, 255], [198, 219, 239], [107, 174, 214], [33, 113, 181], [8, 48, 107]];
const LABEL = 14;            // px of the canvas kept for the characters along the top and the left
const MIN_CELL = 4, MAX_CELL = 14;

/** The colour of an attention weight in [0, 1], as [r, g, b]. */
export function weightColor(w) {
  const x = Math.max(0, Math.min(1, w)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x)), f = x - i;
  return [0, 1, 2].map((k) => Math.round(STOPS[i][k] + (STOPS[i + 1][k] - STOPS[i][k]) * f));
}

/** Dark text on a light cell, light text on a dark one. */
export const inkOn = (w) => (w > 0.55 ? "#fff" : "#1c1917");

export class AttentionMatrix {
  /** canvas: the heatmap (focusable); readout: where the hovered or focused cell is put in words. */
  constructor(canvas, readout) {
    Object.assign(this, { canvas, readout });
    this.ctx = canvas.getContext("2d");
    this.matrix = null;
    this.cursor = null;   // {row, column} under the pointer or the keyboard
    canvas.addEventListener("mousemove", (e) => {
      const hit = this.hit(e);
      if (hit) this.point(hit.row, hit.column);
    });
    canvas.addEventListener("mouseleave", () => this.point(null));
    canvas.addEventListener("focus", () => {
      if (this.matrix && !this.cursor) this.point(this.size - 1, argmax(this.row(this.size - 1)));
    });
    canvas.addEventListener("blur", () => this.point(null));
    canvas.addEventListener("keydown", (e) => this.key(e));
  }

  /**
   * Draws a W × W matrix (row-major) over `symbols` (W characters, oldest first); `room` is the width
   * in px the canvas may take, so the cells shrink to fit it (down to 4 px, then its box scrolls).
   */
  show(matrix, symbols, room) {
    this.matrix = matrix;
    this.symbols = symbols;
    this.size = symbols.length;
    this.cell = Math.max(MIN_CELL, Math.min(MAX_CELL, Math.floor((room - LABEL) / Math.max(1, this.size))));
    this.canvas.width = this.canvas.height = LABEL + this.size * this.cell;
    this.canvas.dataset.size = String(this.size);
    if (this.cursor && (this.cursor.row >= this.size || this.cursor.column > this.cursor.row)) this.cursor = null;
    this.draw();
    if (this.cursor) this.say(this.cursor.row, this.cursor.column);
  }

  row(i) {
    return this.matrix.subarray(i * this.size, (i + 1) * this.size);
  }

  draw() {
    const { ctx, cell, size } = this;
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    for (let i = 0; i < size; i++) {
      for (let j = 0; j <= i; j++) {
        const [r, g, b] = weightColor(this.matrix[i * size + j]);
        ctx.fillStyle = `rgb(${r},${g},${b})`;
        ctx.fillRect(LABEL + j * cell, LABEL + i * cell, cell, cell);
      }
    }
    // the diagonal's edge: above it the future, which no character may look at
    ctx.strokeStyle = "#d6d0c6";
    ctx.beginPath();
    ctx.moveTo(LABEL, LABEL);
    ctx.lineTo(LABEL + size * cell, LABEL + size * cell);
    ctx.stroke();
    // the characters along the top (looked at) and the left (looking), as many as fit
    ctx.fillStyle = "#44403c";
    ctx.font = "10px ui-monospace, monospace";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    const every = Math.ceil(11 / cell);   // a label needs about 11 px
    for (let i = 0; i < size; i += every) {
      const s = visibleSymbol(this.symbols[i]), at = LABEL + (i + 0.5) * cell;
      ctx.fillText(s, at, LABEL / 2);
      ctx.fillText(s, LABEL / 2, at);
    }
    // the last row is the character just read: the head view above shows that row
    ctx.strokeStyle = "#c2410c";
    ctx.strokeRect(LABEL + 0.5, LABEL + (size - 1) * cell + 0.5, size * cell - 1, cell - 1);
    if (this.cursor) {
      ctx.strokeStyle = "#111";
      ctx.lineWidth = 2;
      ctx.strokeRect(LABEL + this.cursor.column * cell, LABEL + this.cursor.row * cell, cell, cell);
      ctx.lineWidth = 1;
    }
  }

  hit(e) {
    if (!this.matrix) return null;
    const rect = this.canvas.getBoundingClientRect();
    const x = (e.clientX - rect.left) * (this.canvas.width / rect.width) - LABEL;
    const y = (e.clientY - rect.top) * (this.canvas.height / rect.height) - LABEL;
    const row = Math.floor(y / this.cell), column = Math.floor(x / this.cell);
    return row >= 0 && row < this.size && column >= 0 && column <= row ? { row, column } : null;
  }

  /** Arrows move inside the lower triangle; Home and End jump along the row. */
  key(e) {
    if (!this.matrix || !this.cursor) return;
    let { row, column } = this.cursor;
    const moves = {
      ArrowUp: () => { row = Math.max(column, row - 1); },
      ArrowDown: () => { row = Math.min(this.size - 1, row + 1); },
      ArrowLeft: () => { column = Math.max(0, column - 1); },
      ArrowRight: () => { column = Math.min(row, column + 1); },
      Home: () => { column = 0; },
      End: () => { column = row; },
    };
    if (!moves[e.key]) return;
    e.preventDefault();
    moves[e.key]();
    this.point(row, column);
  }

  point(row, column) {
    this.cursor = row == null ? null : { row, column };
    if (this.matrix) this.draw();
    if (row == null) this.readout.textContent = "Hover a cell, or focus the matrix and use the arrow keys, to read its weight.";
    else this.say(row, column);
  }

  say(row, column) {
    const w = this.matrix[row * this.size + column], back = row - column;
    this.readout.textContent = `“${visibleSymbol(this.symbols[row])}” → “${visibleSymbol(this.symbols[column])}”: ${w.toFixed(3)}`
      + ` (${back === 0 ? "itself" : back === 1 ? "1 character back" : back + " characters back"},`
      + ` row ${row + 1} of ${this.size})`;
    this.readout.dataset.weight = String(w);
  }
}

export function argmax(values) {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
