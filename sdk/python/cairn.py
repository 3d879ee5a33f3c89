"""Cairn logging SDK for Python (standard library only).

    import cairn
    cairn.log_params({"lr": 0.01, "epochs": 10})
    for epoch in range(10):
        cairn.log_metrics({"loss": loss, "acc": acc}, step=epoch)
    cairn.log_model("model.pkl", flavor="sklearn")

Under ``cairn run`` the SDK logs into that run (``CAIRN_RUN_ID``, ``CAIRN_TRACKING_URI``,
``CAIRN_TOKEN``). Otherwise it creates a run on first use, on the backend named by
``CAIRN_TRACKING_URI`` / ``MLFLOW_TRACKING_URI``, or else the local server recorded in
``.cairn/server.json`` of the workspace (the nearest folder upwards holding ``.cairn`` or
``.git``); such a run is ended at exit (FINISHED, or FAILED after an uncaught exception).

Writes are batched by a background thread (at most 1000 metrics per request, at least once a
second) and flushed at exit. If the backend cannot be reached they are kept on disk under
``.cairn/spool/`` (the format ``cairn run`` delivers later), so nothing is lost.
"""

import atexit
import getpass
import json
import math
import os
import random
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

__all__ = [
    "start_run", "end_run", "active_run_id", "log_metric", "log_metrics", "log_param", "log_params",
    "set_tag", "set_tags", "log_artifact", "log_model", "flush",
]

_MAX_METRICS = 1000
_MAX_PARAMS = 100
_MAX_TAGS = 100
_FLUSH_SECONDS = 1.0
_RETRY_SECONDS = 2.0
_TAG_CANDIDATES = "cairn.model.candidates"


class CairnError(Exception):
    """A call the backend refused (4xx), or no backend to talk to."""


class _Unreachable(Exception):
    pass


def _wire(v):
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def _workspace():
    explicit = os.environ.get("CAIRN_WORKSPACE")
    if explicit:
        return explicit
    cur = os.path.abspath(os.getcwd())
    while True:
        if os.path.exists(os.path.join(cur, ".cairn")) or os.path.exists(os.path.join(cur, ".git")):
            return cur
        parent = os.path.dirname(cur)
        if parent == cur:
            return os.path.abspath(os.getcwd())
        cur = parent


def _locate():
    url = os.environ.get("CAIRN_TRACKING_URI") or os.environ.get("MLFLOW_TRACKING_URI")
    if url and url.startswith(("http://", "https://")):
        token = os.environ.get("CAIRN_TOKEN") or os.environ.get("MLFLOW_TRACKING_TOKEN")
        return url.rstrip("/"), token, False
    record = os.path.join(_workspace(), ".cairn", "server.json")
    try:
        with open(record) as f:
            rec = json.load(f)
        return rec["url"].rstrip("/"), rec.get("token"), True
    except (OSError, ValueError, KeyError):
        raise CairnError(
            "no Cairn backend found: run your script with 'cairn run -- python …', start 'cairn server', "
            "or set CAIRN_TRACKING_URI (and CAIRN_TOKEN)")


class _Http:
    def __init__(self, url, token, timeout=30):
        self.url, self.token, self.timeout = url, token, timeout

    def _request(self, method, path, data=None, content_type="application/json"):
        headers = {"Content-Type": content_type} if data is not None else {}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as res:
                body = res.read()
        except urllib.error.HTTPError as e:
            text = e.read().decode("utf-8", "replace")
            if e.code >= 500 or e.code in (408, 429):
                raise _Unreachable("HTTP %d: %s" % (e.code, text[:200]))
            try:
                err = json.loads(text)
                raise CairnError("%s: %s" % (err.get("error_code"), err.get("message")))
            except ValueError:
                raise CairnError("HTTP %d: %s" % (e.code, text[:200]))
        except (urllib.error.URLError, OSError) as e:
            raise _Unreachable(str(e))
        return json.loads(body) if body else {}

    def json(self, method, path, body=None):
        if method == "GET":
            q = urllib.parse.urlencode(body or {})
            return self._request("GET", path + ("?" + q if q else ""))
        return self._request(method, path, json.dumps(body).encode("utf-8"))

    def put_artifact(self, artifact_path, file):
        quoted = "/".join(urllib.parse.quote(s, safe="") for s in artifact_path.split("/"))
        with open(file, "rb") as f:
            data = f.read()
        self._request("PUT", "/api/2.0/mlflow-artifacts/artifacts/" + quoted, data, "application/octet-stream")

    def healthy(self):
        try:
            self._request("GET", "/health")
            return True
        except Exception:
            return False


class _Spool:
    """Writes that could not be delivered: the same on-disk format as `cairn run`'s spool."""

    def __init__(self, run_id, url, local):
        root = os.path.join(_workspace(), ".cairn", "spool")
        self.dir = os.path.join(root, "%s-%d-%06x" % (run_id, os.getpid(), random.getrandbits(24)))
        self.owner = {"pid": os.getpid(), "runId": run_id, "url": url, "local": local, "created": int(time.time() * 1000)}
        self.seq = 0
        self.count = 0

    def append(self, op):
        if self.count == 0:
            os.makedirs(os.path.join(self.dir, "files"), exist_ok=True)
            with open(os.path.join(self.dir, "owner.json"), "w") as f:
                json.dump(self.owner, f)
        if op["kind"] == "artifact":
            rel = "files/%06d-%06x" % (self.seq, random.getrandbits(24))
            self.seq += 1
            with open(op["file"], "rb") as src, open(os.path.join(self.dir, rel), "wb") as dst:
                dst.write(src.read())
                dst.flush()
                os.fsync(dst.fileno())
            op = {"kind": "artifact", "artifactPath": op["artifactPath"], "file": rel}
        with open(os.path.join(self.dir, "ops.jsonl"), "a") as f:
            f.write(json.dumps(op) + "\n")
            f.flush()
            os.fsync(f.fileno())
        self.count += 1

    def pending(self):
        try:
            with open(os.path.join(self.dir, "ops.jsonl")) as f:
                lines = [l for l in f.read().split("\n") if l]
        except OSError:
            return [], 0
        ops = []
        for l in lines:
            try:
                ops.append(json.loads(l))
            except ValueError:
                pass
        try:
            with open(os.path.join(self.dir, "done")) as f:
                done = int(f.read() or 0)
        except (OSError, ValueError):
            done = 0
        return ops[done:], done

    def mark_done(self, n):
        tmp = os.path.join(self.dir, "done.tmp-%d" % os.getpid())
        with open(tmp, "w") as f:
            f.write(str(n))
        os.replace(tmp, os.path.join(self.dir, "done"))

    def remove(self):
        import shutil
        shutil.rmtree(self.dir, ignore_errors=True)
        self.count = 0


class _Run:
    def __init__(self, experiment=None, run_name=None, tags=None):
        url, token, local = _locate()
        self.http = _Http(url, token)
        self.owned = False
        run_id = os.environ.get("CAIRN_RUN_ID") or os.environ.get("MLFLOW_RUN_ID")
        if run_id:
            info = self.http.json("GET", "/api/2.0/mlflow/runs/get", {"run_id": run_id})["run"]
        else:
            info = self._create(experiment, run_name, tags or {})
            self.owned = True
        self.info = info["info"]
        self.run_id = self.info["run_id"]
        existing = {t["key"]: t["value"] for t in (info.get("data", {}).get("tags") or [])}
        try:
            self.candidates = json.loads(existing.get(_TAG_CANDIDATES, "[]"))
        except ValueError:
            self.candidates = []
        self.spool = _Spool(self.run_id, url, local)
        self.offline = False
        self.steps = {}
        self.metrics, self.params, self.tags, self.ops = [], {}, {}, []
        self.lock = threading.Condition()
        self.busy = False
        self.closed = False
        self.failed = False
        self.thread = threading.Thread(target=self._loop, name="cairn-sdk", daemon=True)
        self.thread.start()

    def _create(self, experiment, run_name, tags):
        name = experiment or os.environ.get("CAIRN_EXPERIMENT") or os.environ.get("MLFLOW_EXPERIMENT_NAME")
        exp_id = "0"
        if name:
            try:
                exp_id = self.http.json("GET", "/api/2.0/mlflow/experiments/get-by-name", {"experiment_name": name})["experiment"]["experiment_id"]
            except CairnError:
                exp_id = self.http.json("POST", "/api/2.0/mlflow/experiments/create", {"name": name})["experiment_id"]
        try:
            user = getpass.getuser()
        except Exception:
            user = "unknown"
        base = {
            "mlflow.user": user,
            "mlflow.source.name": sys.argv[0] if sys.argv and sys.argv[0] else "<python>",
            "mlflow.source.type": "LOCAL",
            "cairn.launcher": "sdk-python",
            "cairn.command": json.dumps([sys.executable] + sys.argv),
            "cairn.host": socket.gethostname(),
        }
        base.update({k: str(v) for k, v in tags.items()})
        body = {"experiment_id": exp_id, "start_time": int(time.time() * 1000), "tags": [{"key": k, "value": v} for k, v in base.items()]}
        if run_name:
            body["run_name"] = run_name
        return self.http.json("POST", "/api/2.0/mlflow/runs/create", body)["run"]

    def artifact_path(self, rel):
        root = self.info["artifact_uri"]
        for prefix in ("mlflow-artifacts://", "mlflow-artifacts:"):
            if root.startswith(prefix):
                root = root[len(prefix):]
                if prefix.endswith("//"):
                    root = root.split("/", 1)[1] if "/" in root else ""
                break
        return "/".join(s for s in (root.strip("/") + "/" + rel).split("/") if s)

    # --- producers (any thread) ---------------------------------------------------------------
    def metric(self, key, value, step, timestamp):
        with self.lock:
            if step is None:
                step = self.steps.get(key, 0)
            self.steps[key] = max(self.steps.get(key, 0), int(step) + 1)
            ts = int(timestamp if timestamp is not None else time.time() * 1000)
            self.metrics.append({"key": str(key), "value": _wire(value), "timestamp": ts, "step": int(step)})
            if len(self.metrics) >= _MAX_METRICS:
                self.lock.notify_all()

    def param(self, key, value):
        with self.lock:
            self.params[str(key)] = str(value)[:6000]

    def tag(self, key, value):
        with self.lock:
            self.tags[str(key)] = str(value)[:8000]

    def op(self, op):
        with self.lock:
            self._cut()
            self.ops.append(op)
            self.lock.notify_all()

    def flush(self, timeout=60):
        deadline = time.time() + timeout
        with self.lock:
            self._cut()
            self.lock.notify_all()
            while (self.ops or self.busy) and time.time() < deadline:
                self.lock.wait(0.05)

    def _cut(self):
        """Turns buffered metrics, params and tags into log-batch ops (lock held). Each kind goes in
        batches of its own, so a refused param (MLflow never lets one change) cannot take metrics with it."""
        params = [{"key": k, "value": v} for k, v in self.params.items()]
        tags = [{"key": k, "value": v} for k, v in self.tags.items()]
        metrics = self.metrics
        self.params, self.tags, self.metrics = {}, {}, []
        for field, items, size in (("params", params, _MAX_PARAMS), ("tags", tags, _MAX_TAGS), ("metrics", metrics, _MAX_METRICS)):
            for i in range(0, len(items), size):
                self.ops.append({"kind": "json", "method": "POST", "path": "/api/2.0/mlflow/runs/log-batch",
                                 "body": {"run_id": self.run_id, field: items[i:i + size]}})

    # --- the sender thread ----------------------------------------------------------------------
    def _loop(self):
        last_retry = 0.0
        while True:
            with self.lock:
                if not self.ops and not self.closed:
                    self.lock.wait(_FLUSH_SECONDS)
                if not self.ops:
                    self._cut()
                if not self.ops and self.closed:
                    return
                op = self.ops.pop(0) if self.ops else None
                self.busy = op is not None
            try:
                if op is not None:
                    self._deliver(op)
                if self.offline and time.time() - last_retry > _RETRY_SECONDS:
                    last_retry = time.time()
                    self._replay()
            finally:
                with self.lock:
                    self.busy = False
                    self.lock.notify_all()

    def _send(self, op):
        if op["kind"] == "json":
            self.http.json(op["method"], op["path"], op["body"])
        else:
            self.http.put_artifact(op["artifactPath"], op["file"])

    def _deliver(self, op):
        try:
            if self.offline:
                self.spool.append(op)
                return
            try:
                self._send(op)
            except _Unreachable as e:
                self.offline = True
                sys.stderr.write("[cairn] backend unreachable (%s); buffering in %s\n" % (e, self.spool.dir))
                self.spool.append(op)
        except CairnError as e:
            sys.stderr.write("[cairn] the backend refused a write, which is dropped: %s\n" % e)
        except OSError as e:
            sys.stderr.write("[cairn] could not log %s: %s\n" % (op.get("artifactPath") or op.get("path"), e))

    def _replay(self):
        if not self.http.healthy():
            return
        ops, done = self.spool.pending()
        for op in ops:
            if op["kind"] == "artifact":
                op = dict(op, file=os.path.join(self.spool.dir, op["file"]))
            try:
                self._send(op)
            except _Unreachable:
                return
            except CairnError as e:
                sys.stderr.write("[cairn] a buffered write was refused and dropped: %s\n" % e)
            done += 1
            self.spool.mark_done(done)
        self.spool.remove()
        self.offline = False
        sys.stderr.write("[cairn] backend reachable again; buffered data delivered\n")

    def end(self, status="FINISHED"):
        self.op({"kind": "json", "method": "POST", "path": "/api/2.0/mlflow/runs/update",
                 "body": {"run_id": self.run_id, "status": status, "end_time": int(time.time() * 1000)}})
        self.close()

    def close(self):
        self.flush()
        with self.lock:
            self.closed = True
            self.lock.notify_all()
        self.thread.join(60)
        if self.offline:
            self._replay()
        if self.offline:
            sys.stderr.write("[cairn] backend unreachable: %d write(s) kept in %s; the next 'cairn run' delivers them\n"
                             % (self.spool.count, self.spool.dir))


_run = None
_run_lock = threading.Lock()


def _active(**kwargs):
    global _run
    with _run_lock:
        if _run is None:
            _run = _Run(**kwargs)
        return _run


def start_run(experiment=None, run_name=None, tags=None):
    """Starts (or, under `cairn run`, attaches to) the run and returns its id. Optional: the first log call does it."""
    return _active(experiment=experiment, run_name=run_name, tags=tags).run_id


def active_run_id():
    return _run.run_id if _run else None


def log_metric(key, value, step=None, timestamp=None):
    """Logs one value. Without `step`, each key counts its own steps 0, 1, 2 …"""
    _active().metric(key, value, step, timestamp)


def log_metrics(metrics, step=None, timestamp=None):
    run = _active()
    for k, v in metrics.items():
        run.metric(k, v, step, timestamp)


def log_param(key, value):
    _active().param(key, value)


def log_params(params):
    run = _active()
    for k, v in params.items():
        run.param(k, v)


def set_tag(key, value):
    _active().tag(key, value)


def set_tags(tags):
    run = _active()
    for k, v in tags.items():
        run.tag(k, v)


def log_artifact(local_path, artifact_path=None):
    """Uploads a file (or a folder, recursively) under `artifact_path` (default: the run's root).
    Returns the artifact path of what was logged. Files are read when sent; call flush() to wait."""
    run = _active()
    base = (artifact_path or "").strip("/")
    name = os.path.basename(os.path.normpath(local_path))
    target = (base + "/" + name) if base else name
    if os.path.isdir(local_path):
        for dirpath, _, files in os.walk(local_path):
            for f in sorted(files):
                full = os.path.join(dirpath, f)
                rel = os.path.relpath(full, local_path).replace(os.sep, "/")
                run.op({"kind": "artifact", "artifactPath": run.artifact_path(target + "/" + rel), "file": full})
    else:
        run.op({"kind": "artifact", "artifactPath": run.artifact_path(target), "file": local_path})
    return target


def log_model(path, flavor, artifact_path="models"):
    """Uploads a model file or folder (e.g. a TF.js model folder) and records it in the run's
    `cairn.model.candidates` tag with its flavor (sklearn, pickle, onnx, tfjs, pytorch, keras …)."""
    run = _active()
    logged = log_artifact(path, artifact_path)
    entry = {"path": logged, "flavor": str(flavor)}
    with run.lock:
        run.candidates = [c for c in run.candidates if c.get("path") != logged] + [entry]
        run.tags[_TAG_CANDIDATES] = json.dumps(run.candidates)
    return logged


def flush(timeout=60):
    """Waits until everything logged so far was sent (or buffered on disk)."""
    if _run:
        _run.flush(timeout)


def end_run(status="FINISHED"):
    """Ends a run this SDK created; under `cairn run` only flushes (the launcher ends the run)."""
    global _run
    with _run_lock:
        run, _run = _run, None
    if run is None:
        return
    if run.owned:
        run.end(status)
    else:
        run.close()


_previous_hook = sys.excepthook


def _excepthook(kind, value, tb):
    if _run is not None:
        _run.failed = True
    _previous_hook(kind, value, tb)


sys.excepthook = _excepthook


@atexit.register
def _at_exit():
    if _run is not None:
        end_run("FAILED" if _run.failed else "FINISHED")
