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

  /** probabilities: (V) in vocabulary order; vocabulary: the model's symbols. */
  show(probabilities, vocabulary) {
    const order = Array.from(probabilities.keys())
      .sort((a, b) => probabilities[b] - probabilities[a] || a - b)
      .slice(0, SHOWN);
    const top = probabilities[order[0]] || 1;
    this.list.replaceChildren(...order.map((i) => {
      const li = document.createElement("li");
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
