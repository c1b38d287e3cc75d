// "Compare runs", the results under the chart: a row a run (its parameters as core counts them,
// status, step, training time, final losses, speed) and two lines that say which run led on this
// machine at equal training time and at equal characters read. All of it comes from the jobs'
// records and histories as the jobs API returns them; nothing here is written in.

import { parameterCount } from "./engine.js";

const FINAL = ["done", "failed", "cancelled"];

/** The run's name without the experiment's: "GPT 36". */
export const runName = (j) => (j.job ? j.job.name.replace(/^.*: /, "") : j.id);
const fmt = (x) => (x == null || !Number.isFinite(x) ? "–" : x.toFixed(3));
const count = (x) => Math.round(x).toLocaleString("en-US");

/** A run's validation measurements in order, [{seconds, characters, loss}], from its progress events. */
export function validationPoints(history) {
  return (history || []).filter((h) => h.type === "progress" && h.data.valLoss != null)
    .map((h) => ({ seconds: h.data.trainingSeconds, characters: h.data.charactersSeen, loss: h.data.valLoss }));
}

/**
 * Who led at a budget every finished run reached. key: "seconds" or "characters". The budget is the
 * least any run spent in all (the quickest run's whole time, the fewest characters any run read);
 * a run's loss there is the last validation loss it measured at or before it (null when it had
 * measured none by then). A run that failed or was cancelled takes no part.
 * Returns {budget, losses, winner}, winner the index of the lowest loss; null with fewer than two runs done.
 */
export function leaderAt(runs, key) {
  const points = runs.map((j) => (j.job && j.job.status === "done" ? validationPoints(j.history) : []));
  const done = points.filter((p) => p.length);
  if (done.length < 2) return null;
  const budget = Math.min(...done.map((p) => p[p.length - 1][key]));
  if (!Number.isFinite(budget)) return null;   // a run from before the jobs reported characters
  const losses = points.map((p) => {
    const reached = p.filter((q) => q[key] <= budget);
    return reached.length ? reached[reached.length - 1].loss : null;
  });
  let winner = -1;
  losses.forEach((loss, i) => { if (loss != null && (winner < 0 || loss < losses[winner])) winner = i; });
  return { budget, losses, winner };
}

/** The table: one row a run; vocab(job) is the number of symbols of the run's text, or null. */
export function renderTable(table, runs, vocab) {
  const head = row("th", ["run", "parameters", "status", "step", "time", "train loss", "validation loss", "chars/s"]);
  const rows = runs.map((j) => {
    const job = j.job || {}, end = (j.history || []).find((h) => FINAL.includes(h.type));
    const status = job.status === "failed" ? (job.error || "failed") : job.status || "…";
    // a run that failed (diverged) has no final loss: the last finite one it reported would look like a result
    const lossOf = (key) => (job.status === "failed" ? "–" : fmt(end && end.data[key] != null ? end.data[key] : job[key]));
    const tr = row("td", [runName(j), parametersOf(job, vocab), status,
      job.step != null ? `${job.step} / ${job.steps}` : "", job.trainingSeconds != null ? `${job.trainingSeconds.toFixed(1)} s` : "",
      lossOf("loss"), lossOf("valLoss"), job.charsPerSecond != null ? count(job.charsPerSecond) : "–"]);
    tr.dataset.status = job.status || "";
    return tr;
  });
  table.replaceChildren(document.createElement("thead"), document.createElement("tbody"));
  table.tHead.append(head);
  table.tBodies[0].append(...rows);
}

function parametersOf(job, vocab) {
  const v = job.spec ? vocab(job) : null;
  if (!v) return "";
  try {
    return count(parameterCount(job.spec, v));
  } catch (e) {
    return "";   // the engine did not load: the count is core's or none
  }
}

/**
 * The lines under the table: who led at equal seconds and at equal characters, each run's loss
 * there beside it. Empty until every run has finished; each line carries the leader's name and
 * loss (data-run, data-loss) and the budget (data-budget).
 */
export function renderLeaders(el, runs) {
  const finished = runs.length && runs.every((j) => j.job && FINAL.includes(j.job.status));
  const lines = [
    ["seconds", (b) => `At ${b.toFixed(1)} s of training (all the quickest run took)`],
    ["characters", (b) => `At ${count(b)} characters read (the fewest any run read)`],
  ].map(([key, words]) => {
    const result = finished ? leaderAt(runs, key) : null;
    const line = document.createElement("p");
    line.className = "race-leader";
    line.dataset.key = key;
    if (!result || result.winner < 0) return line;
    const others = result.losses.map((loss, i) => (i === result.winner || !runs[i].job || runs[i].job.status !== "done" ? null
      : `${runName(runs[i])}: ${loss == null ? "none measured yet" : fmt(loss)}`)).filter(Boolean);
    const name = runName(runs[result.winner]), loss = result.losses[result.winner];
    line.textContent = `${words(result.budget)}: ${name} led, validation loss ${fmt(loss)}`
      + (others.length ? ` (${others.join(", ")}).` : ".");
    Object.assign(line.dataset, { run: name, loss: String(loss), budget: String(result.budget) });
    return line;
  });
  const title = Object.assign(document.createElement("h3"), { textContent: "Which won on this machine" });
  el.replaceChildren(title, ...lines);
  el.hidden = !lines.some((l) => l.textContent);
}

function row(tag, cells) {
  const tr = document.createElement("tr");
  for (const c of cells) tr.append(Object.assign(document.createElement(tag), { textContent: c }));
  return tr;
}
