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
  },
];

/**
 * Fills the menu; links reload the page so the settings in the hash take effect from the start.
 * models: the server's list; a lesson about one cell (cell: "rnn") links to a model of that cell,
 * the shipped one first (ids are the server's, so the link is made here, not written above).
 */
export function renderLessons(list, models = []) {
  list.replaceChildren(...LESSONS.map((l) => {
    const li = document.createElement("li");
    const ofCell = l.cell && (models.find((m) => m.cell === l.cell && m.source === "default") || models.find((m) => m.cell === l.cell));
    const link = Object.assign(document.createElement("a"), {
      href: "#" + [l.hash, ofCell && "model=" + encodeURIComponent(ofCell.id), "view=" + l.view].filter(Boolean).join("&"), textContent: l.title,
    });
    link.dataset.lesson = l.id;
    link.addEventListener("click", (e) => {
      e.preventDefault();
      // a new hash reloads the page by itself (main.js, hashchange); the same hash would not
      const hash = link.getAttribute("href");
      if (location.hash === hash) location.reload();
      else location.hash = hash.slice(1);
    });
    li.append(link, Object.assign(document.createElement("p"), { textContent: l.text }),
      Object.assign(document.createElement("p"), { className: "try", textContent: "Try: " + l.tryIt }));
    return li;
  }));
}

/** Scrolls to the section a link asked for (view = the id of its heading without "-title"). */
export function showView(view) {
  const heading = view && document.getElementById(view + "-title");
  const section = heading && heading.closest("section");
  if (!section) return;
  section.scrollIntoView({ block: "start" });
  document.body.dataset.view = view;
}
