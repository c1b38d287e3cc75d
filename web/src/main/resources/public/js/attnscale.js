// "From our model to GPT-2": the tiny model of the step-through, the GPT this server ships (its
// size as the server lists it) and GPT-2 small side by side. Nothing is downloaded: GPT-2's figures
// are the published ones.

import { count } from "./format.js";

/**
 * GPT-2 small (Radford et al., 2019, "Language Models are Unsupervised Multitask Learners"): 12
 * layers of 12 heads, 768 wide, a context of 1,024 subword tokens from a 50,257-entry byte-pair
 * vocabulary; 124,439,808 parameters with the output layer tied to the token embeddings, as ours.
 */
const GPT2_SMALL = { parameterCount: 124439808, layers: 12, heads: 12, width: 768, context: 1024, vocabSize: 50257, unit: "subword tokens" };

/**
 * Fills the table body: one row per figure, one column per model. tiny: the engine's answer
 * (layers, heads, channels, blockSize, vocabSize, parameterCount); shipped: the server's listing of
 * its GPT, or null when it has none.
 */
export function drawScale(tbody, tiny, shipped) {
  const models = [
    { parameterCount: tiny.parameterCount, layers: tiny.layers, heads: tiny.heads, width: tiny.channels, context: tiny.blockSize, vocabSize: tiny.vocabSize, unit: "characters" },
    shipped && shipped.shape ? {
      parameterCount: shipped.parameterCount, layers: Number(shipped.shape.n_layer), heads: Number(shipped.shape.n_head),
      width: Number(shipped.shape.n_embd), context: Number(shipped.shape.block_size), vocabSize: shipped.vocabSize, unit: "characters",
    } : null,
    GPT2_SMALL,
  ];
  const rows = [
    ["parameters", (m) => m.parameterCount.toLocaleString("en")],
    ["layers × heads × width", (m) => `${m.layers} × ${m.heads} × ${m.width}`],
    ["context", (m) => `${m.context.toLocaleString("en")} ${m.unit}`],
    ["vocabulary", (m) => `${m.vocabSize.toLocaleString("en")} ${m.unit === "characters" ? "characters" : "subwords"}`],
  ];
  tbody.replaceChildren(...rows.map(([name, show]) => {
    const tr = document.createElement("tr");
    tr.append(Object.assign(document.createElement("th"), { scope: "row", textContent: name }),
      ...models.map((m) => Object.assign(document.createElement("td"), { textContent: m ? show(m) : "not on this server" })));
    return tr;
  }));
  const ratio = tbody.closest("section").querySelector("#attnstep-ratio");
  ratio.textContent = models[1]
    ? `GPT-2 small has ${count(Math.round(GPT2_SMALL.parameterCount / models[1].parameterCount))} times the parameters of our GPT and reads`
      + ` ${GPT2_SMALL.context / models[1].context} times as many positions at once; each of its positions is a subword, often a whole word,`
      + " where ours is one character. The block is the same: attention, then an MLP, each added onto the residual stream."
    : "";
}
