// Writes text with the current model, one character at a time, at a chosen speed. Reading the
// prime and every written character goes through the engine's Session, which is core's
// Generator: the same code path as the server's sample endpoint and ./rnn sample, so the same
// model, prime, settings and seed give the same text here and there.

import { Trace } from "./trace.js";
import { symbols } from "./format.js";

export class Writer {
  /**
   * elements: {output, primeText, writtenText, stats, unknown}
   * listeners: {onReset(trace, session) (draws the symbols so far), onSymbols(trace, from, session), onPrediction({raw, drawn, chosen}),
   * onRunning(bool)}; the session (live during the call only) is for views that ask the model more than the trace holds
   */
  constructor(elements, listeners) {
    this.el = elements;
    this.on = listeners;
    this.model = null;
    this.run = null;
    this.drawSettings = { temperature: 1, topK: 0 };   // for the bars while no text is being written
  }

  /** The temperature and top-k the next-character bars apply while the seed alone is shown. */
  setDrawSettings(temperature, topK) {
    this.drawSettings = { temperature, topK };
    if (!this.run && this.previewRun) this.on.onPrediction(this.prediction(this.previewRun.session, this.drawSettings));
  }

  /** What comes next: the model's own probabilities and what the sampler draws from. */
  prediction(session, { temperature, topK }, chosen = null) {
    return { raw: session.probabilities(), drawn: session.drawDistribution(temperature, topK), chosen };
  }

  setModel(model) {
    if (this.run) this.finish("stopped", false);   // no bars for the old model over the new one's alphabet
    this.dropPreview();
    this.model = model;
  }

  /**
   * Reads the prime alone (no writing): refreshes the prediction and the activations. Typing at
   * the end of the prime reads only the new symbols, so a long prime stays quick to extend.
   */
  preview(prime) {
    this.stop();
    if (!this.model) return;
    let p = this.previewRun;
    if (!p || p.model !== this.model || !prime.startsWith(p.text)) {
      this.dropPreview();
      const session = this.model.session({ temperature: 1, topK: 0, seed: "0" });
      p = this.previewRun = { model: this.model, session, trace: new Trace(this.model.info), text: "" };
    }
    const from = p.trace.length;
    this.readSymbols(p.session, p.trace, prime.slice(p.text.length), this.drawSettings);
    p.text = prime;
    this.showPrime(prime);
    this.el.writtenText.textContent = "";
    this.el.stats.textContent = "";
    this.setState("idle");
    if (this.shown === p.trace) {
      this.on.onSymbols(p.trace, from, p.session);
    } else {
      this.shown = p.trace;
      this.on.onReset(p.trace, p.session);
    }
    this.on.onPrediction(this.prediction(p.session, this.drawSettings));
  }

  dropPreview() {
    this.previewRun?.session.dispose();
    this.previewRun = null;
  }

  /** settings: {prime, temperature, topK, length, speed, seed}. Throws on bad settings. */
  start(settings) {
    this.stop();
    if (!this.model) throw new Error("Choose a model first.");
    const session = this.model.session(settings);
    const trace = new Trace(this.model.info);
    this.readSymbols(session, trace, settings.prime, settings);
    this.showPrime(settings.prime);
    this.el.writtenText.textContent = "";
    this.shown = trace;
    this.on.onReset(trace, session);
    this.on.onPrediction(this.prediction(session, settings));
    const run = { session, trace, settings, written: 0, started: performance.now(), computeMs: 0, sliceEnd: 0, timer: 0 };
    this.run = run;
    this.setState("running");
    this.on.onRunning(true);
    const tick = () => {
      if (this.run !== run) return;
      this.step(run);
      if (run.written >= settings.length) this.finish("done");
      else run.timer = setTimeout(tick, settings.speed > 0 ? 16 : 0);
    };
    tick();
  }

  stop() {
    if (this.run) this.finish("stopped");
  }

  get running() {
    return this.run !== null;
  }

  /**
   * Writes as many characters as are due since the start; at full speed, all it can in a slice of
   * time four times as long as the views and the browser took since the last slice (15 ms to 1 s).
   * The views' cost grows with the text (the browser lays out and paints a longer page, the charts
   * hold more points), so a fixed slice let them take over: with 15 ms slices the 384-unit LSTM
   * wrote 3,000 characters at about 47 a second while computing 440 a second. Matching the slice
   * to that cost keeps the views to about a fifth of the time however long the text. At twice
   * (capped at 250 ms) they took half of it by 2,000 characters: the browser's own layout and
   * paint after each slice, not the views' code, were most of the time between slices.
   */
  step(run) {
    const { session, trace, settings } = run;
    const now = performance.now();
    const due = settings.speed > 0
      ? Math.min(settings.length, Math.floor((now - run.started) / 1000 * settings.speed) + 1)
      : settings.length;
    const slice = run.sliceEnd > 0 ? Math.min(1000, Math.max(15, 4 * (now - run.sliceEnd))) : 15;
    const from = trace.length;
    let chunk = "";
    const begin = performance.now();
    while (run.written < due && (settings.speed > 0 || performance.now() - begin < slice)) {
      const symbol = session.next();
      chunk += symbol;
      run.written++;
      this.record(session, trace, symbol, true, settings);
    }
    run.computeMs += performance.now() - begin;
    run.sliceEnd = performance.now();
    if (!chunk) return;
    this.el.writtenText.append(chunk);
    this.el.output.scrollTop = this.el.output.scrollHeight;
    this.on.onSymbols(trace, from, session);
    // while writing, the bars show what the last character was drawn from, with it marked
    const last = trace.length - 1;
    this.on.onPrediction(last >= 1
      ? { raw: trace.next[last - 1], drawn: trace.drawn[last - 1], chosen: trace.symbols[last] }
      : this.prediction(session, settings));
    this.showStats(run);
  }

  finish(state, predict = true) {
    const run = this.run;
    this.run = null;
    clearTimeout(run.timer);
    this.showStats(run);
    this.setState(state);
    if (predict) this.on.onPrediction(this.prediction(run.session, run.settings));
    run.session.dispose();
    this.on.onRunning(false);
  }

  /** How many characters, in how long, and how fast the model alone computes (without the views). */
  showStats(run) {
    const perSecond = run.computeMs > 0 ? run.written / (run.computeMs / 1000) : 0;
    const seconds = (performance.now() - run.started) / 1000;
    this.el.stats.dataset.charsPerSecond = perSecond.toFixed(0);
    this.el.stats.dataset.wallCharsPerSecond = seconds > 0 ? (run.written / seconds).toFixed(0) : "0";
    this.el.stats.textContent = `${run.written} characters written in ${seconds.toFixed(1)} s`
      + (run.computeMs > 20 ? ` · the model computes ${Math.round(perSecond).toLocaleString("en")} characters/s in this page` : "");
  }

  setState(state) {
    this.el.output.dataset.state = state;
  }

  /** Feeds a text symbol by symbol into a session, recording each known symbol's state in the trace. */
  readSymbols(session, trace, text, draw) {
    for (const symbol of symbols(text)) {
      if (session.feed(symbol)) this.record(session, trace, symbol, false, draw);
    }
  }

  /** Records what the network holds after reading a symbol: states, gates and the next prediction. */
  record(session, trace, symbol, written, { temperature, topK }) {
    trace.push(symbol, written, session.hidden(), session.cellState(), session.probabilities(),
      session.drawDistribution(temperature, topK), session.gates());
  }

  /** Shows the prime above the written text and flags the symbols the model does not know. */
  showPrime(prime) {
    const unknown = this.model.unknownSymbols(prime);
    this.el.primeText.textContent = prime;
    this.el.unknown.hidden = !unknown;
    const listed = Array.from(unknown).map((s) => JSON.stringify(s)).join(" ");
    // The command line and the server refuse such a seed; the page keeps going, as from an empty one.
    const noneKnown = unknown && Array.from(symbols(prime)).every((s) => unknown.includes(s));
    this.el.unknown.textContent = !unknown ? ""
      : noneKnown ? `None of the seed's symbols is in this model's alphabet (${listed}), so it writes as if from an empty seed.`
      : `Not in this model's alphabet, so skipped: ${listed}`;
    this.el.unknown.dataset.symbols = unknown;
  }
}
