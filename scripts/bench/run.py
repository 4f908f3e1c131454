"""Measures the backend and its FastAPI peer; driven by scripts/bench.sh.

Everything runs on loopback. Servers are pinned to one core and wrk to the other
(`taskset`), every contender is measured once per round, back to back, and the
report gives medians of the rounds with their min-max and ratios between contenders
measured in the same round. Figures go to docs/benchmarks.md and docs/benchmarks.json.

Only the standard library is used here; bench.sh runs it with the virtualenv's
Python so that the peer's package versions can be read.
"""

import argparse
import datetime
import http.client
import importlib.metadata
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

MIB = 1024 * 1024

# The origins the shipped config/ allows, and one it does not list.
PROD_ORIGIN = "https://app.example.com"
DEV_ORIGIN = "http://localhost:5173"
REFUSED_ORIGIN = "https://evil.example"

# A browser's preflight before `fetch(url, {method: "POST", headers:
# {"Content-Type": "application/json", "X-Request-Id": ...}})`: sorted, lower-cased.
PREFLIGHT_METHOD = "POST"
PREFLIGHT_HEADERS = "content-type,x-request-id"

# Goals of issue 7.
GOAL_PREFLIGHT_VS_PEER = 8.0
GOAL_ORIGIN_VS_NO_ORIGIN = 0.85
GOAL_P99_MS = 5.0
GOAL_RSS_MIB = 16.0
GOAL_FIRST_200_MS = 50.0
RECORDED_FOR_RSS = 100_000

# Servers and wrk run at this niceness when we may raise priority (root), so that
# background work on a shared machine (builds) disturbs the figures less. BENCH_NICE=0
# turns it off.
NICE = int(os.environ.get("BENCH_NICE", "-10" if os.geteuid() == 0 else "0"))


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


class BenchError(Exception):
    """A real error: the bench cannot produce trustworthy figures."""


# --------------------------------------------------------------------------- servers


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_request(port, method, path, headers=None, timeout=5.0):
    """One request on a fresh connection: (status, lower-cased headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, headers=headers or {})
        res = conn.getresponse()
        body = res.read()
        return res.status, {k.lower(): v for k, v in res.getheaders()}, body
    finally:
        conn.close()


def first_200(port, path, deadline):
    """Polls until `GET path` answers 200; returns time.perf_counter() at that moment."""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    while time.perf_counter() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1.0) as s:
                s.sendall(request)
                head = s.recv(64)
                if head.startswith(b"HTTP/1.1 200"):
                    return time.perf_counter()
        except OSError:
            pass
        time.sleep(0.0002)
    return None


class Server:
    """A server process pinned to one core, with its output appended to a log file."""

    def __init__(self, name, argv, env, cwd, core, log_dir):
        self.name = name
        self.port = free_port()
        self.log_path = Path(log_dir) / f"{name}.log"
        port = str(self.port)
        self.argv = ["taskset", "-c", str(core)] + [a.replace("{port}", port) for a in argv]
        if NICE:
            self.argv = ["nice", "-n", str(NICE)] + self.argv
        self.env = {k: v.replace("{port}", port) for k, v in env.items()}
        self.cwd = cwd
        self.proc = None

    def start(self, timeout=30.0):
        # O_APPEND, so that truncating the file between runs leaves no hole in it.
        out = open(self.log_path, "ab")
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            self.argv, env=self.env, cwd=self.cwd, stdout=out, stderr=out,
            stdin=subprocess.DEVNULL,
        )
        out.close()
        at = first_200(self.port, "/healthz", started + timeout)
        if at is None or self.proc.poll() is not None:
            self.stop()
            tail = self.log_path.read_text(errors="replace")[-2000:]
            raise BenchError(f"{self.name} did not answer GET /healthz 200:\n{tail}")
        return (at - started) * 1000.0

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def status(self, field):
        """A field of /proc/PID/status (VmRSS, VmHWM) in bytes."""
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
        raise BenchError(f"no {field} for {self.name}")

    def cpu_seconds(self):
        """(user, system) CPU time the server has used so far."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        tick = os.sysconf("SC_CLK_TCK")
        return int(fields[11]) / tick, int(fields[12]) / tick

    def log_bytes(self):
        return self.log_path.stat().st_size

    def truncate_log(self):
        os.truncate(self.log_path, 0)


def backend_server(args, env_name, log_dir, cwd, rust_log="info", name=None):
    env = base_env()
    env.update({
        "ENV": env_name,
        "APP_CONFIG_DIR": str(args.root / "config"),
        "APP__SERVER__HOST": "127.0.0.1",
        "APP__SERVER__PORT": "{port}",
        "RUST_LOG": rust_log,
    })
    name = name or f"backend-{env_name}"
    return Server(name, [str(args.backend)], env, cwd, args.server_core, log_dir)


def peer_server(args, name, policy, access_log, log_dir):
    env = base_env()
    env["BENCH_PEER_POLICY"] = json.dumps(policy)
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # no __pycache__ in scripts/bench
    argv = [
        sys.executable, "-m", "uvicorn", "peer_app:app",
        "--host", "127.0.0.1", "--port", "{port}",
        "--loop", "uvloop", "--http", "httptools", "--workers", "1",
    ]
    if not access_log:
        argv.append("--no-access-log")
    return Server(name, argv, env, str(args.root / "scripts" / "bench"), args.server_core, log_dir)


def base_env():
    """The caller's environment minus the backend's settings, which would skew it."""
    return {
        k: v for k, v in os.environ.items()
        if not k.startswith("APP__") and k not in ("ENV", "APP_CONFIG_DIR", "RUST_LOG")
    }


# --------------------------------------------------------------------------- contenders


class Contender:
    def __init__(self, key, label, server, method, path, headers, expect):
        self.key = key
        self.label = label
        self.server = server
        self.method = method
        self.path = path
        self.headers = headers
        self.expect = expect  # (status, ACAO or None)

    def check(self):
        """One request before measuring: the contender must answer what it claims to."""
        status, headers, body = http_request(self.server.port, self.method, self.path, self.headers)
        want_status, want_acao = self.expect
        acao = headers.get("access-control-allow-origin")
        if status != want_status or acao != want_acao:
            raise BenchError(
                f"{self.label}: expected {want_status} with ACAO {want_acao!r}, "
                f"got {status} with ACAO {acao!r}: {body[:200]!r}"
            )
        return status, headers, body


def preflight_headers(origin):
    return {
        "Origin": origin,
        "Access-Control-Request-Method": PREFLIGHT_METHOD,
        "Access-Control-Request-Headers": PREFLIGHT_HEADERS,
    }


def contenders(prod, dev, prod_warn, peer, peer_quiet):
    c = []
    for server, env_name, origin in ((prod, "production", PROD_ORIGIN), (dev, "development", DEV_ORIGIN)):
        short = {"production": "prod", "development": "dev"}[env_name]
        c += [
            Contender(f"{short}_preflight", f"backend {env_name}: preflight", server,
                      "OPTIONS", "/api/items", preflight_headers(origin), (200, origin)),
            Contender(f"{short}_get_origin", f"backend {env_name}: GET with Origin", server,
                      "GET", "/api/items", {"Origin": origin}, (200, origin)),
            Contender(f"{short}_get_no_origin", f"backend {env_name}: GET without Origin", server,
                      "GET", "/api/items", {}, (200, None)),
        ]
    c.append(Contender("prod_preflight_refused", "backend production: refused preflight", prod,
                       "OPTIONS", "/api/items", preflight_headers(REFUSED_ORIGIN), (400, None)))
    c += [
        Contender("prod_warn_get_origin", "backend production, RUST_LOG=warn: GET with Origin",
                  prod_warn, "GET", "/api/items", {"Origin": PROD_ORIGIN}, (200, PROD_ORIGIN)),
        Contender("prod_warn_get_no_origin", "backend production, RUST_LOG=warn: GET without Origin",
                  prod_warn, "GET", "/api/items", {}, (200, None)),
    ]
    for server, what in ((peer, "access log on"), (peer_quiet, "access log off")):
        key = "peer" if server is peer else "peer_quiet"
        c += [
            Contender(f"{key}_preflight", f"FastAPI peer ({what}): preflight", server,
                      "OPTIONS", "/api/items", preflight_headers(PROD_ORIGIN), (200, PROD_ORIGIN)),
            Contender(f"{key}_get_origin", f"FastAPI peer ({what}): GET with Origin", server,
                      "GET", "/api/items", {"Origin": PROD_ORIGIN}, (200, PROD_ORIGIN)),
        ]
    return c


def run_wrk(args, server, method, path, headers, seconds):
    argv = (["nice", "-n", str(NICE)] if NICE else []) + [
        "taskset", "-c", str(args.client_core), "wrk",
        "-t1", f"-c{args.connections}", f"-d{seconds}s", "--timeout", "2s",
        "-s", str(args.root / "scripts" / "bench" / "wrk_report.lua"),
    ]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    argv.append(f"http://127.0.0.1:{server.port}{path}")
    env = dict(os.environ, BENCH_METHOD=method)
    out = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=seconds + 60)
    if out.returncode != 0:
        raise BenchError(f"wrk failed ({out.returncode}): {out.stdout.strip()} {out.stderr.strip()}")
    report = None
    for line in out.stdout.splitlines():
        if line.startswith("{"):
            report = json.loads(line)
    if report is None:
        raise BenchError(f"wrk printed no report:\n{out.stdout}")
    report["rps"] = report["requests"] / (report["duration_us"] / 1e6)
    return report


class RssSampler:
    """Samples a server's RSS every 100 ms while a load runs."""

    def __init__(self, server):
        self.server = server
        self.samples = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.wait(0.1):
            self.samples.append(self.server.status("VmRSS"))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def last_recorded_id(server):
    status, _, body = http_request(server.port, "GET", "/lab/exchanges")
    if status != 200:
        raise BenchError(f"GET /lab/exchanges answered {status}")
    exchanges = json.loads(body)
    return (exchanges[-1]["id"] if exchanges else 0), len(exchanges)


# --------------------------------------------------------------------------- figures


def spread(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def versions(args):
    def cmd(argv):
        try:
            return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return "unknown"

    lock = (args.root / "Cargo.lock").read_text()

    def crate(name):
        m = re.search(rf'name = "{re.escape(name)}"\nversion = "([^"]+)"', lock)
        return m.group(1) if m else "unknown"

    def py(name):
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "unknown"

    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "rustc": cmd(["rustc", "--version"]),
        "backend": crate("backend"),
        "actix-web": crate("actix-web"),
        "actix-cors": crate("actix-cors"),
        "wrk": cmd(["wrk", "-v"]).splitlines()[0] if shutil.which("wrk") else "missing",
        "python": platform.python_version(),
        "fastapi": py("fastapi"),
        "starlette": py("starlette"),
        "uvicorn": py("uvicorn"),
        "uvloop": py("uvloop"),
        "httptools": py("httptools"),
        "kernel": platform.release(),
        "cpu": cpu,
        "git": cmd(["git", "-C", str(args.root), "rev-parse", "--short", "HEAD"]),
    }


# --------------------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--root", type=Path, required=True)
    ap.add_argument("--backend", type=Path, required=True)
    ap.add_argument("--duration", type=int, help="seconds per measurement")
    ap.add_argument("--warmup", type=int, help="seconds of load before each")
    ap.add_argument("--rounds", type=int)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--startups", type=int, help="process starts timed")
    ap.add_argument("--server-core", type=int, default=1)
    ap.add_argument("--client-core", type=int, default=0)
    ap.add_argument("--out-dir", type=Path, required=True)
    ap.add_argument("--quick", action="store_true", help="short rounds, for development")
    ap.add_argument("--render", type=Path, metavar="JSON",
                    help="only rewrite the markdown from a benchmarks.json of an earlier run")
    args = ap.parse_args()
    if args.render:
        result = json.loads(args.render.read_text())
        result["goals"] = goals(result)
        markdown = render(result)
        (args.out_dir / "benchmarks.md").write_text(markdown)
        print(markdown)
        return
    # Defaults: the (10 s per measurement, several rounds), or short ones.
    defaults = {"duration": 2, "warmup": 1, "rounds": 2, "startups": 3} if args.quick else \
        {"duration": 10, "warmup": 1, "rounds": 5, "startups": 7}
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    args.root = args.root.resolve()

    cores = os.cpu_count()
    if args.server_core == args.client_core or max(args.server_core, args.client_core) >= cores:
        raise BenchError(f"need two distinct cores below {cores} for server and load")
    started_at = datetime.datetime.now(datetime.timezone.utc)
    load_before = os.getloadavg()
    info = versions(args)
    work = Path(tempfile.mkdtemp(prefix="cors-lab-bench-"))
    # The backend reads a .env from its working directory or a parent: run it from
    # an empty directory so that a developer's .env cannot change the figures.
    cwd = work / "cwd"
    cwd.mkdir()
    servers = []
    try:
        result = measure(args, work, cwd, servers)
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    result["meta"] = {
        "date": started_at.strftime("%Y-%m-%d %H:%M UTC"),
        "cores": cores,
        "load_average_before": [round(x, 2) for x in load_before],
        "server_core": args.server_core,
        "client_core": args.client_core,
        "connections": args.connections,
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "rounds": args.rounds,
        "quick": args.quick,
        "nice": NICE,
        "wall_clock_s": round((datetime.datetime.now(datetime.timezone.utc) - started_at).total_seconds()),
        "versions": info,
    }
    result["goals"] = goals(result)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "benchmarks.json").write_text(json.dumps(result, indent=2) + "\n")
    markdown = render(result)
    (args.out_dir / "benchmarks.md").write_text(markdown)
    print(markdown)


def measure(args, work, cwd, servers):
    result = {}

    # 1. Time from process start to the first 200, on fresh processes.
    startup_ms = []
    for _ in range(args.startups):
        probe = backend_server(args, "production", work, cwd)
        try:
            startup_ms.append(probe.start())
        finally:
            probe.stop()
    result["first_200_ms"] = {**spread(startup_ms), "runs": startup_ms}
    log(f"first 200 after {statistics.median(startup_ms):.1f} ms (median of {len(startup_ms)})")

    # 2. The servers, all pinned to the server core; only one is under load at a time.
    prod = backend_server(args, "production", work, cwd)
    dev = backend_server(args, "development", work, cwd)
    prod_warn = backend_server(args, "production", work, cwd, "warn", "backend-production-warn")
    for server in (prod, dev, prod_warn):
        servers.append(server)
        server.start()
    _, _, body = http_request(prod.port, "GET", "/api/policy")
    policy = json.loads(body)
    peer = peer_server(args, "peer", policy, True, work)
    peer_quiet = peer_server(args, "peer-quiet", policy, False, work)
    for server in (peer, peer_quiet):
        servers.append(server)
        server.start()
    capacity = None

    # 3. Memory: idle, then 100k recorded exchanges at full connection count.
    rss_idle = prod.status("VmRSS")
    origin_get = {"Origin": PROD_ORIGIN}
    with RssSampler(prod) as filling:
        deadline = time.monotonic() + 120
        recorded = 0
        while recorded < RECORDED_FOR_RSS:
            if time.monotonic() > deadline:
                raise BenchError(f"only {recorded} exchanges recorded in 120 s")
            run_wrk(args, prod, "GET", "/api/items", origin_get, 2)
            recorded, capacity = last_recorded_id(prod)
    prod.truncate_log()
    rss_after_100k = prod.status("VmRSS")
    log(f"RSS idle {rss_idle / MIB:.1f} MiB, after {recorded} exchanges {rss_after_100k / MIB:.1f} MiB")

    # 4. Throughput and latency, every contender once per round.
    bodies = {}
    cs = contenders(prod, dev, prod_warn, peer, peer_quiet)
    for c in cs:
        bodies[c.key] = c.check()
    same_body = json.loads(bodies["prod_get_origin"][2]) == json.loads(bodies["peer_get_origin"][2])
    if not same_body:
        raise BenchError("the peer's GET /api/items body differs from the backend's")
    runs = {c.key: [] for c in cs}
    rss_load = []
    for r in range(args.rounds):
        for c in cs:
            if args.warmup > 0:
                run_wrk(args, c.server, c.method, c.path, c.headers, args.warmup)
            c.server.truncate_log()
            user_before, sys_before = c.server.cpu_seconds()
            with RssSampler(c.server) as sampler:
                report = run_wrk(args, c.server, c.method, c.path, c.headers, args.duration)
            # The server's own CPU time per request: unlike requests/s, it moves little
            # when other work on the machine takes turns on the server's core.
            user_after, sys_after = c.server.cpu_seconds()
            served = max(report["requests"], 1)
            report["user_us_per_request"] = (user_after - user_before) * 1e6 / served
            report["sys_us_per_request"] = (sys_after - sys_before) * 1e6 / served
            report["cpu_us_per_request"] = report["user_us_per_request"] + report["sys_us_per_request"]
            report["log_bytes_per_request"] = c.server.log_bytes() / max(report["requests"], 1)
            c.server.truncate_log()
            if c.server is prod:
                rss_load += sampler.samples
            runs[c.key].append(report)
            log(f"round {r + 1}/{args.rounds} {c.label}: {report['rps']:,.0f} req/s, "
                f"p99 {report['latency_us']['p99'] / 1000:.2f} ms, "
                f"{report['cpu_us_per_request']:.1f} CPU µs/request")

    total_recorded, kept = last_recorded_id(prod)
    rss_end = prod.status("VmRSS")
    result["memory"] = {
        "rss_idle_mib": rss_idle / MIB,
        "rss_filling_max_mib": max(filling.samples, default=rss_after_100k) / MIB,
        "exchanges_recorded_before": recorded,
        "rss_after_100k_mib": rss_after_100k / MIB,
        "rss_under_load_max_mib": max(rss_load) / MIB,
        "rss_under_load_median_mib": statistics.median(rss_load) / MIB,
        "rss_end_mib": rss_end / MIB,
        "rss_peak_hwm_mib": prod.status("VmHWM") / MIB,
        "exchanges_recorded_total": total_recorded,
        "exchanges_kept": kept,
        "recorder_capacity_seen": capacity,
    }
    result["contenders"] = {}
    for c in cs:
        reports = runs[c.key]
        result["contenders"][c.key] = {
            "label": c.label,
            "request": {"method": c.method, "path": c.path, "headers": c.headers},
            "expected_status": c.expect[0],
            "rps": spread([x["rps"] for x in reports]),
            "p99_ms": spread([x["latency_us"]["p99"] / 1000 for x in reports]),
            "p50_ms": spread([x["latency_us"]["p50"] / 1000 for x in reports]),
            "cpu_us_per_request": spread([x["cpu_us_per_request"] for x in reports]),
            "user_us_per_request": spread([x["user_us_per_request"] for x in reports]),
            "sys_us_per_request": spread([x["sys_us_per_request"] for x in reports]),
            "socket_errors": sum(sum(v for k, v in x["errors"].items() if k != "status") for x in reports),
            "non_2xx": sum(x["errors"]["status"] for x in reports),
            "log_bytes_per_request": statistics.median(x["log_bytes_per_request"] for x in reports),
            "rounds": reports,
        }
    result["ratios"] = ratios(result["contenders"])
    return result


RATIOS = [
    ("prod_preflight", "peer_quiet_preflight", "preflight: backend (production) / FastAPI peer, access log off"),
    ("prod_preflight", "peer_preflight", "preflight: backend (production) / FastAPI peer, access log on"),
    ("prod_get_origin", "prod_get_no_origin", "production: GET with Origin / without"),
    ("dev_get_origin", "dev_get_no_origin", "development: GET with Origin / without"),
    ("prod_warn_get_origin", "prod_warn_get_no_origin", "production, RUST_LOG=warn: GET with Origin / without"),
    ("prod_preflight_refused", "prod_preflight", "production: refused preflight / allowed preflight"),
    ("prod_get_origin", "peer_quiet_get_origin", "GET with Origin: backend (production) / FastAPI peer, access log off"),
    ("prod_get_origin", "peer_get_origin", "GET with Origin: backend (production) / FastAPI peer, access log on"),
]


def ratios(cs):
    out = {}
    for a, b, label in RATIOS:
        per_round = [x["rps"] / y["rps"] for x, y in zip(cs[a]["rounds"], cs[b]["rounds"])]
        out[f"{a}/{b}"] = {
            "label": label,
            "of_medians": cs[a]["rps"]["median"] / cs[b]["rps"]["median"],
            "per_round": spread(per_round),
            # The same comparison by the servers' CPU time per request: what the
            # throughput ratio would be if each server had its core to itself.
            "by_cpu_time": cs[b]["cpu_us_per_request"]["median"] / cs[a]["cpu_us_per_request"]["median"],
        }
    return out


def goals(result):
    r, cs, mem = result["ratios"], result["contenders"], result["memory"]
    backend_keys = [k for k in cs if not k.startswith("peer")]
    worst_p99_key = max(backend_keys, key=lambda k: cs[k]["p99_ms"]["median"])
    prod_ratio = r["prod_get_origin/prod_get_no_origin"]
    dev_ratio = r["dev_get_origin/dev_get_no_origin"]
    warn_ratio = r["prod_warn_get_origin/prod_warn_get_no_origin"]
    info_ratio = min(prod_ratio["of_medians"], dev_ratio["of_medians"])
    preflight = r["prod_preflight/peer_quiet_preflight"]
    rss = mem["rss_under_load_max_mib"]
    first = result["first_200_ms"]["median"]
    bounded = (mem["exchanges_kept"] == mem["recorder_capacity_seen"]
               and mem["exchanges_recorded_total"] > mem["exchanges_kept"])
    return [
        {"goal": f"preflight throughput ≥ {GOAL_PREFLIGHT_VS_PEER:g}× the FastAPI peer's",
         "figure": f"{preflight['of_medians']:.1f}× against the peer with its access log off "
                   f"(by CPU time {preflight['by_cpu_time']:.1f}×); "
                   f"{r['prod_preflight/peer_preflight']['of_medians']:.1f}× with it on",
         "met": preflight["of_medians"] >= GOAL_PREFLIGHT_VS_PEER},
        {"goal": f"GET with Origin ≥ {GOAL_ORIGIN_VS_NO_ORIGIN:g}× the same GET without, "
                 "at RUST_LOG=info (the default: one log line per request with Origin)",
         "figure": f"{info_ratio:.2f}×, the lower of production {prod_ratio['of_medians']:.2f}× and "
                   f"development {dev_ratio['of_medians']:.2f}× (by CPU time "
                   f"{prod_ratio['by_cpu_time']:.2f}× and {dev_ratio['by_cpu_time']:.2f}×)",
         "met": info_ratio >= GOAL_ORIGIN_VS_NO_ORIGIN},
        {"goal": f"GET with Origin ≥ {GOAL_ORIGIN_VS_NO_ORIGIN:g}× the same GET without, "
                 "at RUST_LOG=warn (only refused preflights are logged)",
         "figure": f"{warn_ratio['of_medians']:.2f}× (by CPU time {warn_ratio['by_cpu_time']:.2f}×)",
         "met": warn_ratio["of_medians"] >= GOAL_ORIGIN_VS_NO_ORIGIN},
        {"goal": f"p99 < {GOAL_P99_MS:g} ms at 64 connections",
         "figure": f"{cs[worst_p99_key]['p99_ms']['median']:.2f} ms, the highest median p99 of the "
                   f"backend's contenders ({cs[worst_p99_key]['label']})",
         "met": cs[worst_p99_key]["p99_ms"]["median"] < GOAL_P99_MS},
        {"goal": f"RSS < {GOAL_RSS_MIB:g} MiB at 64 connections with a full recorder",
         "figure": f"{rss:.1f} MiB, the highest sample under load; "
                   f"recorder {'bounded' if bounded else 'NOT bounded'}: "
                   f"{mem['exchanges_kept']} kept of {mem['exchanges_recorded_total']:,} recorded",
         "met": rss < GOAL_RSS_MIB and bounded},
        {"goal": f"first 200 < {GOAL_FIRST_200_MS:g} ms after start",
         "figure": f"{first:.1f} ms (median of {len(result['first_200_ms']['runs'])} starts)",
         "met": first < GOAL_FIRST_200_MS},
    ]


def render(res):
    m, cs, mem = res["meta"], res["contenders"], res["memory"]
    v = m["versions"]
    nice = f", at niceness {m['nice']}" if m["nice"] else ""
    lines = [
        "# Benchmarks",
        "",
        f"Generated by `scripts/bench.sh` on {m['date']} (commit `{v['git']}`, "
        f"{m['wall_clock_s'] // 60} min {m['wall_clock_s'] % 60} s)"
        + (" with `--quick`: short rounds, for development only." if m["quick"] else "."),
        "",
        f"- Machine: {m['cores']} cores ({v['cpu']}), Linux {v['kernel']}; load average "
        f"{m['load_average_before'][0]:.2f} when the run began.",
        f"- Load: wrk on core {m['client_core']}, every server on core {m['server_core']} "
        f"(`taskset`{nice}); {m['connections']} keep-alive connections, "
        f"{m['duration_s']:g} s per measurement after {m['warmup_s']:g} s of warm-up; "
        f"{m['rounds']} round{'s' if m['rounds'] != 1 else ''}, each measuring every "
        "contender once, back to back. "
        "Figures are the median of the rounds, with their min–max.",
        "- Backend: release build, one actix worker (it sees one core); `RUST_LOG=info`, "
        "the default, unless the row says otherwise: one log line per request that carries "
        "`Origin`, written to a file as a log collector would receive it.",
        f"- Peer: FastAPI {v['fastapi']}, Starlette {v['starlette']} `CORSMiddleware` given "
        f"the backend's own production policy (read from `GET /api/policy`), the same "
        f"`/api/items` body and headers; uvicorn {v['uvicorn']} with uvloop {v['uvloop']} and "
        f"httptools {v['httptools']}, one worker, Python {v['python']}; measured with "
        "uvicorn's access log on (its default, one line per request) and off.",
        f"- Versions: {v['rustc']}, actix-web {v['actix-web']}, actix-cors {v['actix-cors']}, "
        f"{v['wrk']}.",
        "",
        "## How to read this",
        "",
        "Requests/s and latency depend on everything else the machine is doing, so compare "
        "ratios, not absolute numbers: every ratio is between contenders measured in the "
        "same run, round by round. *CPU µs/request* is the server's own CPU time (user + "
        "system) divided by the requests it answered; it moves much less than requests/s "
        "when other work shares the core, and the ratios are also given by that measure. "
        "*Core used* is requests/s × CPU µs/request: well below 100 %, the server was "
        "waiting, for wrk or for its turn on a busy core, and requests/s measures the "
        "machine more than the server. "
        "At 64 connections the latency is mostly queueing: on average a request waits for "
        "the 63 others, so p99 follows throughput.",
        "",
        "## Throughput and latency",
        "",
        "| Contender | Requests/s (median) | min–max | p99 ms (median) | p99 min–max "
        "| CPU µs/request (user + system) | core used | non-2xx |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in cs.values():
        rps, p99, cpu = c["rps"], c["p99_ms"], c["cpu_us_per_request"]
        lines.append(
            f"| {c['label']} | {rps['median']:,.0f} | {rps['min']:,.0f}–{rps['max']:,.0f} "
            f"| {p99['median']:.2f} | {p99['min']:.2f}–{p99['max']:.2f} "
            f"| {cpu['median']:.1f} ({c['user_us_per_request']['median']:.1f} + "
            f"{c['sys_us_per_request']['median']:.1f}) "
            f"| {rps['median'] * cpu['median'] / 1e6:.0%} | {c['non_2xx']:,} |"
        )
    lines += [
        "",
        "Non-2xx answers are expected only for the refused preflight (400). The preflight asks "
        f"for `{PREFLIGHT_METHOD}` with `{PREFLIGHT_HEADERS}`, as a browser does before a JSON "
        f"`POST` with `X-Request-Id`; production is called from `{PROD_ORIGIN}`, development "
        f"from `{DEV_ORIGIN}`, the refused preflight from `{REFUSED_ORIGIN}`.",
        "",
        "## Ratios",
        "",
        "| Ratio of requests/s | of the medians | per round, min–max | by CPU µs/request |",
        "|---|---:|---:|---:|",
    ]
    for r in res["ratios"].values():
        lines.append(f"| {r['label']} | {r['of_medians']:.2f}× "
                     f"| {r['per_round']['min']:.2f}–{r['per_round']['max']:.2f}× "
                     f"| {r['by_cpu_time']:.2f}× |")
    f2 = res["first_200_ms"]
    lines += [
        "",
        "## Memory and start-up (backend, production config, RUST_LOG=info)",
        "",
        "| Figure | Value |",
        "|---|---:|",
        f"| RSS idle, after start | {mem['rss_idle_mib']:.1f} MiB |",
        f"| RSS after {mem['exchanges_recorded_before']:,} recorded exchanges "
        f"| {mem['rss_after_100k_mib']:.1f} MiB |",
        f"| RSS under load, 64 connections, full recorder (median / highest sample) "
        f"| {mem['rss_under_load_median_mib']:.1f} / {mem['rss_under_load_max_mib']:.1f} MiB |",
        f"| RSS at the end, after {mem['exchanges_recorded_total']:,} recorded exchanges "
        f"| {mem['rss_end_mib']:.1f} MiB |",
        f"| Exchanges kept by the recorder (`recorder.capacity`) | {mem['exchanges_kept']} |",
        f"| Start to first `200` (median, min–max of {len(f2['runs'])}) "
        f"| {f2['median']:.1f} ms ({f2['min']:.1f}–{f2['max']:.1f}) |",
        "",
        "## Goals (issue 7)",
        "",
        "| Goal | Figure | |",
        "|---|---|---|",
    ]
    for g in res["goals"]:
        lines.append(f"| {g['goal']} | {g['figure']} | {'met' if g['met'] else '**not met**'} |")
    lines += ["", "## Where the time goes (figures of this run)", ""]
    lines += [f"- {note}" for note in notes(res)]
    lines += [
        "",
        "Raw figures, every round included: [`benchmarks.json`](benchmarks.json).",
        "",
    ]
    return "\n".join(lines)


def notes(res):
    """Sentences that explain the goals from this run's own CPU figures."""
    cs = res["contenders"]

    def cpu(key, part="cpu"):
        return cs[key][f"{part}_us_per_request"]["median"]

    peer = cpu("peer_quiet_preflight")
    floor = cpu("prod_get_no_origin", "sys")
    log_cost = cpu("prod_get_origin") - cpu("prod_warn_get_origin")
    record_cost = cpu("prod_warn_get_origin") - cpu("prod_warn_get_no_origin")
    worst = max((k for k in cs if not k.startswith("peer")), key=lambda k: cs[k]["p99_ms"]["median"])
    share = cs[worst]["rps"]["median"] * cpu(worst) / 1e6
    conns = res["meta"]["connections"]
    return [
        f"Preflight: the peer spends {peer:.1f} µs of CPU on one (access log off), the backend "
        f"{cpu('prod_preflight'):.1f} µs ({cpu('prod_preflight', 'user'):.1f} in its own code and "
        f"libraries, {cpu('prod_preflight', 'sys'):.1f} in the kernel). The kernel's share of "
        f"any request here (receiving it and sending the answer over loopback TCP) is about "
        f"{floor:.1f} µs, the system time of a `GET` without `Origin`: even a server that spent "
        f"nothing in user space would answer only about {peer / floor:.1f}× as many preflights "
        "as the peer on this machine.",
        f"`GET` with `Origin` costs {record_cost:.1f} µs more CPU than without at RUST_LOG=warn "
        f"(building the exchange, recording it, the CORS headers), and the info-level log line "
        f"{log_cost:.1f} µs more (formatting, and one `write` to the log per request).",
        f"Latency: at {conns} connections a request waits for the ones ahead of it, so the "
        f"mean latency is about {conns} / requests per second. In the slowest row "
        f"({cs[worst]['label']}), the server used {share:.0%} of its core: the rest went to "
        "other work on the machine, which is what the p99 measures here.",
    ]


if __name__ == "__main__":
    try:
        main()
    except BenchError as error:
        log(f"error: {error}")
        sys.exit(1)
