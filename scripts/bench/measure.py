"""Measuring: the contenders, wrk runs, CPU time, memory, and the ratios between them.

Every contender is measured once per round, back to back, so that a ratio compares
two figures taken under the same conditions; the result keeps every round.
"""

import json
import os
import statistics
import subprocess
import threading
import time

from servers import (
    BenchError, NICE, backend_server, ceiling_server, http_request, log, peer_server,
)

MIB = 1024 * 1024

# The origins the shipped config/ allows, and one it does not list.
PROD_ORIGIN = "https://app.example.com"
DEV_ORIGIN = "http://localhost:5173"
REFUSED_ORIGIN = "https://evil.example"

# A browser's preflight before `fetch(url, {method: "POST", headers:
# {"Content-Type": "application/json", "X-Request-Id": ...}})`: sorted, lower-cased.
PREFLIGHT_METHOD = "POST"
PREFLIGHT_HEADERS = "content-type,x-request-id"

RECORDED_FOR_RSS = 100_000

# A recorder this small stays in the CPU's caches; the default (500) does not. The
# difference is what the recorder's memory costs per request.
SMALL_RECORDER = 16

# Production turns the lab's instruments off, and the recorder with them (issue 22).
# The bench measures what the recorder costs, and reads it back: on, as the lab's
# production demo runs it.
LAB_ON = {"APP__LAB__ENABLED": "true"}


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


def request_trio(prefix, label, server, origin):
    """A preflight, a GET with Origin and the same GET without, from `origin`."""
    return [
        Contender(f"{prefix}_preflight", f"{label}: preflight", server,
                  "OPTIONS", "/api/items", preflight_headers(origin), (200, origin)),
        Contender(f"{prefix}_get_origin", f"{label}: GET with Origin", server,
                  "GET", "/api/items", {"Origin": origin}, (200, origin)),
        Contender(f"{prefix}_get_no_origin", f"{label}: GET without Origin", server,
                  "GET", "/api/items", {}, (200, None)),
    ]


def contenders(s):
    """Every measurement of a round, in order; `s` maps a role to its server."""
    c = request_trio("ceiling", "actix-cors alone (production policy)", s["ceiling"], PROD_ORIGIN)
    c += request_trio("prod", "backend production", s["prod"], PROD_ORIGIN)
    c += request_trio("prod_warn", "backend production, RUST_LOG=warn", s["prod_warn"], PROD_ORIGIN)
    c += request_trio("dev", "backend development", s["dev"], DEV_ORIGIN)
    c.append(Contender("prod_small_preflight",
                       f"backend production, recorder.capacity = {SMALL_RECORDER}: preflight",
                       s["prod_small"], "OPTIONS", "/api/items", preflight_headers(PROD_ORIGIN),
                       (200, PROD_ORIGIN)))
    c.append(Contender("prod_preflight_refused", "backend production: refused preflight",
                       s["prod"], "OPTIONS", "/api/items", preflight_headers(REFUSED_ORIGIN),
                       (400, None)))
    for key, what in (("peer", "access log on"), ("peer_quiet", "access log off")):
        c += [
            Contender(f"{key}_preflight", f"FastAPI peer ({what}): preflight", s[key],
                      "OPTIONS", "/api/items", preflight_headers(PROD_ORIGIN), (200, PROD_ORIGIN)),
            Contender(f"{key}_get_origin", f"FastAPI peer ({what}): GET with Origin", s[key],
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
    """(the newest exchange's id, how many the ring keeps), from `GET /lab/recorder`."""
    status, _, body = http_request(server.port, "GET", "/lab/recorder")
    if status != 200:
        raise BenchError(f"GET /lab/recorder answered {status}")
    stats = json.loads(body)
    return stats["last_id"], stats["kept"]


def spread(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def start_servers(args, work, cwd, servers):
    """Every server of the run, started and pinned to the server core; `servers`
    collects them as they start, for the caller to stop whatever happens."""
    s = {
        "ceiling": ceiling_server(args, "production", work, cwd),
        "prod": backend_server(args, "production", work, cwd, settings=LAB_ON),
        "prod_warn": backend_server(args, "production", work, cwd, "warn", "backend-production-warn",
                                    settings=LAB_ON),
        "dev": backend_server(args, "development", work, cwd),
        "prod_small": backend_server(args, "production", work, cwd, name="backend-production-small",
                                     settings={**LAB_ON,
                                               "APP__RECORDER__CAPACITY": str(SMALL_RECORDER)}),
    }
    for server in s.values():
        servers.append(server)
        server.start()
    _, _, body = http_request(s["prod"].port, "GET", "/api/policy")
    policy = json.loads(body)
    s["peer"] = peer_server(args, "peer", policy, True, work)
    s["peer_quiet"] = peer_server(args, "peer-quiet", policy, False, work)
    for key in ("peer", "peer_quiet"):
        servers.append(s[key])
        s[key].start()
    return s


def first_200_ms(args, work, cwd):
    """Time from process start to the first 200, on fresh processes."""
    startup_ms = []
    for _ in range(args.startups):
        probe = backend_server(args, "production", work, cwd)
        try:
            startup_ms.append(probe.start())
        finally:
            probe.stop()
    log(f"first 200 after {statistics.median(startup_ms):.1f} ms (median of {len(startup_ms)})")
    return {**spread(startup_ms), "runs": startup_ms}


def fill_recorder(args, prod):
    """100k recorded exchanges at full connection count: (recorded, capacity, RSS samples)."""
    origin_get = {"Origin": PROD_ORIGIN}
    with RssSampler(prod) as filling:
        deadline = time.monotonic() + 120
        recorded = capacity = 0
        while recorded < RECORDED_FOR_RSS:
            if time.monotonic() > deadline:
                raise BenchError(f"only {recorded} exchanges recorded in 120 s")
            run_wrk(args, prod, "GET", "/api/items", origin_get, 2)
            recorded, capacity = last_recorded_id(prod)
    prod.truncate_log()
    return recorded, capacity, filling.samples


def measure_once(args, c):
    """One measurement of contender `c`: wrk's report plus the server's CPU time."""
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
    report["log_bytes_per_request"] = c.server.log_bytes() / served
    c.server.truncate_log()
    return report, sampler.samples


def measure(args, work, cwd, servers):
    """The whole run: start-up, memory, then every contender once per round."""
    result = {"first_200_ms": first_200_ms(args, work, cwd)}
    s = start_servers(args, work, cwd, servers)
    prod = s["prod"]

    rss_idle = prod.status("VmRSS")
    recorded, capacity, filling = fill_recorder(args, prod)
    rss_after_100k = prod.status("VmRSS")
    log(f"RSS idle {rss_idle / MIB:.1f} MiB, after {recorded} exchanges {rss_after_100k / MIB:.1f} MiB")

    cs = contenders(s)
    bodies = {c.key: c.check() for c in cs}
    for other in ("ceiling_get_origin", "peer_get_origin"):
        if json.loads(bodies["prod_get_origin"][2]) != json.loads(bodies[other][2]):
            raise BenchError(f"{other}: its GET /api/items body differs from the backend's")
    runs = {c.key: [] for c in cs}
    rss_load = []
    for r in range(args.rounds):
        for c in cs:
            report, samples = measure_once(args, c)
            if c.server is prod:
                rss_load += samples
            runs[c.key].append(report)
            log(f"round {r + 1}/{args.rounds} {c.label}: {report['rps']:,.0f} req/s, "
                f"p99 {report['latency_us']['p99'] / 1000:.2f} ms, "
                f"{report['cpu_us_per_request']:.1f} CPU µs/request")

    total_recorded, kept = last_recorded_id(prod)
    result["memory"] = {
        "rss_idle_mib": rss_idle / MIB,
        "rss_filling_max_mib": max(filling, default=rss_after_100k) / MIB,
        "exchanges_recorded_before": recorded,
        "rss_after_100k_mib": rss_after_100k / MIB,
        "rss_under_load_max_mib": max(rss_load) / MIB,
        "rss_under_load_median_mib": statistics.median(rss_load) / MIB,
        "rss_end_mib": prod.status("VmRSS") / MIB,
        "rss_peak_hwm_mib": prod.status("VmHWM") / MIB,
        "exchanges_recorded_total": total_recorded,
        "exchanges_kept": kept,
        "recorder_capacity_seen": capacity,
    }
    result["contenders"] = {c.key: summary(c, runs[c.key]) for c in cs}
    result["ratios"] = ratios(result["contenders"])
    return result


def summary(c, reports):
    """A contender's rounds, as medians with their min-max."""
    return {
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


# (numerator, denominator, label): every ratio the report shows, in its order.
RATIOS = [
    ("prod_preflight", "ceiling_preflight", "preflight: backend / actix-cors alone"),
    ("prod_warn_preflight", "ceiling_preflight", "preflight: backend at RUST_LOG=warn / actix-cors alone"),
    ("prod_get_origin", "ceiling_get_origin", "GET with Origin: backend / actix-cors alone"),
    ("prod_warn_get_origin", "ceiling_get_origin", "GET with Origin: backend at RUST_LOG=warn / actix-cors alone"),
    ("prod_get_no_origin", "ceiling_get_no_origin", "GET without Origin: backend / actix-cors alone"),
    ("prod_get_origin", "prod_get_no_origin", "backend production: GET with Origin / without"),
    ("dev_get_origin", "dev_get_no_origin", "backend development: GET with Origin / without"),
    ("prod_warn_get_origin", "prod_warn_get_no_origin", "backend production, RUST_LOG=warn: GET with Origin / without"),
    ("ceiling_get_origin", "ceiling_get_no_origin", "actix-cors alone: GET with Origin / without"),
    ("prod_small_preflight", "ceiling_preflight", f"preflight: backend with recorder.capacity = {SMALL_RECORDER} / actix-cors alone"),
    ("prod_preflight_refused", "prod_preflight", "backend production: refused preflight / allowed preflight"),
    ("prod_preflight", "peer_quiet_preflight", "preflight: backend / FastAPI peer, access log off"),
    ("prod_preflight", "peer_preflight", "preflight: backend / FastAPI peer, access log on"),
    ("ceiling_preflight", "peer_quiet_preflight", "preflight: actix-cors alone / FastAPI peer, access log off"),
    ("prod_get_origin", "peer_quiet_get_origin", "GET with Origin: backend / FastAPI peer, access log off"),
    ("prod_get_origin", "peer_get_origin", "GET with Origin: backend / FastAPI peer, access log on"),
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
