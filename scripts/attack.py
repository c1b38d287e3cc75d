#!/usr/bin/env python3
"""Resource attacks on a running rnn serve (issue 19), one after another, each while /api/health is
asked every 0.25 s: SLOW connections posting a 4 MB corpus without the token a byte every 5 s;
LISTENERS event streams on a job that trains for the whole attack (its status after is reported); DOWNLOADS parallel downloads of the largest model the
server imports (a 2-layer LSTM of 1,024 units in float64, 12.9 M parameters, 103 MB); UPLOADS
parallel corpus uploads of the largest legal size. Reports per attack the answers by status,
/api/health's worst and p95 latency and failures, and the server's peak RSS. Reported, never asserted.

    scripts/attack.py ORIGIN TOKEN PID [--slow 300] [--listeners 3000] [--downloads 40] [--uploads 80]
                      [--seconds 30] [--small]     (--small: tiny model and corpus, for a smoke run)
"""
import argparse, json, selectors, socket, statistics, struct, threading, time, urllib.error, urllib.parse, urllib.request
from collections import Counter

def rss_mb(pid, field="VmRSS:"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field): return int(line.split()[1]) / 1024
    return float("nan")

class Health(threading.Thread):
    """Asks /api/health every 0.25 s and samples the server's RSS, until stopped."""
    def __init__(self, origin, pid):
        super().__init__(daemon=True); self.origin, self.pid = origin, pid
        self.latencies, self.failures, self.peak_rss, self.running = [], 0, 0.0, True
    def run(self):
        while self.running:
            start = time.time()
            try:
                urllib.request.urlopen(self.origin + "/api/health", timeout=10).read()
                self.latencies.append(time.time() - start)
            except Exception:
                self.failures += 1
            self.peak_rss = max(self.peak_rss, rss_mb(self.pid))
            time.sleep(0.25)
    def report(self):
        self.running = False; self.join()
        l = sorted(self.latencies) or [float("nan")]
        return {"health_answers": len(self.latencies), "health_failures": self.failures,
                "health_max_s": round(l[-1], 3), "health_p95_s": round(l[int(0.95 * (len(l) - 1))], 3),
                "peak_rss_mb": round(self.peak_rss)}

def call(origin, token, method, path, body=None, content_type=None, timeout=300):
    req = urllib.request.Request(origin + path, data=body, method=method)
    if token: req.add_header("Authorization", "Bearer " + token)
    if content_type: req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            while r.read(1 << 16): pass   # read a download to the end, a buffer at a time
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except Exception as e:
        return type(e).__name__

def connect(origin):
    u = urllib.parse.urlparse(origin)
    return socket.create_connection((u.hostname, u.port), timeout=10)

def phase(name, origin, pid, seconds, attack, after=lambda: {}):
    """Runs attack(stop_time) -> Counter of outcomes, with health asked throughout; after() adds to the report."""
    health = Health(origin, pid); health.start()
    outcomes = attack(time.time() + seconds)
    result = {"attack": name, "outcomes": dict(outcomes)}; result.update(health.report()); result.update(after())
    print(json.dumps(result), flush=True)

def slow_bodies(origin, n):
    def attack(stop):
        socks, outcomes = [], Counter()
        for _ in range(n):
            try:
                s = connect(origin); s.sendall(b"POST /api/corpora?name=a HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              b"Content-Type: text/plain\r\nContent-Length: 4000000\r\n\r\n")
                socks.append(s)
            except OSError as e:
                outcomes["connect " + type(e).__name__] += 1
        while time.time() < stop:
            for s in list(socks):
                try:
                    s.sendall(b"a")
                except OSError:
                    socks.remove(s); outcomes["closed by the server"] += 1
            time.sleep(5)
        outcomes["still open"] += len(socks)
        for s in socks: s.close()
        return outcomes
    return attack

def listeners(origin, token, job, n):
    """N event streams on one job at once. Each socket is read as the server answers it: its status
    (200 for a stream, 503 beyond the cap), whether it carried events, and whether it is still open at
    the end (a stream of a job in training stays open; a refused one is closed or left idle)."""
    def attack(stop):
        sel, outcomes, got = selectors.DefaultSelector(), Counter(), {}
        opening = time.time()
        for _ in range(n):
            try:
                s = connect(origin)
                s.sendall((f"GET /api/jobs/{job}/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
                           "Accept: text/event-stream\r\n\r\n").encode())
                s.setblocking(False); sel.register(s, selectors.EVENT_READ); got[s] = b""
            except OSError as e:
                outcomes["connect " + type(e).__name__] += 1
        # how long the script itself took to open them all: answers are read only after that
        outcomes["seconds spent opening them"] = round(time.time() - opening, 1)
        closed, progressed = set(), set()
        while time.time() < stop and len(closed) < len(got):
            for key, _ in sel.select(timeout=0.5):
                s = key.fileobj
                try:
                    data = s.recv(1 << 16)
                except OSError:
                    data = b""
                if data:
                    got[s] = (got[s] + data)[:8192]   # the status line and the first events are enough
                    if b"event: progress" in data: progressed.add(s)
                else:
                    sel.unregister(s); closed.add(s)
        for s, data in got.items():
            if data.startswith(b"HTTP/1.1 "):
                status = data[9:12].decode(errors="replace"); outcomes["HTTP " + status] += 1
            else:
                status = None; outcomes["closed without an answer" if s in closed else "no answer within the attack"] += 1
            if status == "200":
                outcomes["200, " + ("closed before the end" if s in closed else "open at the end")] += 1
                if s in progressed: outcomes["200 with progress events"] += 1
        for s in got: s.close()
        return outcomes
    return attack

def job_status(origin, token, job):
    req = urllib.request.Request(f"{origin}/api/jobs/{job}", headers={"Authorization": "Bearer " + token})
    return json.loads(urllib.request.urlopen(req, timeout=30).read())["status"]

def parallel(n, work):
    def attack(stop):
        outcomes, lock = Counter(), threading.Lock()
        def one():
            r = work()
            with lock: outcomes[str(r)] += 1
        threads = [threading.Thread(target=one) for _ in range(n)]
        for t in threads: t.start()
        for t in threads: t.join()
        return outcomes
    return attack

def largest_model(small):
    """A float64 safetensors LSTM, written here (tensor names and metadata as docs/model-files.md)."""
    vocab = [chr(c) for c in range(32, 97)]
    hidden, layers = (16, 1) if small else (1024, 2)
    shapes = {}
    for l in range(layers):
        shapes[f"rnn.weight_ih_l{l}"] = [4 * hidden, len(vocab) if l == 0 else hidden]
        shapes[f"rnn.weight_hh_l{l}"] = [4 * hidden, hidden]
        shapes[f"rnn.bias_ih_l{l}"] = [4 * hidden]; shapes[f"rnn.bias_hh_l{l}"] = [4 * hidden]
    shapes["decoder.weight"] = [len(vocab), hidden]; shapes["decoder.bias"] = [len(vocab)]
    header, offset, payload = {}, 0, []
    for name, shape in shapes.items():
        count = 1
        for d in shape: count *= d
        header[name] = {"dtype": "F64", "shape": shape, "data_offsets": [offset, offset + 8 * count]}
        payload.append(struct.pack("<d", 0.01) * count); offset += 8 * count
    header["__metadata__"] = {"format": "rnn-playground", "format_version": "1", "cell": "lstm", "hidden_size": str(hidden),
                              "num_layers": str(layers), "vocab": json.dumps(vocab)}
    h = json.dumps(header).encode(); h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + b"".join(payload)

def main():
    a = argparse.ArgumentParser()
    a.add_argument("origin"); a.add_argument("token"); a.add_argument("pid", type=int)
    a.add_argument("--slow", type=int, default=300); a.add_argument("--listeners", type=int, default=3000)
    a.add_argument("--downloads", type=int, default=40); a.add_argument("--uploads", type=int, default=80)
    a.add_argument("--seconds", type=float, default=30); a.add_argument("--small", action="store_true")
    o = a.parse_args()
    model = largest_model(o.small)
    imported = json.loads(urllib.request.urlopen(urllib.request.Request(o.origin + "/api/models?name=largest", data=model,
        method="POST", headers={"Authorization": "Bearer " + o.token, "Content-Type": "application/octet-stream"})).read())
    corpus_bytes = (b"abcdefghijklmnopqrstuvwxyz .,\n" * (1 if o.small else 699_050))[: (3_000 if o.small else 20 * 1024 * 1024)]
    corpus = json.loads(urllib.request.urlopen(urllib.request.Request(o.origin + "/api/corpora?name=attack", data=corpus_bytes[:3000],
        method="POST", headers={"Authorization": "Bearer " + o.token, "Content-Type": "text/plain"})).read())["id"]
    print(json.dumps({"model_bytes": len(model), "model_parameters": imported["parameterCount"],
                      "corpus_upload_bytes": len(corpus_bytes)}), flush=True)
    phase("slow bodies without the token", o.origin, o.pid, o.seconds, slow_bodies(o.origin, o.slow))
    # the listeners' job must still be training when the phase ends, or its streams replay and close
    # and the cap is never reached: an LSTM of 256 units takes most of an hour for these steps, and
    # reports a progress point every 128 steps (a few seconds)
    job = json.loads(urllib.request.urlopen(urllib.request.Request(o.origin + "/api/jobs", method="POST",
        data=json.dumps({"corpusId": corpus, "cell": "lstm", "hidden": 16 if o.small else 256, "seqLength": 8 if o.small else 50,
                         "batchSize": 1 if o.small else 8, "steps": 100_000, "sampleEvery": 0}).encode(),
        headers={"Authorization": "Bearer " + o.token, "Content-Type": "application/json"})).read())["id"]
    deadline = time.time() + 60
    while job_status(o.origin, o.token, job) != "running" and time.time() < deadline: time.sleep(0.2)
    phase("event-stream listeners", o.origin, o.pid, o.seconds, listeners(o.origin, o.token, job, o.listeners),
          lambda: {"job_status_after": job_status(o.origin, o.token, job)})
    call(o.origin, o.token, "POST", f"/api/jobs/{job}/cancel", b"{}", "application/json")
    phase("parallel downloads", o.origin, o.pid, o.seconds, parallel(o.downloads,
          lambda: call(o.origin, o.token, "GET", f"/api/models/{imported['id']}/weights")))
    phase("parallel uploads", o.origin, o.pid, o.seconds, parallel(o.uploads,
          lambda: call(o.origin, o.token, "POST", "/api/corpora?name=up", corpus_bytes, "text/plain")))
    print(json.dumps({"peak_rss_mb_whole_run": round(rss_mb(o.pid, "VmHWM:")),
                      "healthy_after": call(o.origin, None, "GET", "/api/health") == 200}), flush=True)

if __name__ == "__main__":
    main()
