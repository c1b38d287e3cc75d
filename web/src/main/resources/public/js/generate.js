// The Generate controls: the sampling settings (temperature, top-k, length, speed, seed) and the
// seed text, each kept in the state and so in the URL hash; Generate (or Enter) and Stop (or Esc).
// main.js builds them over the writer once the views exist; they ask modelchoice.js which model is
// in use and whether one is still loading, and it tells them when a model is ready.

import { state, save } from "./state.js";
import * as api from "./api.js";
import { say, words } from "./messages.js";

const $ = (id) => document.getElementById(id);

export class GenerateControls {
  /** writer: the Writer that writes; modelChoice: the ModelChoice (its current model, and the id it is loading). */
  constructor(writer, modelChoice) {
    this.writer = writer;
    this.modelChoice = modelChoice;
    this.whenLoaded = false;   // Generate was pressed while the model was still loading

    bindNumber("temperature", "temperature", "temperature-value");
    bindNumber("top-k", "topK");
    // the bars follow the sampling settings at once (B6)
    for (const id of ["temperature", "top-k"]) {
      $(id).addEventListener("input", () => writer.setDrawSettings(state.temperature, state.topK));
    }
    writer.setDrawSettings(state.temperature, state.topK);
    bindNumber("length", "length");
    bindNumber("speed", "speed");

    // the slider's and the length's limits are the server's (GET /api/sampling/options, from core's SampleConfig)
    this.maxLength = Infinity;
    api.samplingOptions().then((o) => {
      $("temperature").min = o.slider.temperature.min;
      $("temperature").max = o.slider.temperature.max;
      $("length").max = o.limits.length.max;
      this.maxLength = o.limits.length.max;
    }).catch(() => { /* no server: the page's own attributes stand, and the engine refuses what is too long */ });
    bindNumber("seed", "seed");

    const prime = $("prime");
    prime.value = state.prime;
    this.previewTimer = 0;
    prime.addEventListener("input", () => {
      state.prime = prime.value;
      save();
      clearTimeout(this.previewTimer);
      this.previewTimer = setTimeout(() => modelChoice.current && writer.preview(state.prime), 120);
    });
    prime.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey) {
        e.preventDefault();
        this.generate();
      } else if (e.key === "Escape") {
        writer.stop();
      }
    });
    $("generate-button").addEventListener("click", () => this.generate());
    $("stop-button").addEventListener("click", () => writer.stop());
  }

  generate() {
    say("message", "");
    if (this.modelChoice.loading) {
      this.whenLoaded = true;
      return say("message", "The model is still loading: it starts writing as soon as it is ready.", "info");
    }
    if (!this.modelChoice.current) return say("message", "Choose a model first: pick one above, train one, or open a .safetensors file.");
    clearTimeout(this.previewTimer);
    try {
      this.writer.start({
        prime: state.prime, temperature: state.temperature, topK: state.topK,
        length: Math.max(0, Math.min(this.maxLength, state.length)), speed: state.speed, seed: String(state.seed),
      });
    } catch (e) {
      say("message", words(e));
    }
  }

  /** The model chosen has loaded (or could not be): if Generate was pressed meanwhile, it writes now. */
  modelSettled() {
    if (this.whenLoaded) {
      this.whenLoaded = false;
      this.generate();
    }
  }
}

/** An input kept in state[key] (and the hash), with its value also written in outputId's element if given. */
function bindNumber(id, key, outputId) {
  const input = $(id);
  input.value = state[key];
  const show = () => { if (outputId) $(outputId).textContent = key === "temperature" && state[key] === 0 ? "0 (argmax)" : String(state[key]); };
  show();
  input.addEventListener("input", () => {
    const value = Number(input.value);
    if (!Number.isFinite(value)) return;
    state[key] = value;
    save();
    show();
  });
}
