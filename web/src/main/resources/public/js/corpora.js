// The texts the server has, as the options of a <select>: "name · 12,345 symbols", the one chosen
// kept when it is still there. "Compare runs" and the ablation ladder both pick a text this way.

export function fillCorpusSelect(select, corpora) {
  const chosen = select.value;
  select.replaceChildren(...corpora.map((c) => new Option(`${c.name} · ${c.symbolCount.toLocaleString("en-US")} symbols`, c.id)));
  if (chosen && corpora.some((c) => c.id === chosen)) select.value = chosen;
}
