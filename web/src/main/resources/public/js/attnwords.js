// The words of "Self-attention, step by step": for each stage core's AttentionSteps reports, a
// title, its equation (nanoGPT's names) and one caption a learner can read, filled in with the
// position, the character and the head on show. Kept apart from the drawing so each says one thing.

import { visibleSymbol } from "./format.js";

/** r: the engine's answer; returns {title, equation, caption, labels: {tensor name: label}} for each stage id. */
export function stageWords(r) {
  const t = r.position, hs = r.headSize, h = r.head;
  const c = `“${visibleSymbol(r.symbols[t])}”`;
  const from = h * hs, to = from + hs - 1;
  return {
    embed: {
      title: "Embedding + position",
      equation: `x_${t} = wte[${c}] + wpe[${t}]`,
      caption: `Each character has a learned vector of ${r.channels} numbers, and so does each position; their sum is`
        + ` all the block knows about ${c} and where it stands.`,
      labels: { tokenEmbedding: `wte[${c}], the character's vector`, positionEmbedding: `wpe[${t}], position ${t}'s vector`, x: `x_${t}, their sum` },
    },
    layernorm: {
      title: "LayerNorm",
      equation: `ln_1(x) = (x − mean) · rstd · weight`,
      caption: `Shifts x_${t}'s ${r.channels} numbers to mean 0 and scales them to spread 1 (rstd = 1 / standard deviation),`
        + " so the layers after it see inputs of a steady size. A fresh model's LayerNorm weights are all 1.",
      labels: { mean: "mean", rstd: "rstd", ln: `ln_1(x_${t})` },
    },
    qkv: {
      title: "Query, keys and values",
      equation: `q, k, v = c_attn(ln_1(x)), head ${h + 1}: channels ${from}–${to}`,
      caption: `One matrix turns each position's row into a query (what it looks for), a key (what it offers) and a value`
        + ` (what it passes on). Head ${h + 1} of ${r.heads} uses ${hs} of the ${r.channels} channels of each: ${c}'s query,`
        + ` and the key and value of every position up to it, made by the same two steps there.`,
      labels: { q: `q_${t}, the query of ${c}`, k: "k_j, the keys", v: "v_j, the values" },
    },
    scores: {
      title: "Scores",
      equation: `score_j = q_${t} · k_j / √${hs}`,
      caption: `How well each key matches ${c}'s query: a dot product, divided by √${hs} (the head's size) so that the`
        + " scores do not grow with it.",
      labels: { scores: "score_j" },
    },
    mask: {
      title: "Causal mask",
      equation: `score_j = −∞ for j > ${t}`,
      caption: `Position ${t} may not read the characters after it: it is learning to predict the next one. A whole-window pass`
        + " sets their scores to −∞; here they are never computed.",
      labels: { masked: "score_j, masked" },
    },
    softmax: {
      title: "Softmax",
      equation: "p_j = e^score_j / Σ e^score",
      caption: "Turns the scores into weights that are positive and add up to 1; e^−∞ = 0, so later characters get none."
        + " A fresh model's scores are all near 0, so its weights are nearly even: training makes them choose.",
      labels: { weights: "p_j, the attention weights" },
    },
    mix: {
      title: "Weighted sum of the values",
      equation: `y = Σ_j p_j v_j, j = 0…${t}`,
      caption: `Head ${h + 1}'s output for ${c}: the values of every position up to it, each in proportion to its weight.`
        + " It reads each earlier position directly, where a recurrent network sees the past only through its last hidden state.",
      labels: { headOutput: `y_${t}, head ${h + 1}` },
    },
    project: {
      title: "Output projection",
      equation: "c_proj([y_head1, y_head2])",
      caption: `The ${r.heads} heads' outputs side by side (${r.channels} numbers), mixed by one more matrix: each head found`
        + " something, and the projection combines what they found.",
      labels: { heads: "every head's y, side by side", projected: "c_proj(y)" },
    },
    residual: {
      title: "Residual",
      equation: `x_${t} + c_proj(y)`,
      caption: `Added back onto x_${t}: attention only adds a correction to the residual stream, so the signal (and, in`
        + " training, its gradient) passes through unchanged too. The block's MLP comes next (not drawn here).",
      labels: { residual: `x_${t} + c_proj(y), on to the MLP` },
    },
  };
}
