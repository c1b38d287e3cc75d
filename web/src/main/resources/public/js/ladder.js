// "From bigram to Transformer, one rung at a time": Karpathy's ablation ladder on a short budget.
// The server trains each rung (core's lab.Ladder, POST /api/experiments/ladder); the page asks for
// one rung at a time, so it can say how far it has got, and draws each rung's held-out loss beside
// the lecture's as it arrives. Nothing is computed here: every number is the server's.
// Steps and seed live in the URL hash (ladderSteps, ladderSeed): the same ones give the same numbers.

import * as api from "./api.js";
import { say, words } from "./messages.js";
import { fillCorpusSelect } from "./corpora.js";
import { loss } from "./format.js";

/** The rungs, lowest first, as the API names them. */
export const RUNGS = ["bigram", "one-head", "four-heads", "mlp", "residual", "layernorm"];

// one hue, two lightnesses: ours dark, the lecture's light (told apart without colour, too: the legend's order)
const OURS = "#1d4ed8", LECTURE = "#93c5fd";

export class LadderView {
  /** el: {corpus, steps, seed, run, progress, status, error, chart, caption, table, section}; state: ladderSteps, ladderSeed. */
  constructor(el, state, changed) {
    Object.assign(this, { el, state, changed });
    this.results = [];
    el.steps.value = state.ladderSteps;
    el.seed.value = state.ladderSeed;
    el.steps.addEventListener("change", () => { state.ladderSteps = Number(el.steps.value); changed(); });
    el.seed.addEventListener("change", () => { state.ladderSeed = Number(el.seed.value); changed(); });
    el.run.addEventListener("click", () => this.run());
    this.chart = new Chart(el.chart, {
      type: "bar",
      data: { labels: [], datasets: [
        { label: "ours, held-out loss", data: [], backgroundColor: OURS },
        { label: "the lecture's (5,000 steps)", data: [], backgroundColor: LECTURE },
      ] },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        scales: { y: { beginAtZero: false, title: { display: true, text: "held-out loss (nats/char)" } }, x: { ticks: { autoSkip: false } } },
        plugins: { legend: { labels: { boxWidth: 12 } } },
      },
    });
    el.chart.closest(".chart-box").hidden = true;
    el.table.dataset.state = "idle";
    this.refreshCorpora();
  }

  async refreshCorpora() {
    try {
      const corpora = (await api.listCorpora()).filter((c) => c.symbolCount >= MIN_SYMBOLS);
      fillCorpusSelect(this.el.corpus, corpora);
    } catch (e) {
      say(this.el.error, "Could not list the texts: " + words(e));
    }
  }

  /** One request per rung, lowest first; each result drawn as it comes. */
  async run() {
    say(this.el.error, "");
    await this.refreshCorpora();
    const corpusId = this.el.corpus.value;
    if (!corpusId) {
      say(this.el.error, `Upload a text of at least ${MIN_SYMBOLS.toLocaleString("en-US")} symbols under Train a model first:`
        + " every rung learns from it.", "info");
      return;
    }
    const steps = Number(this.el.steps.value), seed = Number(this.el.seed.value);
    this.results = [];
    this.el.run.disabled = true;
    this.el.table.dataset.state = "running";
    this.draw();
    try {
      for (const [i, rung] of RUNGS.entries()) {
        this.el.progress.value = i;
        this.el.status.textContent = `Training rung ${i + 1} of ${RUNGS.length} for ${steps.toLocaleString("en-US")} steps…`;
        const answer = await api.runLadder({ corpusId, rungs: [rung], steps, seed });
        this.budget = answer;
        this.results.push(answer.rungs[0]);
        this.draw();
      }
      this.el.progress.value = RUNGS.length;
      this.el.status.textContent = "";
      this.el.table.dataset.state = "done";
    } catch (e) {
      say(this.el.error, "The ladder stopped: " + words(e));
      this.el.status.textContent = "";
      this.el.table.dataset.state = "error";
    } finally {
      this.el.run.disabled = false;
    }
  }

  draw() {
    const r = this.results;
    this.el.chart.closest(".chart-box").hidden = !r.length;
    this.chart.data.labels = r.map((x) => x.label);
    this.chart.data.datasets[0].data = r.map((x) => x.valLoss);
    this.chart.data.datasets[1].data = r.map((x) => x.lectureValLoss);
    // the differences between rungs are tenths of a nat: the axis starts half a nat below the lowest bar, said on it
    const lowest = Math.min(...r.flatMap((x) => [x.valLoss, x.lectureValLoss]));
    this.chart.options.scales.y.min = r.length ? Math.max(0, Math.floor(lowest * 2) / 2 - 0.5) : undefined;
    this.chart.update("none");
    this.el.chart.dataset.rungs = String(r.length);
    this.el.caption.textContent = caption(r, this.budget);
    this.drawTable();
  }

  drawTable() {
    const head = document.createElement("thead");
    head.innerHTML = "<tr><th scope='col'>rung</th><th scope='col'>parameters</th><th scope='col'>train</th>"
      + "<th scope='col'>held out</th><th scope='col'>lecture</th><th scope='col'>seconds</th></tr>";
    const body = document.createElement("tbody");
    for (const x of this.results) {
      const tr = document.createElement("tr");
      tr.dataset.rung = x.id;
      tr.title = x.description;
      for (const [cell, value] of [["label", x.label], ["parameters", x.parameters.toLocaleString("en-US")],
        ["train", loss(x.trainLoss)], ["val", loss(x.valLoss)], ["lecture", x.lectureValLoss.toFixed(2)],
        ["seconds", x.seconds.toFixed(1)]]) {
        const td = document.createElement(cell === "label" ? "th" : "td");
        if (cell === "label") td.scope = "row";
        td.dataset.cell = cell;
        td.textContent = value;
        tr.append(td);
      }
      body.append(tr);
    }
    this.el.table.replaceChildren(head, body);
  }
}

/** The shortest text the server runs the ladder on (LadderService.MIN_SYMBOLS). */
const MIN_SYMBOLS = 2000;

/**
 * What the results show, in words computed from them: where the held-out loss went from the
 * bottom rung to the top one, the biggest step down, and every rung that did worse than the one
 * below it (a short budget can favour the smaller models).
 */
export function caption(results, budget) {
  if (!results.length) return "";
  const first = results[0], last = results[results.length - 1];
  const steps = budget ? `${budget.steps.toLocaleString("en-US")} steps of ${budget.batchSize} × ${budget.blockSize}` : "";
  if (results.length === 1) return `${first.label}: held-out loss ${loss(first.valLoss)} after ${steps}.`;
  let best = null;
  const worse = [];
  for (let i = 1; i < results.length; i++) {
    const change = results[i].valLoss - results[i - 1].valLoss;
    if (change < 0 && (!best || change < best.change)) best = { rung: results[i], change };
    if (change > 0) worse.push(`${results[i].label} (+${change.toFixed(3)})`);
  }
  const parts = [`After ${steps} per rung, the held-out loss went from ${loss(first.valLoss)} (${first.label})`
    + ` to ${loss(last.valLoss)} (${last.label}).`];
  if (best) parts.push(`The biggest step down: ${best.rung.label} (${best.change.toFixed(3)}).`);
  parts.push(worse.length ? `Worse than the rung below: ${worse.join(", ")}.` : "Every rung did better than the one below.");
  parts.push(`The lecture, after 5,000 steps: ${first.lectureValLoss.toFixed(2)} to ${last.lectureValLoss.toFixed(2)}.`);
  return parts.join(" ");
}
