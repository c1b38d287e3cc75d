// The next-character panel: the model's top candidates after the current text, with bars.

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
   * probabilities: (V) in vocabulary order; vocabulary: the model's symbols; chosen: the symbol
   * that actually came next (when looking back at a written text), marked and always shown.
   */
  show(probabilities, vocabulary, chosen = null) {
    const order = Array.from(probabilities.keys())
      .sort((a, b) => probabilities[b] - probabilities[a] || a - b)
      .slice(0, SHOWN);
    const chosenIndex = chosen == null ? -1 : vocabulary.indexOf(chosen);
    if (chosenIndex >= 0 && !order.includes(chosenIndex)) order.push(chosenIndex);
    const top = probabilities[order[0]] || 1;
    this.list.replaceChildren(...order.map((i) => {
      const li = document.createElement("li");
      if (i === chosenIndex) li.className = "chosen";
      const symbol = document.createElement("span");
      symbol.className = "symbol";
      symbol.textContent = visibleSymbol(vocabulary[i]);
      symbol.title = "U+" + vocabulary[i].codePointAt(0).toString(16).toUpperCase().padStart(4, "0");
      const bar = document.createElement("span");
      bar.className = "bar";
      const fill = document.createElement("span");
      fill.style.width = (100 * probabilities[i] / top).toFixed(1) + "%";
      bar.append(fill);
      const value = document.createElement("span");
      value.className = "value";
      value.textContent = percent(probabilities[i]);
      li.append(symbol, bar, value);
      return li;
    }));
  }
}
