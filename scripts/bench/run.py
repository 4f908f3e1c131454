"""Measures the backend, actix-cors alone and a FastAPI peer; driven by scripts/bench.sh.

Everything runs on loopback. Servers are pinned to one core and wrk to the other
(`taskset`), every contender is measured once per round, back to back, and the
report gives medians of the rounds with their min-max and ratios between contenders
measured in the same round. Figures go to docs/benchmarks.md and docs/benchmarks.json.

The concerns live in their own files: servers.py starts and stops the servers,
measure.py measures, burst.py replays the large-request attack on the recorder (issue
22; `--only burst` runs it alone), goals.py judges the goals, report.py writes the
markdown; this
file reads the command line and ties them together. Only the standard library is
used; bench.sh runs it with the virtualenv's Python so that the peer's package
versions can be read.
"""

import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from burst import recorder_burst
from goals import goals
from measure import measure
from report import render
from servers import NICE, BenchError, log


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--root", type=Path, required=True)
    ap.add_argument("--backend", type=Path, help="the backend's release binary")
    ap.add_argument("--ceiling", type=Path, help="scripts/bench/ceiling's release binary")
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
    ap.add_argument("--only", choices=["burst"],
                    help="run one case alone: `burst`, the recorder under 520 requests of "
                         "123 KB and 8 unread readers. Its figures replace that case's in the "
                         "out-dir's benchmarks.json, and the markdown is written afresh")
    args = ap.parse_args()
    if not args.render:
        for name in ("backend",) if args.only else ("backend", "ceiling"):
            path = getattr(args, name)
            if path is None or not path.is_file():
                raise BenchError(f"--{name}: expected the path of a built binary, got {path}")
    # Defaults: the (10 s per measurement, several rounds), or short ones.
    defaults = {"duration": 2, "warmup": 1, "rounds": 2, "startups": 3} if args.quick else \
        {"duration": 10, "warmup": 1, "rounds": 5, "startups": 7}
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    args.root = args.root.resolve()
    return args


def main():
    args = parse_args()
    if args.render:
        result = json.loads(args.render.read_text())
        write(args.out_dir, result, with_json=False)
        return

    cores = os.cpu_count()
    if args.server_core == args.client_core or max(args.server_core, args.client_core) >= cores:
        raise BenchError(f"need two distinct cores below {cores} for server and load")
    started_at = datetime.datetime.now(datetime.timezone.utc)
    load_before = os.getloadavg()
    info = versions(args)
    work = Path(tempfile.mkdtemp(prefix="cors-lab-bench-"))
    # The servers read a .env from their working directory or a parent: run them from
    # an empty directory so that a developer's .env cannot change the figures.
    cwd = work / "cwd"
    cwd.mkdir()
    servers = []
    try:
        if args.only == "burst":
            result = earlier_run(args.out_dir)
            result["burst"] = recorder_burst(args, work, cwd, servers)
        else:
            result = measure(args, work, cwd, servers)
            result["burst"] = recorder_burst(args, work, cwd, servers)
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    if args.only:
        # The case carries its own date and commit; the rest of the report keeps its own.
        result["burst"]["meta"] = {
            "date": started_at.strftime("%Y-%m-%d %H:%M UTC"),
            "git": info["git"],
            "load_average_before": [round(x, 2) for x in load_before],
        }
        write(args.out_dir, result, with_json=True)
        return
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
    write(args.out_dir, result, with_json=True)


def earlier_run(out_dir):
    """The figures of the last full run in `out_dir`, if there is one."""
    path = out_dir / "benchmarks.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def write(out_dir, result, with_json):
    """benchmarks.md (and benchmarks.json) in `out_dir`, the goals judged afresh."""
    result["goals"] = goals(result)
    out_dir.mkdir(parents=True, exist_ok=True)
    if with_json:
        (out_dir / "benchmarks.json").write_text(json.dumps(result, indent=2) + "\n")
    markdown = render(result)
    (out_dir / "benchmarks.md").write_text(markdown)
    print(markdown)


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


if __name__ == "__main__":
    try:
        main()
    except BenchError as error:
        log(f"error: {error}")
        sys.exit(1)
