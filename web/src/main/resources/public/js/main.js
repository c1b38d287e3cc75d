// Boots the page: reads the state from the URL hash, loads the engine (WebAssembly or
// JavaScript), lists the models, selects one, and wires the controls. Each control handler
// sets the state, saves it to the hash, and lets the views redraw. Which model is in use and its
// loading are modelchoice.js's; the Generate controls are generate.js's; this file builds every
// view and tells them of a new model (use).

import { state, load, save } from "./state.js";
import { loadEngine } from "./engine.js";
import { Writer } from "./writer.js";
import { NextCharPanel } from "./nextchar.js";
import { ActivationViews } from "./activations.js";
import { ModelLibrary } from "./models.js";
import { GradientsView } from "./gradients.js";
import { GatesView } from "./gates.js";
import { ArchitectureView } from "./architecture.js";
import { DetectorsView } from "./detectors.js";
import { ReachView, HAS_REACH, reachCompareId } from "./reach.js";
import { GradientCheckView } from "./gradcheck.js";
import { BpttView } from "./bptt.js";
import { CodePanel, cellFile } from "./codepanel.js";
import { AttentionView } from "./attention.js";
import { AttentionStepView } from "./attnstep.js";
import { RaceView } from "./race.js";
import { LadderView } from "./ladder.js";
import { MemorySpanView } from "./memspan.js";
import { renderLessons, showView } from "./lessons.js";
import { TrainPanel } from "./train.js";
import { ModelChoice, RECURRENT } from "./modelchoice.js";
import { GenerateControls } from "./generate.js";
import { visibleSymbol } from "./format.js";
import { say, words } from "./messages.js";

const $ = (id) => document.getElementById(id);
load();

/** The model in use draws its insides only if it is recurrent (a gpt or a bigram only writes and predicts). */
const recurrent = () => modelChoice.current != null && RECURRENT.has(modelChoice.current.info.cell);
let serverModels = [];   // every model the server holds, from the Models panel

const activations = new ActivationViews({
  heatmap: $("heatmap"), heatmapWrap: $("heatmap-wrap"), layerSelect: $("layer-select"),
  stateSelect: $("state-select"), unitInput: $("unit-input"), chartUnits: $("chart-units"),
  unitText: $("unit-text"), unitLabel: $("unit-label"), unitsChart: $("units-chart"),
  hoverVector: $("hover-vector"), hoverSymbol: $("hover-symbol"), hoverStats: $("hover-stats"),
  activeUnits: $("active-units"),
}, state, save, (i) => inspectPrediction(i));

const gates = new GatesView({
  section: $("gates"), note: $("gates-note"), body: $("gates-body"), layerSelect: $("gates-layer"),
  gateSelect: $("gates-gate"), heatmap: $("gates-heatmap"), heatmapWrap: $("gates-heatmap-wrap"),
  saturation: $("gates-saturation"), hover: $("gates-hover"),
});

const architecture = new ArchitectureView({
  svg: $("architecture-svg"), equation: $("architecture-equation"), parameters: $("architecture-parameters"),
});

const detectors = new DetectorsView({
  text: $("detectors-text"), spanResult: $("span-result"), findButton: $("find-detectors"),
  detectors: $("detectors-list"), colouredBy: $("detectors-coloured"),
});

const nextChar = new NextCharPanel($("nextchar-list"));

const attention = new AttentionView({
  section: $("attention"), layer: $("attention-layer"), head: $("attention-head"), window: $("attention-window"),
  pickers: $("attention-pickers"), caption: $("attention-caption"), text: $("attention-text"), gridBox: $("attention-grid-box"),
  grid: $("attention-grid"), matrix: $("attention-matrix"), matrixWrap: $("attention-matrix-wrap"),
  matrixCaption: $("attention-matrix-caption"), readout: $("attention-readout"), error: $("attention-error"),
}, state, save);
let livePrediction = null;   // after the text so far
let inspecting = null;       // index of the symbol under the pointer, or null

/** Looking back: what the model expected just before symbol i, with the symbol that came marked. */
function inspectPrediction(i) {
  const trace = activations.trace;
  const caption = $("nextchar-caption");
  if (i == null || !trace || i < 1 || !trace.next[i - 1]) {
    inspecting = null;
    showLive();
    return;
  }
  inspecting = i;
  caption.textContent = `What it expected before “${visibleSymbol(trace.symbols[i])}” (symbol ${i + 1}),`
    + ` which it then ${trace.written[i] ? "wrote" : "read"}.`;
  nextChar.show({ raw: trace.next[i - 1], drawn: trace.drawn[i - 1] }, modelChoice.current.vocabulary, trace.symbols[i]);
}

/** The live bars: what comes next, or, while writing, what the last character was drawn from. */
function showLive() {
  if (!livePrediction || !modelChoice.current) return;
  const { chosen } = livePrediction;
  $("nextchar-caption").textContent = chosen
    ? `It drew “${visibleSymbol(chosen)}” from these (temperature ${state.temperature}, top-k ${state.topK || "all"}).`
    : "What the model expects after the text so far.";
  nextChar.show(livePrediction, modelChoice.current.vocabulary, chosen);
}

const writer = new Writer({
  output: $("output"), primeText: $("output-prime"), writtenText: $("output-written"),
  stats: $("gen-stats"), unknown: $("unknown"),
}, {
  onReset: (trace, session) => {
    attention.update(trace, session, writer.running);
    if (!recurrent()) return;
    activations.reset(trace, Array.from(state.prime).length + state.length);
    gates.reset(trace, Array.from(state.prime).length + state.length);
    architecture.reset(trace);
    detectors.reset(trace);
  },
  onSymbols: (trace, from, session) => {
    attention.update(trace, session, writer.running);
    if (!recurrent()) return;
    activations.append(trace, from);
    gates.append(trace, from);
    architecture.append(trace);
    detectors.append(trace);
  },
  onPrediction: (p) => {
    livePrediction = p;
    if (inspecting == null) showLive();
  },
  onRunning: (running) => {
    // Generate stays enabled: pressing it while the model writes starts over with the seed as it
    // is now, so a newcomer who types and presses at once is never ignored.
    $("stop-button").disabled = !running;
    if (!running) gradients.textChanged();
    if (!running) attention.finished();
  },
});

const gradients = new GradientsView({
  chart: $("gradients-chart"), measure: $("measure-button"), compare: $("compare-select"),
  relative: $("relative-check"), summary: $("gradients-summary"), text: $("gradients-text"), error: $("gradients-error"),
}, state, save, () => (activations.trace ? activations.trace.symbols.slice() : Array.from(state.prime)));

const reach = new ReachView({
  chart: $("reach-chart"), measure: $("reach-button"), summary: $("reach-summary"), jacobian: $("reach-jacobian"),
  text: $("reach-text"), error: $("reach-error"),
}, state, {
  currentText: () => (activations.trace ? activations.trace.symbols.slice() : Array.from(state.prime)),
  // two recurrent networks: the models "Compare with" offers; with a gpt or an attending LSTM, every model that has a reach
  models: () => serverModels, modelId: () => state.model,
  compareId: () => (recurrent() ? gradients.compareId() : reachCompareId(serverModels, state.model, state.compare)),
});

new GradientCheckView({
  cell: $("gc-cell"), layers: $("gc-layers"), truncate: $("gc-truncate"), truncateValue: $("gc-truncate-value"),
  run: $("gc-run"), summary: $("gc-summary"), sweep: $("gc-sweep"), table: $("gc-table"), error: $("gc-error"),
  code: $("gc-code"),
}, state, save);

const architectureCode = new CodePanel($("architecture-code"));

const bptt = new BpttView({
  section: $("bptt"), cell: $("bptt-cell"), text: $("bptt-text"), step: $("bptt-step"), all: $("bptt-all"),
  reset: $("bptt-reset"), window: $("bptt-window"), summary: $("bptt-summary"), vectors: $("bptt-vectors"),
  dw: $("bptt-dw"), chart: $("bptt-chart"), error: $("bptt-error"), code: $("bptt-code"),
}, state, save);

const attnStep = new AttentionStepView($("attnstep"), state, save);

new RaceView({
  preset: $("race-preset"), corpus: $("race-corpus"), steps: $("race-steps"), hidden: $("race-hidden"),
  sizing: $("race-sizing"), start: $("race-start"), chart: $("race-chart"), normChart: $("race-norm-chart"),
  table: $("race-table"), leaders: $("race-leaders"), axis: $("race-axis"), status: $("race-status"), error: $("race-error"),
}, state, save);

new LadderView({
  corpus: $("ladder-corpus"), steps: $("ladder-steps"), seed: $("ladder-seed"), run: $("ladder-run"),
  progress: $("ladder-progress"), status: $("ladder-status"), error: $("ladder-error"), chart: $("ladder-chart"),
  caption: $("ladder-caption"), table: $("ladder-table"),
}, state, save);

new MemorySpanView({
  run: $("memspan-run"), cancel: $("memspan-cancel"), steps: $("memspan-steps"), seeds: $("memspan-seeds"), gaps: $("memspan-gaps"),
  cells: document.querySelectorAll("input[name=memspan-cell]"), status: $("memspan-status"), caption: $("memspan-caption"),
  chart: $("memspan-chart"), table: $("memspan-table"), error: $("memspan-error"),
}, state, save);

const library = new ModelLibrary({
  select: $("model-select"), table: $("models-table"), importInput: $("model-import"), error: $("models-error"),
}, (id) => modelChoice.select(id), (models) => {
  serverModels = models;
  gradients.setModels(models.filter((m) => RECURRENT.has(m.cell)));
  attnStep.setModels(models);
}, (id) => modelChoice.forget(id));

const modelChoice = new ModelChoice({ info: $("model-info"), file: $("model-file") }, library,
  (id, model) => use(id, model), () => controls.modelSettled());

const training = new TrainPanel({
  form: $("train-form"), preset: $("preset"), corpusFile: $("corpus-file"), dropZone: $("drop-zone"),
  corpusText: $("corpus-text"), corpusName: $("corpus-name"), pasteButton: $("paste-button"),
  corpusInfo: $("corpus-info"), corpusSelect: $("corpus-select"), modelName: $("model-name"), trainButton: $("train-button"),
  cancelButton: $("cancel-button"), resumeButton: $("resume-button"), progress: $("train-progress"), status: $("train-status"),
  lossChart: $("loss-chart"), samples: $("train-samples"), error: $("train-error"), warning: $("train-warning"), live: $("train-live"),
  dropoutLabel: $("dropout-label"),
}, async (modelId) => {
  await library.refresh();
  await modelChoice.select(modelId);
});

const controls = new GenerateControls(writer, modelChoice);

// ---- a new model in use: the writer and every view hear of it -----------------------------

function use(id, model) {
  state.model = id;
  save();
  library.setCurrent(id);
  writer.setModel(model);
  document.body.dataset.recurrent = String(recurrent());
  document.body.dataset.attends = String(attention.setModel(model));
  document.body.dataset.reach = String(HAS_REACH.has(model.info.cell));
  if (recurrent()) {
    activations.setModel(model.info);
    gates.setModel(model.info);
    architecture.setModel(model.info);
    architectureCode.show([
      { path: "rnn/RecurrentLayer.java", anchor: "final void step(", caption: "one step of one layer while writing" },
      { path: cellFile(model.info.cell), anchor: "void cellForward(", caption: "the cell's gates and new state" },
    ]);
  }
  modelChoice.showInfo();
  writer.preview(state.prime);
  gradients.setModel(recurrent() ? id : "");   // the server measures gradients through time of recurrent networks only
  document.body.dataset.model = id;
}

// ---- start --------------------------------------------------------------------------------

async function boot() {
  const kind = await loadEngine(state.engine === "js" ? "js" : "wasm");
  const badge = $("engine-badge");
  badge.textContent = kind === "wasm" ? "WebAssembly" : "JavaScript";
  badge.title = `The model runs in this page, compiled from the same Java code as the server (${badge.textContent}`
    + ` build). Click to switch to the ${kind === "wasm" ? "JavaScript" : "WebAssembly"} build.`;
  badge.addEventListener("click", (e) => {
    e.preventDefault();
    const hash = new URLSearchParams(location.hash.slice(1));
    hash.delete("engine");
    location.href = location.pathname + (kind === "wasm" ? "?engine=js" : "") + "#" + hash;
  });
  document.body.dataset.engine = kind;
  bptt.render();   // needs nothing from the server: core runs it here
  attnStep.render();   // likewise, with its own fresh model
  const models = await library.refresh();
  // the model a link names, else the shipped default (not the newest: someone else's training
  // should not change what a newcomer sees first)
  const wanted = models.find((m) => m.id === state.model) || library.defaultModel() || models[0];
  if (wanted) await modelChoice.select(wanted.id);
  training.listCorpora().then(() => training.showLastJob());   // the job's text must be listed to show it
  renderLessons($("lessons"), library.models);
  showView(state.view);
  document.body.dataset.ready = "true";
  // A first impression that moves: the selected model starts writing from the seed text (unless
  // Generate, pressed while it loaded, has already started it).
  if (modelChoice.current && !writer.running) controls.generate();
}

// Back, Forward, or an address typed by hand: the hash changed without save() (which replaces the
// entry and fires no event). The page is what its hash says, so it starts again from it, as a
// reload of that address would.
window.addEventListener("hashchange", () => location.reload());
// The server answers again after it could not be reached: list its models afresh (the stale
// "cannot be reached" messages clear themselves, messages.js).
window.addEventListener("server-back", () => library.refresh());

boot().catch((e) => say("message", "The page could not start: " + words(e)));
