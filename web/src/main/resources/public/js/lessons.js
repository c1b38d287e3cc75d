// The "Learn" menu: one short lesson per question a learner asks, each with a link that sets the
// page up (the URL hash: settings, and view = the section to open at) and one thing to try. A
// lesson only claims what the view it links to shows at that moment.

const LESSONS = [
  {
    id: "rnn", title: "What does a vanilla RNN compute?", view: "activations", hash: "layer=-1&unit=0", cell: "rnn",
    text: "At every character it mixes the new input with its previous hidden state, h_t = tanh(W_ih x_t + W_hh h_{t−1} + b),"
      + " and predicts the next character from h_t. The heatmap shows every unit of h_t for every character read or written.",
    tryIt: "Hover over the text to see the state vector at that character; pick a unit to colour the text by it.",
  },
  {
    id: "training", title: "How is it trained to predict the next character?", view: "train", hash: "",
    text: "The text is cut into windows; the model predicts each next character, the cross-entropy loss says how surprised it was,"
      + " and backpropagation through time adjusts the weights. The chart follows the training and validation loss as it learns.",
    tryIt: "Upload a text, choose the quick preset and press Train: watch the loss fall and the samples turn into words.",
  },
  {
    id: "generate", title: "How does it write from a seed?", view: "generate", hash: "prime=ROMEO:&temperature=0.5&speed=30",
    text: "It reads the seed, then draws each next character from its predicted distribution and feeds it back in. The"
      + " temperature divides the logits: low is safe and repetitive, high is varied and wild.",
    tryIt: "Write with temperature 0.2, then 1.5, from the same seed and seed number.",
  },
  {
    id: "bptt", title: "How is backpropagation applied through time?", view: "gradcheck", hash: "gcCell=rnn&gcTruncate=1",
    text: "Unrolled over a window, the RNN is one deep network with shared weights; the gradient flows back from each prediction"
      + " through every earlier step. The gradient check compares that gradient with finite differences, in this page.",
    tryIt: "Run the check with BPTT cut after 1 step: it fails. Raise the cut to 5 steps, the whole window: it passes.",
  },
  {
    id: "bpttSteps", title: "What happens at one step of backpropagation through time?", view: "bptt",
    hash: "bpttCell=lstm&bpttSteps=3",
    text: "Walking back from the last character, step t receives the gradient on its hidden state from two places: its own"
      + " prediction, through the decoder, and every later step, handed back from step t+1. The cell's backward splits their"
      + " sum into one gradient per gate, adds this step's share to dW and hands the rest on to step t−1.",
    tryIt: "Press Step back until t = 0 and watch each step add its share to dW; switch to the vanilla RNN and compare what arrives from step t+1.",
  },
  {
    id: "bottleneck", title: "Why is a hidden state a bottleneck?", view: "attnstep", hash: "attnSteps=7",
    text: "A recurrent network squeezes everything it has read into one vector of fixed size, h_t, and its next step sees the"
      + " past only through it. Self-attention keeps every earlier position: at stage 7 this character's output is built from"
      + " the values of all the characters up to it, each with its own weight.",
    tryIt: "Pick another character in the text and count the value rows that go into its weighted sum; then compare"
      + " “Backpropagation through time, step by step”, where the whole window reaches step t through 4 numbers, h_{t−1}.",
    also: { view: "memspan", title: "How long can each model remember?",
      why: "the same recall task for recurrent models and for attention, whose reach ends exactly at its block (the GPT) or its K (the attending LSTM)." },
  },
  {
    id: "attnSteps", title: "Self-attention, step by step", view: "attnstep", hash: "attnHead=1&attnSteps=1",
    text: "One character of a fresh GPT block, with every number: embedding + position, LayerNorm, its query and every earlier"
      + " key and value, the scores q·k/√d, the causal mask, softmax, the weighted sum of the values, the output projection"
      + " and the residual. Each stage has its equation and one line on what it does.",
    tryIt: "Press Step through the nine stages and read each caption; switch between the two heads and see the weights change.",
  },
  {
    id: "stack", title: "Why is GPT a stack of these blocks?", view: "attnstep", hash: "attnSteps=9",
    text: "Attention (stages 3 to 8) mixes information between positions; the MLP that follows it in every block, not drawn here,"
      + " transforms each position on its own. A stack lets each block attend to what the blocks before it built. The residual"
      + " add (stage 9) and LayerNorm (stage 2) keep every block's input at a steady size and give the gradient a direct path"
      + " back, which is what lets many blocks train.",
    tryIt: "Compare x_t at stage 1 with x_t + c_proj(y) at stage 9: in this fresh block attention adds a small correction"
      + " and x_t passes through. The table below the stages gives how many blocks our GPT and GPT-2 stack. To see what"
      + " each part buys in training, run “From bigram to Transformer, one rung at a time” further down: the same budget for a"
      + " bigram, one head, four heads, + MLP, three residual blocks and + LayerNorm.",
  },
  {
    id: "scale", title: "From our model to GPT-2", view: "attnscale", hash: "",
    text: "The same block at three sizes: the step-through's tiny model, the GPT this server ships and GPT-2 small, side by side"
      + " with their parameters, layers × heads × width, how many positions each reads at once, and what a position is: one"
      + " character for ours, a subword (often a whole word) for GPT-2.",
    tryIt: "Read the ratio under the table; then choose the shipped GPT in the model list at the top and let it write.",
  },
  {
    id: "vanishing", title: "Why do gradients vanish (or explode) in an RNN?", view: "reach", hash: "",
    text: "Going back one step multiplies the gradient by the step's Jacobian; over many steps the product shrinks geometrically"
      + " (or grows). The averaged view measures how much of a prediction's gradient is left k steps back, over up to 100 predictions.",
    tryIt: "Press Measure and compare the vanilla RNN's band with the LSTM's 50 steps back; then try the exploding-gradients runs under Compare runs.",
  },
  {
    id: "clipping", title: "What does gradient clipping do?", view: "race", hash: "racePreset=clipping",
    text: "When one step's gradient is huge, plain SGD throws the weights far away and training diverges. Clipping rescales"
      + " the gradient to a maximum norm, so the step stays bounded.",
    tryIt: "Choose a text and press Start: two runs train, without and with clipping; compare their losses and gradient norms.",
  },
  {
    id: "gates", title: "How do LSTM and GRU improve on a vanilla RNN?", view: "race", hash: "racePreset=cells",
    text: "Their gates let the state pass from step to step by addition (c_t = f·c_{t−1} + i·g in the LSTM), a path on which the"
      + " gradient is only scaled by the forget gate. Whether that wins on your text and budget is what the race measures.",
    tryIt: "Start the race on a text, then switch the x axis to training time: the gated cells cost more per step.",
    also: { view: "memspan", title: "How long can each model remember?",
      why: "the recall task at growing gaps, where with enough training the vanilla RNN falls to chance before the gated cells do (the caption says whether your run shows it)." },
  },
];

/**
 * Fills the menu; links reload the page so the settings in the hash take effect from the start.
 * models: the server's list; a lesson about one cell (cell: "rnn") links to a model of that cell,
 * the shipped one first (ids are the server's, so the link is made here, not written above). A
 * lesson with `also` links a second view that answers the same question by measurement.
 */
export function renderLessons(list, models = []) {
  document.getElementById("lesson-count").textContent = LESSONS.length;   // the menu's title counts what it holds
  list.replaceChildren(...LESSONS.map((l) => {
    const li = document.createElement("li");
    const ofCell = l.cell && (models.find((m) => m.cell === l.cell && m.source === "default") || models.find((m) => m.cell === l.cell));
    const link = viewLink([l.hash, ofCell && "model=" + encodeURIComponent(ofCell.id), "view=" + l.view], l.title);
    link.dataset.lesson = l.id;
    li.append(link, Object.assign(document.createElement("p"), { textContent: l.text }),
      Object.assign(document.createElement("p"), { className: "try", textContent: "Try: " + l.tryIt }));
    if (l.also) {
      const also = viewLink(["view=" + l.also.view], l.also.title);
      also.dataset.also = l.also.view;
      const p = Object.assign(document.createElement("p"), { className: "try", textContent: "Measured: " });
      p.append(also, " — " + l.also.why);
      li.append(p);
    }
    return li;
  }));
}

/** A link that sets the page up from its hash: the parts joined with "&". */
function viewLink(parts, text) {
  const link = Object.assign(document.createElement("a"), { href: "#" + parts.filter(Boolean).join("&"), textContent: text });
  link.addEventListener("click", (e) => {
    e.preventDefault();
    // a new hash reloads the page by itself (main.js, hashchange); the same hash would not
    const hash = link.getAttribute("href");
    if (location.hash === hash) location.reload();
    else location.hash = hash.slice(1);
  });
  return link;
}

/** Scrolls to the section a link asked for (view = the id of its heading without "-title"). */
export function showView(view) {
  const heading = view && document.getElementById(view + "-title");
  const section = heading && heading.closest("section");
  if (!section) return;
  section.scrollIntoView({ block: "start" });
  document.body.dataset.view = view;
}
