#!/usr/bin/env python3
"""A class, all at once, on a running web node (scripts/classroom.sh starts one with its workers):
each learner, with their own token, uploads a text of their own (a different 40,000-character part
of tiny Shakespeare), once every learner has uploaded, all queue at once a small model on their text (LSTM 64, STEPS steps),
follows the job's event stream to its last event, then writes 200 characters from the model. A
busy 503 (the server's caps on concurrent uploads and computing) is waited out as the page does.
Reports, never asserts: jobs finished and jobs per minute, the wait from queuing to the first step
(the job record's createdAt and startedAt, the server's clocks), time to the model, p50/p95 API
latency (every request but the event streams), errors by kind, and what N such workers would
give (the measured rate per worker times N; on paper).

    scripts/classroom.py ORIGIN TOKENS_FILE TEXT [--workers 1] [--steps 300] [--seconds 900]
"""
import argparse, datetime, http.client, json, statistics, threading, time, urllib.error, urllib.request

def call(origin, token, method, path, body=None, content_type="application/json", timeout=60):
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    req = urllib.request.Request(origin + path, data=data, method=method)
    req.add_header("Authorization", "Bearer " + token)
    if data is not None: req.add_header("Content-Type", content_type)
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read() or b"null")

BUSY_RETRIES = 10   # the page retries a busy 503 after its Retry-After; a class waits longer than one learner

def stamp(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()

def main():
    a = argparse.ArgumentParser()
    a.add_argument("origin"); a.add_argument("tokens"); a.add_argument("text")
    a.add_argument("--workers", type=int, default=1); a.add_argument("--steps", type=int, default=300)
    a.add_argument("--seconds", type=float, default=900)
    o = a.parse_args()
    learners = [line.split() for line in open(o.tokens) if line.strip()]
    text = open(o.text, encoding="utf-8").read()
    host, port = o.origin.split("//")[1].split(":")
    latencies, errors, jobs, lock = [], {}, [], threading.Lock()
    deadline = time.time() + o.seconds

    busy = {"refused": 0, "answered_after_waiting": 0}

    def timed(kind, token, method, path, body=None, content_type="application/json"):
        """One request as the page makes it: a 503 with Retry-After (the server's caps on uploads and
        computing) is waited out and retried, up to BUSY_RETRIES times; the latency counts the waits."""
        start, refusals = time.time(), 0
        while True:
            try:
                out = call(o.origin, token, method, path, body, content_type)
                with lock:
                    latencies.append(time.time() - start)
                    busy["answered_after_waiting"] += 1 if refusals else 0
                return out
            except urllib.error.HTTPError as e:
                retry_after = e.headers.get("Retry-After")
                if e.code == 503 and retry_after is not None and refusals < BUSY_RETRIES:
                    refusals += 1
                    with lock: busy["refused"] += 1
                    time.sleep(float(retry_after))
                    continue
                with lock: errors[f"{kind} {e.code}"] = errors.get(f"{kind} {e.code}", 0) + 1
            except Exception as e:
                with lock: errors[f"{kind} {type(e).__name__}"] = errors.get(f"{kind} {type(e).__name__}", 0) + 1
            return None

    def follow(token, job):
        """Reads the job's event stream until its last event; returns that event's name."""
        while time.time() < deadline:
            try:
                c = http.client.HTTPConnection(host, int(port), timeout=max(1, deadline - time.time()))
                c.request("GET", f"/api/jobs/{job}/events", headers={"Accept": "text/event-stream", "Authorization": "Bearer " + token})
                r = c.getresponse()
                if r.status != 200:
                    with lock: errors[f"events {r.status}"] = errors.get(f"events {r.status}", 0) + 1
                    time.sleep(1); continue
                for raw in r:
                    line = raw.decode().strip()
                    if line.startswith("event:") and line[6:].strip() in ("done", "failed", "cancelled"):
                        return line[6:].strip()
            except Exception as e:
                with lock: errors[f"events {type(e).__name__}"] = errors.get(f"events {type(e).__name__}", 0) + 1
                time.sleep(1)
        return "timeout"

    def learner(i, name, token):
        part = text[(i * 40000) % (len(text) - 40000):][:40000]
        boundary = "classroom" + str(i)
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}.txt\"\r\n"
                f"Content-Type: text/plain\r\n\r\n{part}\r\n--{boundary}--\r\n").encode()
        corpus = timed("upload", token, "POST", "/api/corpora", body, "multipart/form-data; boundary=" + boundary)
        # the class uploads, then queues all at once: the queue, not the uploads, sets the pace measured
        try:
            uploaded.wait(timeout=max(1, deadline - time.time()))
        except threading.BrokenBarrierError:
            pass
        if not corpus: return
        job = timed("queue", token, "POST", "/api/jobs", {"corpusId": corpus["id"], "cell": "lstm", "hidden": 64,
                                                          "steps": o.steps, "name": name})
        if not job: return
        end = follow(token, job["id"])
        record = timed("job", token, "GET", f"/api/jobs/{job['id']}")
        if end == "done" and record and record.get("modelId"):
            timed("sample", token, "POST", f"/api/models/{record['modelId']}/sample", {"prime": "ROMEO:", "length": 200, "seed": i})
        with lock: jobs.append((end, record))

    uploaded = threading.Barrier(len(learners))
    started = time.time()
    threads = [threading.Thread(target=learner, args=(i, n, t), daemon=True) for i, (n, t) in enumerate(learners)]
    for t in threads: t.start()
    for t in threads: t.join(timeout=max(0, deadline - time.time()) + 60)
    done = [r for end, r in jobs if end == "done" and r]
    waits = [stamp(r["startedAt"]) - stamp(r["createdAt"]) for r in done if r.get("startedAt")]
    to_model = [stamp(r["finishedAt"]) - stamp(r["createdAt"]) for r in done if r.get("finishedAt")]
    span = max((stamp(r["finishedAt"]) for r in done), default=started) - min((stamp(r["createdAt"]) for r in done), default=started)
    per_minute = len(done) / (span / 60) if span > 0 else float("nan")
    q = statistics.quantiles(latencies, n=100, method='inclusive') if len(latencies) > 1 else [float("nan")] * 99
    pct = lambda xs, p: round(statistics.quantiles(xs, n=100, method='inclusive')[p - 1], 1) if len(xs) > 1 else None
    print(json.dumps({"workers": o.workers, "learners": len(learners), "steps": o.steps,
                      "jobs_done": len(done), "jobs_not_done": len(learners) - len(done),
                      "jobs_per_minute": round(per_minute, 2),
                      "wait_to_first_step_s": {"median": round(statistics.median(waits), 1) if waits else None,
                                               "p95": pct(waits, 95), "max": round(max(waits), 1) if waits else None},
                      "queue_to_model_s": {"median": round(statistics.median(to_model), 1) if to_model else None,
                                           "max": round(max(to_model), 1) if to_model else None},
                      "api_requests": len(latencies), "api_p50_ms": round(q[49] * 1000, 1), "api_p95_ms": round(q[94] * 1000, 1),
                      "busy_503s_waited_out": busy["refused"], "requests_answered_after_waiting": busy["answered_after_waiting"],
                      "errors": errors,
                      "on_paper_jobs_per_minute_per_worker": round(per_minute / o.workers, 2),
                      "on_paper_10_workers": round(per_minute / o.workers * 10, 1)}))

if __name__ == "__main__":
    main()
