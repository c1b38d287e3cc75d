// The next-character panel: the model's likeliest candidates after the current text. Each row has
// two bars on one scale: solid, the distribution the sampler actually draws from (after
// temperature and top-k, computed by core's Generator); faded, the model's own probabilities.

import { percent, visibleSymbol } from "./format.js";

const SHOWN = 10;

export class NextCharPanel {
  constructor(list) {
    this.list = list;
  }

  clear() {
    this.list.replaceChildren();
  }

  /**
   * prediction: {raw, drawn} (V each, vocabulary order; drawn may be null); vocabulary: the model's
   * symbols; chosen: the symbol that was then drawn or read, marked and always shown.
   */
  show({ raw, drawn }, vocabulary, chosen = null) {
    const sampled = drawn || raw;
    const order = Array.from(raw.keys())
      .sort((a, b) => sampled[b] - sampled[a] || raw[b] - raw[a] || a - b)
      .slice(0, SHOWN);
    const chosenIndex = chosen == null ? -1 : vocabulary.indexOf(chosen);
    if (chosenIndex >= 0 && !order.includes(chosenIndex)) order.push(chosenIndex);
    this.list.replaceChildren(...order.map((i) => {
      const li = document.createElement("li");
      if (i === chosenIndex) li.className = "chosen";
      li.dataset.symbol = vocabulary[i];
      li.dataset.p = String(sampled[i]);
      li.dataset.raw = String(raw[i]);
      const symbol = document.createElement("span");
      symbol.className = "symbol";
      symbol.textContent = visibleSymbol(vocabulary[i]);
      symbol.title = "U+" + vocabulary[i].codePointAt(0).toString(16).toUpperCase().padStart(4, "0");
      const bar = document.createElement("span");
      bar.className = "bar";
      const fill = document.createElement("span");
      fill.className = "drawn";
      fill.style.width = (100 * sampled[i]).toFixed(1) + "%";
      const model = document.createElement("span");
      model.className = "raw";
      model.style.width = (100 * raw[i]).toFixed(1) + "%";
      bar.append(model, fill);
      bar.title = `drawn with ${percent(sampled[i])}; the model alone gives ${percent(raw[i])}`;
      const value = document.createElement("span");
      value.className = "value";
      value.textContent = percent(sampled[i]);
      li.append(symbol, bar, value);
      return li;
    }));
  }
}
