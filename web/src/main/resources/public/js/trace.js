// What the network did while reading and writing one text: per symbol, the symbol itself,
// whether it came from the prime or was written, the hidden (and LSTM cell) state of every
// layer after reading it, and what it then expected next. The activation views draw from it; the writer fills it.

export class Trace {
  constructor(info) {
    this.layers = info ? info.layers : 0;
    this.hiddenSize = info ? info.hiddenSize : 0;
    this.symbols = [];
    this.written = [];    // false for prime symbols
    this.hidden = [];     // Float64Array (layers × H) per symbol
    this.cell = [];       // Float64Array (layers × H) per symbol, or null
    this.next = [];       // Float64Array (V) per symbol: the prediction for the symbol after it
    this.drawn = [];      // Float64Array (V) per symbol: what the sampler drew the next one from (temperature, top-k)
    this.gates = [];      // Float64Array (layers × G × H) per symbol: the gate values while reading it
    this.cellType = info ? info.cell : "";
    this.gateCount = { lstm: 4, gru: 3, rnn: 1 }[this.cellType] || 1;
  }

  get length() {
    return this.symbols.length;
  }

  push(symbol, written, hidden, cell, next, drawn = null, gates = null) {
    this.symbols.push(symbol);
    this.written.push(written);
    this.hidden.push(hidden);
    this.cell.push(cell);
    this.next.push(next);
    this.drawn.push(drawn);
    this.gates.push(gates);
  }

  /** Gate number g (in torch's order) of one layer (-1 = top) at symbol i: H values. */
  gate(i, layer, g) {
    const l = layer === -1 ? this.layers - 1 : layer;
    const from = (l * this.gateCount + g) * this.hiddenSize;
    return this.gates[i].subarray(from, from + this.hiddenSize);
  }

  /** The state vector shown for symbol i: one layer's slice, or every layer (layer -2); top is -1. */
  vector(i, layer, useCell) {
    const all = useCell && this.cell[i] ? this.cell[i] : this.hidden[i];
    if (layer === -2) return all;
    const l = layer === -1 ? this.layers - 1 : Math.min(layer, this.layers - 1);
    return all.subarray(l * this.hiddenSize, (l + 1) * this.hiddenSize);
  }

  /** How many units a vector holds for this layer choice. */
  units(layer) {
    return layer === -2 ? this.layers * this.hiddenSize : this.hiddenSize;
  }
}
