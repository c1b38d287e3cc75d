// One state object for the page, mirrored in the URL hash so that a link reproduces a view
// (tensorflow/playground's way). Every control handler does the same three things: set a field,
// call save(), and let the listeners redraw.

const defaults = {
  model: "",          // model id on the server, or "file:<name>" for one opened from disk
  prime: "The ",      // the text the model reads before writing
  temperature: 0.8,   // 0 = always the most likely character
  topK: 0,            // draw among the k most likely; 0 = all
  length: 400,        // characters to write
  speed: 60,          // characters per second; 0 = as fast as possible
  seed: 1,            // same seed, same text (also on the server and in ./rnn sample)
  layer: -1,          // layer shown in the activations: -1 = top, -2 = all
  cellState: false,   // show the LSTM cell state c instead of the hidden state h
  unit: 0,            // hidden unit that colours the text
  units: "0,1,2",     // units drawn in the line chart
  compare: "auto",    // model drawn beside the one in use in "Gradients through time"; "auto": one of another cell
  relative: true,     // gradients divided by their value at the last character (fair across models)
  attLayer: 0,        // "Attention while writing": the layer shown, from 0
  attHead: 0,         // and its head, from 0
  attWindow: 64,      // how many of the last characters it spans
  gcCell: "lstm",     // the gradient check's cell
  gcLayers: 1,        // and its layers
  gcTruncate: 0,      // BPTT cut after this many steps in the gradient check (0: not cut)
  bpttCell: "rnn",    // "BPTT, step by step": the cell
  bpttText: "hello world", // its window: all but the last character read, all but the first predicted
  bpttSteps: 0,       // how many steps have been run back from the last character
  attnText: "hello world", // "Self-attention, step by step": the text (1 to 16 characters)
  attnPosition: 10,   // the position whose attention is computed (clamped to the text's last)
  attnHead: 0,        // which of the two heads
  attnSteps: 0,       // how many stages have been shown
  race: "",           // the job ids of the runs compared under "Compare runs", comma-separated
  racePreset: "cells", // which comparison: cells (four models) or clipping
  raceAxis: "step",   // what the race's loss chart is drawn against: step, time or characters
  ladderSteps: 200,    // "From bigram to Transformer": optimizer steps per rung
  ladderSeed: 1,       // and the seed of its weights and windows (the same two, the same numbers)
  span: "",           // the memory-span run followed under "How long can each model remember?" (its id on the server)
  spanCells: "",      // its models, comma-separated; "" = the four ticked in index.html
  spanGaps: "",       // its gaps, comma-separated; "" = the server's page default
  spanSeeds: "",      // its seeds; "" = the server's default
  spanSteps: "",      // its steps per model; "" = the server's default
  view: "",           // the section a lesson link opens at (its heading's id without "-title")
  engine: "",         // "js" forces the JavaScript build; otherwise WebAssembly where supported
};

const numeric = new Set(["temperature", "topK", "length", "speed", "seed", "layer", "unit", "gcLayers", "gcTruncate", "bpttSteps",
  "attnPosition", "attnHead", "attnSteps", "attLayer", "attHead", "attWindow", "ladderSteps", "ladderSeed"]);
const flags = new Set(["cellState", "relative"]);

export const state = { ...defaults };

/** Reads the hash (and ?engine= from the query) into the state. */
export function load() {
  const params = new URLSearchParams(location.hash.slice(1));
  for (const key of Object.keys(defaults)) {
    if (!params.has(key)) continue;
    const raw = params.get(key);
    if (numeric.has(key)) {
      const n = Number(raw);
      if (Number.isFinite(n)) state[key] = n;
    } else if (flags.has(key)) {
      state[key] = raw === "1" || raw === "true";
    } else {
      state[key] = raw;
    }
  }
  const query = new URLSearchParams(location.search);
  if (query.has("engine")) state.engine = query.get("engine");
}

/** Writes the fields that differ from the defaults into the hash, without a history entry. */
export function save() {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state)) {
    // the engine stays where it was asked for (?engine= or #engine=), so a shared link does not force it
    if (value === defaults[key] || key === "engine") continue;
    params.set(key, flags.has(key) ? (value ? "1" : "0") : String(value));
  }
  const hash = params.toString();
  history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
}
