// The Models panel and the model picker: lists the server's models with their metadata, and
// offers download, import (.safetensors) and delete. Models opened from disk live only in the
// page and appear in the picker as "file:<name>".

import * as api from "./api.js";
import { count, loss } from "./format.js";
import { say, words } from "./messages.js";

export class ModelLibrary {
  /**
   * el: {select, table, importInput, error}; onSelect(id) loads a model for writing; onList(models)
   * hears of every new list; onDeleted(id) hears that a model is gone.
   */
  constructor(el, onSelect, onList = () => {}, onDeleted = () => {}) {
    this.el = el;
    this.onSelect = onSelect;
    this.onList = onList;
    this.onDeleted = onDeleted;
    this.models = [];          // from GET /api/models
    this.local = [];           // names of models opened from disk
    this.available = true;     // false when the server has no models API
    el.select.addEventListener("change", () => onSelect(el.select.value));
    el.importInput.addEventListener("change", () => this.importFile(el.importInput.files[0]));
  }

  async refresh() {
    try {
      const list = await api.listModels();
      this.models = Array.isArray(list) ? list : list.models || [];
      this.available = true;
      say(this.el.error, "");
    } catch (e) {
      this.models = [];
      this.available = e.status !== 404;
      say(this.el.error, e.status === 404
        ? "This server keeps no models yet; open a .safetensors file from disk instead."
        : "Could not list the models: " + words(e));
    }
    this.render();
    this.onList(this.models);
    return this.models;
  }

  /** The shipped model the page starts with: the newest of those the server ships (its LSTM). */
  defaultModel() {
    return this.models.find((m) => m.source === "default");
  }

  addLocal(name) {
    if (!this.local.includes(name)) this.local.push(name);
    this.renderPicker();
  }

  /** Marks the model in use in the picker and the table. */
  setCurrent(id) {
    this.current = id;
    this.renderPicker();
    for (const row of this.el.table.querySelectorAll("tr[data-id]")) row.classList.toggle("current", row.dataset.id === id);
  }

  /** Shows a model in the picker without marking it in use (while it loads); "" shows none. */
  showChoice(id) {
    this.el.select.value = id;
  }

  /** "Tiny Shakespeare (LSTM)", for saying what is loading. */
  nameOf(id) {
    const m = this.models.find((x) => x.id === id);
    return m ? `“${m.name || m.id}”` : id.startsWith("file:") ? `“${id.slice(5)}”` : "the model";
  }

  render() {
    this.renderPicker();
    const rows = this.models.map((m) => this.row(m));
    if (!rows.length) {
      const tr = document.createElement("tr");
      const td = document.createElement("td");
      td.colSpan = 4;
      td.className = "empty";
      td.textContent = "No models yet: train one below or import a .safetensors file.";
      tr.append(td);
      rows.push(tr);
    }
    this.el.table.tBodies[0].replaceChildren(...rows);
  }

  renderPicker() {
    const options = this.models.map((m) => new Option(modelLabel(m, this.models), m.id));
    for (const name of this.local) options.push(new Option(`${name} (opened from disk)`, "file:" + name));
    if (!options.length) options.push(new Option("no model yet", ""));
    this.el.select.replaceChildren(...options);
    this.el.select.value = this.current || "";   // none in use: none shown, not the first listed
  }

  row(m) {
    const tr = document.createElement("tr");
    tr.dataset.id = m.id;
    if (m.id === this.current) tr.classList.add("current");
    const name = document.createElement("td");
    const title = document.createElement("strong");
    title.textContent = m.name || m.id;
    const note = document.createElement("div");
    note.className = "muted small";
    note.textContent = [m.source, m.corpusName, m.createdAt && new Date(m.createdAt).toLocaleDateString()]
      .filter(Boolean).join(" · ");
    name.append(title, note);
    tr.append(name);
    const network = document.createElement("td");
    const size = document.createElement("div");
    size.className = "muted small";
    size.textContent = `${count(m.vocabSize)} symbols · ${count(m.parameterCount)} parameters`;
    network.append(describe(m), size);
    const lossCell = document.createElement("td");
    lossCell.className = "number";
    lossCell.textContent = loss(finalLoss(m));
    tr.append(network, lossCell);
    const actions = document.createElement("td");
    actions.className = "actions";
    const use = button("Use", () => this.onSelect(m.id));
    const download = document.createElement("a");
    download.href = api.weightsUrl(m.id);
    download.download = (m.name || m.id) + ".safetensors";
    download.textContent = "Download";
    download.className = "button small";
    const remove = button("Delete", () => this.remove(m));
    remove.classList.add("danger");
    actions.append(use, download, remove);
    tr.append(actions);
    return tr;
  }

  async remove(m) {
    if (!confirm(`Delete the model "${m.name || m.id}"?`)) return;
    try {
      await api.deleteModel(m.id);
      await this.refresh();
      // the model in use is gone: write with the shipped default again (or the newest left)
      if (m.id === this.current) {
        const next = this.defaultModel() || this.models[0];
        if (next) await this.onSelect(next.id);
      }
      this.onDeleted(m.id);
    } catch (e) {
      say(this.el.error, "Could not delete the model: " + words(e));
    }
  }

  async importFile(file) {
    if (!file) return;
    try {
      const model = await api.importModel(file);
      await this.refresh();
      say(this.el.error, `Imported "${model.name || model.id}".`, "info");
      if (model.id) this.onSelect(model.id);
    } catch (e) {
      say(this.el.error, `Could not import ${file.name}: ${words(e)}`);
    } finally {
      this.el.importInput.value = "";
    }
  }
}

function button(text, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "small";
  b.textContent = text;
  b.addEventListener("click", onClick);
  return b;
}

/**
 * A model as the pickers name it: its name, its network unless the name says it already, the text
 * it learnt from, and, when another model has the same name (each race adds runs named alike), when
 * it was made: "Four models, one race: LSTM 64 · tiny shakespeare · 2 Dec 20:41".
 */
export function modelLabel(m, all = []) {
  const name = m.name || m.id, network = describe(m);
  const parts = [name];
  if (!name.includes(network)) parts.push(network);
  if (m.corpusName && !name.includes(m.corpusName)) parts.push(m.corpusName);
  const twin = all.some((o) => o !== m && o.id !== m.id && (o.name || o.id) === name);
  if (twin && m.createdAt) parts.push(madeAt(m.createdAt));
  return parts.join(" · ");
}

/** "2 Dec 20:41", in the learner's time zone. */
const madeAt = (iso) => {
  const d = new Date(iso);
  return `${d.getDate()} ${d.toLocaleString("en", { month: "short" })} ${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
};

/** "LSTM 128 × 2"; "GPT 4×4×128" (layers × heads × width) */
export function describe(m) {
  if (m.cell === "gpt" && m.shape) return `GPT ${m.shape.n_layer}×${m.shape.n_head}×${m.shape.n_embd}`;
  if (m.cell === "bigram") return "BIGRAM";
  const hidden = m.hidden ?? m.hiddenSize;
  const layers = m.layers ?? m.numLayers ?? 1;
  return `${String(m.cell || "?").toUpperCase()} ${hidden ?? "?"}${layers > 1 ? " × " + layers : ""}`;
}

/** The last validation loss if there is one, else the last training loss. */
export function finalLoss(m) {
  const l = m.losses ?? m.loss;
  if (l == null) return m.valLoss ?? m.trainLoss ?? null;
  if (typeof l === "number") return l;
  if (Array.isArray(l)) {
    const last = l[l.length - 1];
    return last == null ? null : typeof last === "number" ? last : last.valLoss ?? last.loss ?? null;
  }
  return l.validation ?? l.val ?? l.valLoss ?? l.train ?? l.training ?? l.loss ?? null;
}
