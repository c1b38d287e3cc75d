// The server's HTTP API. Errors arrive as problem details {title, status, detail}; every call
// here turns them into an Error whose message is the plain-words detail.
import { say, UNREACHABLE } from "./messages.js";

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

// A server with an access token (rnn serve makes one unless told --no-token) wants it on every
// request. The address rnn serve prints ends in ?token=…: the token is kept for this tab and taken
// out of the address bar, so it does not end up in bookmarks, screenshots or shared links. (The
// server also sets a cookie from that address, which is how an EventSource and a download link,
// which cannot send headers, get in.)
const TOKEN_KEY = "rnn-playground-token";

(function takeTokenFromAddress() {
  const url = new URL(location.href);
  const given = url.searchParams.get("token");
  if (given === null) return;
  sessionStorage.setItem(TOKEN_KEY, given);
  url.searchParams.delete("token");
  history.replaceState(history.state, "", url.pathname + url.search + url.hash);
})();

// A model request (sample, inspect, reach) that finds every permit taken is refused with 503
// "Busy" and Retry-After: the page says so in the #server-busy line, waits that long and tries
// again, at most this many times, before it shows the refusal. (A 503 "Stopped" — the request
// computed past the time limit — is not retried: it would only be stopped again.)
const BUSY_RETRIES = 3;

async function isBusy(response) {
  if (response.status !== 503 || !response.headers.has("Retry-After")) return false;
  try {
    return (await response.clone().json()).title === "Busy";
  } catch (e) {
    return false;
  }
}

async function retryingWhenBusy(path, options) {
  try {
    for (let attempt = 1; ; attempt++) {
      const response = await request(path, { ...options, rawBusy: true });
      if (response.ok) return response;
      // any other refusal, or busy once too often, is thrown as request() throws it
      if (attempt > BUSY_RETRIES || !(await isBusy(response))) throw await problem(response);
      const seconds = Number(response.headers.get("Retry-After")) || 2;
      say("server-busy", `The server is busy, trying again in ${seconds} s (retry ${attempt} of ${BUSY_RETRIES}).`, "info");
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    }
  } finally {
    say("server-busy", "");
  }
}

// askToken: false for requests the page makes on its own (a 401 then just fails), so that only a
// click can bring up the prompt.
// rawBusy: a 503 is returned, not thrown, for retryingWhenBusy to look at.
async function request(path, { askToken = true, rawBusy = false, ...options } = {}, askedForToken = false) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const headers = new Headers(options.headers || {});
  if (token) headers.set("Authorization", "Bearer " + token);
  let response;
  try {
    response = await fetch(path, { ...options, headers });
  } catch (e) {
    watchForServer();
    throw new ApiError(UNREACHABLE, 0);
  }
  serverAnswered();
  const retryable = !(options.body instanceof ReadableStream);
  if (response.status === 401 && !askedForToken && retryable) {
    const now = sessionStorage.getItem(TOKEN_KEY);
    // another request of the page asked for the token while this one was on its way
    if (now && now !== token) return request(path, { askToken, rawBusy, ...options }, true);
    if (askToken) {
      const given = prompt("This server asks for its access token: it is the end of the address rnn serve"
        + " printed, after ?token=");
      if (given) {
        sessionStorage.setItem(TOKEN_KEY, given.trim());
        return request(path, { askToken, rawBusy, ...options }, true);
      }
    }
  }
  if (rawBusy && response.status === 503) return response;
  if (!response.ok) throw await problem(response);
  return response;
}

// After a request found no server, the page asks every few seconds until one answers (any status:
// a 401 is an answer too), then fires "server-back" on window, so that stale "cannot be reached"
// messages go and the views can list afresh (a restarted rnn serve, a network back).
let unreachable = false;

function watchForServer() {
  if (unreachable) return;
  unreachable = true;
  const ask = () => fetch("/api/sampling/options").then(serverAnswered, () => setTimeout(ask, 2000));
  setTimeout(ask, 2000);
}

function serverAnswered() {
  if (!unreachable) return;
  unreachable = false;
  window.dispatchEvent(new Event("server-back"));
}

async function problem(response) {
  let text = "";
  try {
    text = await response.text();
    const body = JSON.parse(text);
    // the detail already names every bad field; the fields ride along to mark them, not to repeat them
    const fields = body.errors ? Object.entries(body.errors).map(([k, v]) => `${k}: ${[].concat(v).join(", ")}`) : [];
    const error = new ApiError(body.detail || body.title || fields.join(" ") || text, response.status);
    error.fields = body.errors || {};
    return error;
  } catch (e) {
    if (response.status === 404) return new ApiError("This server does not offer that yet (404).", 404);
    return new ApiError(text.trim() || `The server answered ${response.status} ${response.statusText}.`, response.status);
  }
}

const json = async (path, options) => (await request(path, options)).json();

export const listModels = () => json("/api/models");
/** {defaults, learningRates, limits}: what POST /api/jobs fills in and accepts. */
export const trainingOptions = () => json("/api/training/options");
/** {defaults, page, limits, slider}: the sampling defaults and limits (core's SampleConfig). */
export const samplingOptions = () => json("/api/sampling/options");
export const modelWeights = async (id) => (await request(`/api/models/${encodeURIComponent(id)}/weights`)).arrayBuffer();
export const deleteModel = (id) => request(`/api/models/${encodeURIComponent(id)}`, { method: "DELETE" });
export const importModel = (file) => json(`/api/models?name=${encodeURIComponent(file.name.replace(/\.safetensors$/, ""))}`,
  { method: "POST", headers: { "Content-Type": "application/octet-stream" }, body: file });
const postJson = async (path, body, askToken) => (await retryingWhenBusy(path,
  { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), askToken })).json();
/** {prime, length, temperature, topK, seed} -> {text, …}: the server writes, as ./rnn sample does. */
export const sample = (id, settings, askToken = true) =>
  postJson(`/api/models/${encodeURIComponent(id)}/sample`, settings, askToken);
/** {text} -> per step: symbols, targetProbability, hidden, cellStates, gradientNormsFromLast, gradientNormsTotal. */
export const inspect = (id, text, askToken = true) =>
  postJson(`/api/models/${encodeURIComponent(id)}/inspect`, { text }, askToken);
/** {text, positions, lags} -> {trainingWindow, reach: {hidden, cell, stepJacobian, …}} (core's GradientReach). */
export const reach = (id, body, askToken = true) =>
  postJson(`/api/models/${encodeURIComponent(id)}/reach`, body, askToken);
/** {corpusId, rungs, steps, seed} -> {steps, batchSize, blockSize, rungs: [{id, label, parameters, trainLoss, valLoss, lectureValLoss, …}]} (core's lab.Ladder). */
export const runLadder = (body) => postJson("/api/experiments/ladder", body, true);
export const weightsUrl = (id) => `/api/models/${encodeURIComponent(id)}/weights`;

/** Uploads a training text: a File as multipart field "file", or a string as text/plain. */
export function uploadCorpus(fileOrText, name) {
  if (typeof fileOrText === "string") {
    return json(`/api/corpora?name=${encodeURIComponent(name || "pasted text")}`,
      { method: "POST", headers: { "Content-Type": "text/plain; charset=utf-8" }, body: fileOrText });
  }
  const form = new FormData();
  form.append("file", fileOrText, fileOrText.name);
  return json("/api/corpora", { method: "POST", body: form });
}

export const listCorpora = () => json("/api/corpora");
export const startJob = (settings) => json("/api/jobs",
  { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(settings) });
export const listJobs = () => json("/api/jobs");
export const getJob = (id) => json(`/api/jobs/${encodeURIComponent(id)}`);
/** Every event a job has sent so far, [{id, type, data}]: progress, sample, done, failed, cancelled. */
export const jobHistory = (id) => json(`/api/jobs/${encodeURIComponent(id)}/history`);
/** The job after the request: a queued one is cancelled at once, a running one stops after its current step. */
export const cancelJob = (id) => json(`/api/jobs/${encodeURIComponent(id)}/cancel`, { method: "POST" });
/** A cancelled job, queued again from the checkpoint it kept (409 when it kept none). */
export const resumeJob = (id) => json(`/api/jobs/${encodeURIComponent(id)}/resume`, { method: "POST" });
export const jobEventsUrl = (id) => `/api/jobs/${encodeURIComponent(id)}/events`;
/** {cells, gaps, seeds, steps} (each optional) -> the run's status; 409 while one runs (core's MemorySpan, on the server). */
export const startMemorySpan = (body) => json("/api/experiments/memory-span",
  { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
/** The latest run: status, plan, per-seed results and the summary over seeds. */
export const memorySpan = () => json("/api/experiments/memory-span");
export const cancelMemorySpan = () => json("/api/experiments/memory-span/cancel", { method: "POST" });
