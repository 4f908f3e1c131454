"""Starting and stopping the servers under test, and talking to them.

Every server is a process pinned to the server core (`taskset`), with its output
appended to a log file whose size the measurements read. Only the standard library.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

# Servers and wrk run at this niceness when we may raise priority (root), so that
# background work on a shared machine (builds) disturbs the figures less. BENCH_NICE=0
# turns it off.
NICE = int(os.environ.get("BENCH_NICE", "-10" if os.geteuid() == 0 else "0"))


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


class BenchError(Exception):
    """A real error: the bench cannot produce trustworthy figures."""


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
        """Starts the process; returns the milliseconds until its first `GET /healthz` 200."""
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


def base_env():
    """The caller's environment minus the backend's settings, which would skew it."""
    return {
        k: v for k, v in os.environ.items()
        if not k.startswith("APP__") and k not in ("ENV", "APP_CONFIG_DIR", "RUST_LOG")
    }


def config_env(args, env_name):
    """What the backend and the ceiling read their configuration from."""
    env = base_env()
    env.update({
        "ENV": env_name,
        "APP_CONFIG_DIR": str(args.root / "config"),
        "APP__SERVER__HOST": "127.0.0.1",
        "APP__SERVER__PORT": "{port}",
    })
    return env


def backend_server(args, env_name, log_dir, cwd, rust_log="info", name=None, settings=None):
    env = dict(config_env(args, env_name), RUST_LOG=rust_log, **(settings or {}))
    name = name or f"backend-{env_name}"
    return Server(name, [str(args.backend)], env, cwd, args.server_core, log_dir)


def ceiling_server(args, env_name, log_dir, cwd):
    """actix-web + actix-cors alone, with the backend's policy for `env_name`."""
    env = config_env(args, env_name)
    return Server(f"ceiling-{env_name}", [str(args.ceiling)], env, cwd, args.server_core, log_dir)


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
