#!/usr/bin/env python3
"""Load on a running rnn serve: N clients asking the models (sample, predict, list) and M
listeners on a training job's event stream, for S seconds. Clients behave like the page: a 503
with Retry-After is waited out and retried up to 3 times. Reports the answers, the busy refusals
and how many were answered after waiting, the final errors by status, latency percentiles (from
the first try to the answer, waits included), the job's training speed before and under load, and
the server's RSS. Reported, never asserted.

    scripts/load.py ORIGIN TOKEN PID [--clients 50] [--listeners 20] [--seconds 60]
"""
import argparse, json, threading, time, urllib.request, urllib.error, http.client, statistics

BUSY_RETRIES = 3   # as the page: a busy 503 is retried at most 3 times after its Retry-After

def request(origin, token, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(origin + path, data=data, method=method)
    if token: req.add_header("Authorization", "Bearer " + token)
    if data is not None: req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status, r.read()

def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"): return int(line.split()[1]) / 1024
    return float("nan")

def job_point(origin, token, job):
    """(step, trainingSeconds) of the job's last progress point."""
    j = json.loads(request(origin, token, "GET", "/api/jobs/" + job)[1])
    return j["step"], j["trainingSeconds"] or 0.0

def steps_per_second(before, after):
    return (after[0] - before[0]) / (after[1] - before[1]) if after[1] > before[1] else float("nan")

def main():
    a = argparse.ArgumentParser()
    a.add_argument("origin"); a.add_argument("token"); a.add_argument("pid", type=int)
    a.add_argument("--clients", type=int, default=50); a.add_argument("--listeners", type=int, default=20)
    a.add_argument("--seconds", type=float, default=60)
    o = a.parse_args()
    token = None if o.token == "-" else o.token
    models = json.loads(request(o.origin, token, "GET", "/api/models")[1])
    model = models[0]["id"]
    text = "To be, or not to be, that is the question:\n" * 200
    boundary = "loadtestboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"load.txt\"\r\n"
            f"Content-Type: text/plain\r\n\r\n{text}\r\n--{boundary}--\r\n").encode()
    req = urllib.request.Request(o.origin + "/api/corpora", data=body, method="POST")
    req.add_header("Content-Type", "multipart/form-data; boundary=" + boundary)
    if token: req.add_header("Authorization", "Bearer " + token)
    corpus = json.loads(urllib.request.urlopen(req).read())["id"]
    job = json.loads(request(o.origin, token, "POST", "/api/jobs",
                             {"corpusId": corpus, "cell": "lstm", "hidden": 128, "steps": 20000})[1])["id"]
    while json.loads(request(o.origin, token, "GET", "/api/jobs/" + job)[1])["status"] != "running": time.sleep(0.2)
    # the job reports its step and training time every 32 steps (20,000 steps keep the history
    # within 1,000 points): the speed is measured between two such points
    p0 = job_point(o.origin, token, job); time.sleep(10)
    quiet = steps_per_second(p0, job_point(o.origin, token, job))

    stop = time.time() + o.seconds
    latencies, errors, lock = [], {}, threading.Lock()
    waited = {"answered_after_waiting": 0, "busy_refusals": 0}
    def ask(method, path, b):
        """One call as the page makes it: a 503 with Retry-After is waited out and retried, up to
        BUSY_RETRIES times. Returns the error (status or exception name), or None when answered."""
        refusals = 0
        while True:
            try:
                request(o.origin, token, method, path, b)
                with lock: waited["answered_after_waiting"] += refusals
                return None
            except urllib.error.HTTPError as e:
                retry_after = e.headers.get("Retry-After")
                if e.code != 503 or retry_after is None or refusals == BUSY_RETRIES: return str(e.code)
                refusals += 1
                with lock: waited["busy_refusals"] += 1
                time.sleep(float(retry_after))
            except Exception as e: return type(e).__name__
    def client(i):
        calls = [("POST", f"/api/models/{model}/sample", {"prime": "ROMEO:", "length": 200, "seed": i}),
                 ("POST", f"/api/models/{model}/predict", {"prime": "To be or not to b"}),
                 ("GET", "/api/models", None)]
        k = 0
        while time.time() < stop:
            method, path, b = calls[k % 3]; k += 1
            start = time.time()
            ok = ask(method, path, b)
            with lock:
                if ok is None: latencies.append(time.time() - start)
                else: errors[ok] = errors.get(ok, 0) + 1
    def listener(i):
        host, port = o.origin.split("//")[1].split(":")
        while time.time() < stop:
            try:
                c = http.client.HTTPConnection(host, int(port), timeout=20)
                headers = {"Accept": "text/event-stream"}
                if token: headers["Authorization"] = "Bearer " + token
                c.request("GET", f"/api/jobs/{job}/events", headers=headers)
                r = c.getresponse()
                if r.status != 200:
                    with lock: errors["sse " + str(r.status)] = errors.get("sse " + str(r.status), 0) + 1
                while time.time() < stop and r.read1(4096): pass
                c.close()
            except Exception as e:
                with lock: errors["sse " + type(e).__name__] = errors.get("sse " + type(e).__name__, 0) + 1
    threads = [threading.Thread(target=client, args=(i,)) for i in range(o.clients)]
    threads += [threading.Thread(target=listener, args=(i,)) for i in range(o.listeners)]
    p1 = job_point(o.origin, token, job)
    peak = rss_mb(o.pid)
    for t in threads: t.daemon = True; t.start()
    while time.time() < stop:
        time.sleep(1); peak = max(peak, rss_mb(o.pid))
    loaded = steps_per_second(p1, job_point(o.origin, token, job))
    for t in threads: t.join(timeout=30)
    try:
        request(o.origin, token, "POST", f"/api/jobs/{job}/cancel", {})
    except urllib.error.HTTPError as e:
        if e.code != 409: raise      # 409: the job had already finished, nothing to cancel
    health = request(o.origin, token, "GET", "/api/health")[0]
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [float("nan")] * 99
    print(json.dumps({"clients": o.clients, "listeners": o.listeners, "seconds": o.seconds,
                      "requests_ok": len(latencies), **waited, "final_errors": errors,
                      "p50_ms": round(q[49] * 1000, 1), "p95_ms": round(q[94] * 1000, 1), "p99_ms": round(q[98] * 1000, 1),
                      "training_steps_per_s_quiet": round(quiet, 1), "training_steps_per_s_under_load": round(loaded, 1),
                      "peak_rss_mb": round(peak), "health_after": health}))

if __name__ == "__main__":
    main()
