#!/usr/bin/env python3
"""Crash safety, measured (never asserted): starts ./rnn serve on loopback with a fresh data
directory and kills it with SIGKILL N times at seeded random moments, cycling through five: during
training, right after a job was created, while .tmp- files exist, mid-upload (a multipart corpus
half sent) and mid-import (a model file half sent). After each kill it starts the server again and
checks that every corpus, model and job listed before the kill is still listed, that no .tmp- file
or uploads/ file that existed at the kill is left, and that /api/health answers. At the end every job (all of one
small spec) must finish with tensors byte-identical to an uninterrupted run of that spec, trained
last on the same server. Prints one JSON line.

    scripts/kills.py ROOT [--kills 36] [--seed 1]
"""
import argparse, json, os, random, re, shutil, signal, socket, struct, subprocess, tempfile, time, urllib.request

SPEC = {"cell": "rnn", "hidden": 32, "layers": 1, "seqLength": 25, "batchSize": 4, "steps": 400, "seed": 7,
        "evalEvery": 0, "sampleEvery": 0, "checkpointEvery": 20}
TEXT = "Shall I compare thee to a summer's day?\nThou art more lovely and more temperate.\n" * 40
MOMENTS = ["training", "job created", "tmp files", "mid-upload", "mid-import"]


class Server:
    def __init__(self, root, data):
        self.log = tempfile.NamedTemporaryFile("w+", delete=False)
        self.proc = subprocess.Popen([os.path.join(root, "rnn"), "serve", "--port", "0", "--no-token", "--data", data],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            m = re.search(r"http://127\.0\.0\.1:(\d+)", open(self.log.name).read())
            if m and "is running" in open(self.log.name).read():
                self.port = int(m.group(1)); return
            if self.proc.poll() is not None: break
            time.sleep(0.05)
        raise SystemExit("kills: the server did not start: " + open(self.log.name).read())

    def kill(self):
        self.proc.send_signal(signal.SIGKILL); self.proc.wait()
        os.unlink(self.log.name)


def call(port, method, path, body=None, ctype="application/json"):
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method)
    if data is not None: req.add_header("Content-Type", ctype)
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status, r.read()


def listing(port):
    """Every object's id the server lists: corpora, models, jobs."""
    return {kind: {o["id"] for o in json.loads(call(port, "GET", f"/api/{kind}")[1])} for kind in ("corpora", "models", "jobs")}


def half_sent(port, path, ctype, body):
    """Opens a request for the whole body and sends only its first half; returns the socket."""
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {ctype}\r\n"
              f"Content-Length: {len(body)}\r\n\r\n".encode() + body[:len(body) // 2])
    return s


def temp_files(data):
    found = [os.path.join(d, f) for d, _, files in os.walk(data) for f in files if f.startswith(".tmp-")]
    uploads = os.path.join(data, "uploads")
    return found + ([os.path.join(uploads, f) for f in os.listdir(uploads)] if os.path.isdir(uploads) else [])


def tensors(safetensors):
    """The tensors of a model file without its metadata (names, times and notes differ between runs)."""
    n = struct.unpack("<Q", safetensors[:8])[0]
    header = json.loads(safetensors[8:8 + n]); header.pop("__metadata__", None)
    return {k: (v["dtype"], v["shape"], safetensors[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]])
            for k, v in header.items()}


def new_job(port, corpus):
    return json.loads(call(port, "POST", "/api/jobs", dict(SPEC, corpusId=corpus))[1])["id"]


def main():
    a = argparse.ArgumentParser()
    a.add_argument("root"); a.add_argument("--kills", type=int, default=36); a.add_argument("--seed", type=int, default=1)
    o = a.parse_args()
    rng = random.Random(o.seed)
    started = time.time()
    data = tempfile.mkdtemp(prefix="rnn-kills-")
    server = Server(o.root, data)
    corpus = json.loads(call(server.port, "POST", "/api/corpora?name=sonnet.txt", TEXT.encode(), "text/plain; charset=utf-8")[1])["id"]
    model_file = call(server.port, "GET", f"/api/models/{next(iter(listing(server.port)['models']))}/weights")[1]
    boundary = "killsboundary"
    upload = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
              f"Content-Type: text/plain\r\n\r\n" + TEXT * 200 + f"\r\n--{boundary}--\r\n").encode()
    jobs, lost, leftovers, unhealthy, tmp_seen, open_sockets = [], 0, 0, 0, 0, []
    for k in range(o.kills):
        moment = MOMENTS[k % len(MOMENTS)]
        port = server.port
        if moment in ("training", "job created", "tmp files"):
            jobs.append(new_job(port, corpus))
        if moment == "training":
            time.sleep(rng.uniform(0.2, 2.0))
        elif moment == "tmp files":   # the job checkpoints every 20 steps: watch for its temp files
            until = time.time() + 5
            while time.time() < until and not temp_files(data): time.sleep(0.001)
        elif moment == "mid-upload":
            open_sockets.append(half_sent(port, "/api/corpora", "multipart/form-data; boundary=" + boundary, upload))
            time.sleep(rng.uniform(0.05, 0.5))
        elif moment == "mid-import":
            open_sockets.append(half_sent(port, "/api/models?name=imported", "application/octet-stream", model_file))
            time.sleep(rng.uniform(0.05, 0.5))
        before = listing(port)
        temp_before = set(temp_files(data))
        tmp_seen += bool(temp_before)
        server.kill()
        for s in open_sockets: s.close()
        open_sockets.clear()
        server = Server(o.root, data)
        after = listing(server.port)
        lost += sum(len(before[kind] - after[kind]) for kind in before)
        # the resumed jobs write checkpoints (and their temp files) at once: count only the killed server's
        leftovers += len(temp_before & set(temp_files(data)))
        unhealthy += call(server.port, "GET", "/api/health")[0] != 200

    # every job, and then one uninterrupted run of the same spec, to the end
    reference = new_job(server.port, corpus)
    deadline = time.time() + 1800
    def finished(job): return json.loads(call(server.port, "GET", f"/api/jobs/{job}")[1])
    results = {}
    for job in jobs + [reference]:
        while (j := finished(job))["status"] in ("queued", "running") and time.time() < deadline: time.sleep(0.2)
        results[job] = j
    def weights(job):
        j = results[job]
        return tensors(call(server.port, "GET", f"/api/models/{j['modelId']}/weights")[1]) if j["status"] == "done" else None
    expected = weights(reference)
    identical = sum(1 for job in jobs if expected is not None and weights(job) == expected)
    server.kill()
    shutil.rmtree(data)
    print(json.dumps({"kills": o.kills, "seed": o.seed, "lost_objects": lost, "leftover_temp_files": leftovers,
                      "kills_with_temp_files_present": tmp_seen,
                      "unhealthy_restarts": unhealthy, "jobs_identical": identical, "jobs_total": len(jobs),
                      "seconds": round(time.time() - started)}))


if __name__ == "__main__":
    main()
