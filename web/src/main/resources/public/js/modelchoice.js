// Which model writes: loads the one chosen in the picker (its weights fetched once, then kept in
// the engine) or opened from a .safetensors file, and says its shape on the model line. main.js
// hands it every choice (the picker, a finished training job, boot); onUse(id, model) there then
// tells the writer and every view, and onSettled() lets a Generate pressed while loading write.

import { state } from "./state.js";
import { Model } from "./engine.js";
import * as api from "./api.js";
import { count } from "./format.js";
import { say, words } from "./messages.js";

/** The cells whose insides the views draw; a gpt or a bigram only writes and predicts. */
export const RECURRENT = new Set(["rnn", "lstm", "gru"]);

export class ModelChoice {
  /**
   * el: {info, file} the model line and the "Open file…" input; library: the ModelLibrary (the
   * picker); onUse(id, model): this model is now in use; onSettled(): a choice has loaded or failed.
   */
  constructor(el, library, onUse, onSettled) {
    this.el = el;
    this.library = library;
    this.onUse = onUse;
    this.onSettled = onSettled;
    this.loaded = new Map();   // model id -> Model in the engine
    this.current = null;       // the Model in use
    this.loading = null;       // the id of the model being fetched, or null
    el.file.addEventListener("change", () => this.openFile());
  }

  /**
   * Loads a model and puts it in use. While it loads, the picker and the model line name it; if it
   * cannot be loaded (the server gone, say), both go back to the model still writing, so the picker,
   * the model line and the writing never disagree.
   */
  async select(id) {
    if (!id) return;
    say("message", "");
    const inUse = this.current ? state.model : "";
    this.loading = id;
    this.library.showChoice(id);
    this.el.info.textContent = `Loading ${this.library.nameOf(id)}…`;
    try {
      let model = this.loaded.get(id);
      if (!model) {
        if (id.startsWith("file:")) throw new Error("open the file again: models from disk are not kept after a reload");
        model = new Model(await api.modelWeights(id));
        this.loaded.set(id, model);
      }
      if (this.loading !== id) return;   // another choice came after this one
      this.loading = null;
      this.use(id, model);
    } catch (e) {
      if (this.loading !== id) return;
      this.loading = null;
      this.library.showChoice(inUse);
      this.showInfo();
      say("message", "Could not load that model: " + words(e));
    }
    this.onSettled();
  }

  /** A model from the computer: kept in this page only, as "file:<name>". */
  async openFile() {
    const file = this.el.file.files[0];
    if (!file) return;
    try {
      const model = new Model(await file.arrayBuffer());
      const id = "file:" + file.name;
      this.loaded.get(id)?.dispose();
      this.loaded.set(id, model);
      this.library.addLocal(file.name);
      this.use(id, model);
    } catch (e) {
      say("message", `${file.name} is not a model this page can read: ${words(e)}`);
    } finally {
      this.el.file.value = "";
    }
  }

  use(id, model) {
    this.current = model;
    this.onUse(id, model);
  }

  /** The model was deleted on the server: its copy in the engine goes too. */
  forget(id) {
    this.loaded.get(id)?.dispose();
    this.loaded.delete(id);
  }

  /** The model line: the shape, the symbols and the parameters of the model in use. */
  showInfo() {
    this.el.info.textContent = this.current
      ? `${shapeInWords(this.current.info)} · ${this.current.info.vocabSize} symbols · ${count(this.current.info.parameterCount)} parameters`
      : "No model loaded yet.";
  }
}

/** "LSTM · 384 hidden units × 2 layers", "GPT · 4 layers × 4 heads × 128 wide · block of 128 characters" */
function shapeInWords(i) {
  if (i.cell === "gpt") {
    return `GPT · ${i.layers} layer${i.layers > 1 ? "s" : ""} × ${i.n_head} head${i.n_head > 1 ? "s" : ""} × ${i.hiddenSize} wide`
      + ` · block of ${i.contextLimit} characters`;
  }
  if (!RECURRENT.has(i.cell)) return i.cell.toUpperCase();
  return `${i.cell.toUpperCase()} · ${i.hiddenSize} hidden units × ${i.layers} layer${i.layers > 1 ? "s" : ""}`;
}
