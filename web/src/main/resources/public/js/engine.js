// The model engine: rnn-core compiled by TeaVM, loaded as WebAssembly GC where the browser runs
// it, otherwise as JavaScript. Both builds export the same functions (client's BrowserEntry);
// this module hides which one runs and turns their handles and arrays into plain JavaScript.

let exports = null;
let loading = null;
export let engineKind = "none";

/**
 * Loads the engine once. prefer: "wasm" (default, falls back to JS) or "js". A second call, made
 * while the first still loads, waits for the same engine (a view that needs it need not know who asked first).
 */
export function loadEngine(prefer) {
  if (!loading) loading = load(prefer);
  return loading;
}

async function load(prefer) {
  if (prefer !== "js" && typeof TeaVM !== "undefined" && supportsWasmGc()) {
    try {
      const teavm = await TeaVM.wasmGC.load("/client/rnn.wasm");
      exports = teavm.exports;
      engineKind = "wasm";
      return engineKind;
    } catch (e) {
      console.warn("WebAssembly build failed to load, using JavaScript", e);
    }
  }
  exports = await import("/client/rnn.js");
  engineKind = "js";
  return engineKind;
}

// The smallest module with a GC struct type: validates only where WebAssembly GC is supported.
function supportsWasmGc() {
  try {
    return WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 95, 1, 127, 0]));
  } catch (e) {
    return false;
  }
}

/** A model in the engine. Throws an Error with the engine's words when the bytes are not a model. */
export class Model {
  constructor(bytes) {
    this.handle = exports.loadModel(new Int8Array(bytes));
    if (!this.handle) throw new Error(exports.lastError());
    this.info = JSON.parse(exports.modelInfo(this.handle));
    this.vocabulary = JSON.parse(exports.vocabulary(this.handle));
  }

  /** The distinct symbols of text the model does not know, as one string. */
  unknownSymbols(text) {
    return exports.unknownSymbols(this.handle, text);
  }

  /** A writing session; settings: {temperature, topK, seed}. */
  session(settings) {
    return new Session(this, settings);
  }

  /** {layers, heads} of a model that attends (a gpt, the attending LSTM), else null. */
  attentionLayout() {
    const layout = exports.attentionLayout(this.handle);
    return layout.length ? { layers: layout[0], heads: layout[1] } : null;
  }

  /**
   * Core's Attending.attentionMatrix: the model reads `text` from the start (a gpt at most its
   * block) and one head's weights at each of the last `window` characters over those characters
   * come back, W × W row-major (row: the character looking, column: the one looked at).
   */
  attentionMatrix(text, layer, head, window) {
    const matrix = exports.attentionMatrix(this.handle, text, layer | 0, head | 0, window | 0);
    if (!matrix.length) throw new Error(exports.lastError());
    return Float64Array.from(matrix);
  }

  dispose() {
    exports.unloadModel(this.handle);
  }
}

/**
 * One run of the core Generator: feed symbols, draw the next ones. After every symbol it can
 * report the next-symbol probabilities and the hidden (and LSTM cell) state of every layer.
 */
export class Session {
  constructor(model, { temperature = 1, topK = 0, seed = "1" } = {}) {
    this.model = model;
    this.handle = exports.startSession(model.handle, Number(temperature), topK | 0, String(seed));
    if (!this.handle) throw new Error(exports.lastError());
  }

  /** Feeds one symbol; false when the model does not know it (skipped). */
  feed(symbol) {
    return exports.feed(this.handle, symbol);
  }

  /** Draws the next symbol, feeds it back and returns it. */
  next() {
    return exports.next(this.handle);
  }

  probabilities() {
    return Float64Array.from(exports.probabilities(this.handle));
  }

  /** What the sampler draws the next symbol from with this temperature and top-k (V). */
  drawDistribution(temperature, topK) {
    return Float64Array.from(exports.drawDistribution(this.handle, Number(temperature), topK | 0));
  }

  /** Every layer's gates, bottom layer first (layers × G × H): i f g o (LSTM), r z n (GRU), pre-activation (RNN). */
  gates() {
    return Float64Array.from(exports.gates(this.handle));
  }

  /** Every layer's hidden state, bottom layer first (layers × H). */
  hidden() {
    return Float64Array.from(exports.hidden(this.handle));
  }

  /**
   * Where the last symbol looked, for a model that attends: {layers, heads, positions, newestBack,
   * weights (layers × heads × positions, oldest position first)}; position p is the character
   * newestBack + positions − 1 − p places before the last one. Null for other models and before
   * the first symbol.
   */
  attention() {
    const a = Float64Array.from(exports.attention(this.handle));
    if (!a.length) return null;
    return { layers: a[0], heads: a[1], positions: a[2], newestBack: a[3], weights: a.subarray(4) };
  }

  /** Every layer's LSTM cell state (layers × H), or null for other cells. */
  cellState() {
    const c = exports.cellState(this.handle);
    return c.length ? Float64Array.from(c) : null;
  }

  dispose() {
    exports.endSession(this.handle);
  }
}

/**
 * Core's BackwardSteps, run here in the browser: a fresh model of the cell (4 units, the seed's
 * initialisation) over the window text[0..T−1] → text[1..T], with `steps` steps of BPTT run back
 * from the last character: {cell, hidden, window, loss, inputs, targets, hiddenStates, parameters,
 * decoder, steps: [{t, fromLoss, fromLater, total, cellFromLater, gateGradients, passedBack,
 * cellPassedBack, accumulated}]} (the cell* fields null but for an LSTM).
 */
export function bpttSteps(cell, text, steps, seed = "1") {
  const json = exports.bpttSteps(cell, text, String(seed), steps | 0);
  if (!json) throw new Error(exports.lastError());
  return JSON.parse(json);
}

/**
 * Core's GradientCheck, run here in the browser: {cell, layers, truncatedSteps, window, passed,
 * tensorError, params: [{name, checked, maxRelativeError, maxAbsoluteError, analytic, numeric, tensorError, passed}]};
 * tensorError = ‖analytic − numeric‖ ÷ ‖numeric‖.
 */
export function gradientCheck(cell, layers, truncatedSteps, seed = "42") {
  const json = exports.gradientCheck(cell, layers | 0, truncatedSteps | 0, String(seed));
  if (!json) throw new Error(exports.lastError());
  return JSON.parse(json);
}

/**
 * Core's AttentionSteps, run here in the browser: a fresh GPT (8 channels, 2 heads, one block of 16,
 * the seed's initialisation) over the symbols of text, and every stage of its self-attention at
 * `position` for `head`: {symbols, position, head, heads, channels, headSize, layers, blockSize,
 * vocabSize, parameterCount, stages: [{id, tensors: [{name, rows, columns, values}]}]} (a masked
 * score, −∞, as null).
 */
export function attentionSteps(text, position, head, seed = "1") {
  const json = exports.attentionSteps(text, String(seed), position | 0, head | 0);
  if (!json) throw new Error(exports.lastError());
  return JSON.parse(json);
}

/**
 * Weights and biases of the model a job's settings build, for a text of `vocabSize` symbols, as core
 * counts them (Architecture.parameterCount): settings {cell, hidden, layers, heads, seqLength (a gpt's
 * block), bias}, as the jobs API takes them. Call it once loadEngine() has resolved.
 */
export function parameterCount(settings, vocabSize) {
  const s = settings;
  const count = exports.parameterCount(s.cell, s.hidden | 0, (s.layers ?? 1) | 0, (s.heads ?? 1) | 0,
    (s.seqLength ?? 1) | 0, s.bias ? 1 : 0, vocabSize | 0);
  if (count < 0) throw new Error(exports.lastError());
  return count;
}
