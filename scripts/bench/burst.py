"""The recorder under a burst of large requests (issue 22, hole 3).

The attack as measured before the fix: 520 GETs, each with a 60 KiB `Origin` and a
60 KiB query (123 KB a request), took the backend from 8.7 MB to 135 MB. Then 8
clients that sent `GET /lab/exchanges` and never read the answer held 1.1 GB. This
case replays it on loopback against the release build and samples the RSS
throughout. Its count and time are bounded: 520 requests on 8 connections, 8 idle
readers, a deadline of 120 s.
"""

import json
import socket
import threading
import time

from servers import BenchError, backend_server, http_request, log

MIB = 1024 * 1024

# The measured attack.
BIG = 60 * 1024
REQUESTS = 520
SENDERS = 8
READERS = 8
DEADLINE_S = 120
# How long the readers hold their unread answers before the RSS is read.
HOLD_S = 2.0
# The largest page a reader may ask for (`Exchange::PAGE_MAX`): the attacker's choice.
PAGE_MAX = 500


def big_origin():
    return "http://" + "o" * (BIG - len("http://.example")) + ".example"


def big_path(n):
    tag = f"/api/items?n={n:04d}&q="
    return tag + "q" * (BIG - len("n=0000&q="))


def send_burst(server):
    """REQUESTS GETs on SENDERS keep-alive connections; every one must answer 200."""
    origin = big_origin()
    numbers = iter(range(REQUESTS))
    lock = threading.Lock()
    failures = []
    deadline = time.monotonic() + DEADLINE_S

    def sender():
        while time.monotonic() < deadline:
            with lock:
                n = next(numbers, None)
            if n is None:
                return
            status, _, body = http_request(server.port, "GET", big_path(n), {"Origin": origin},
                                           timeout=30)
            if status != 200:
                failures.append(f"request {n}: {status} {body[:200]!r}")
                return

    threads = [threading.Thread(target=sender) for _ in range(SENDERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise BenchError("the burst was refused: " + "; ".join(failures[:3]))
    if next(numbers, None) is not None:
        raise BenchError(f"the burst did not finish within {DEADLINE_S} s")


def unread_readers(server):
    """READERS sockets that ask for the largest page and never read the answer. A
    receive buffer as small as the kernel allows, so that the answer waits on the
    server's side, not in the kernel."""
    request = (f"GET /lab/exchanges?limit={PAGE_MAX} HTTP/1.1\r\n"
               f"Host: 127.0.0.1:{server.port}\r\n\r\n").encode()
    readers = []
    for _ in range(READERS):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect(("127.0.0.1", server.port))
        s.sendall(request)
        readers.append(s)
    return readers


def healthz_ms(server):
    started = time.perf_counter()
    status, _, _ = http_request(server.port, "GET", "/healthz")
    if status != 200:
        raise BenchError(f"GET /healthz answered {status} during the burst case")
    return (time.perf_counter() - started) * 1000


def recorder_burst(args, work, cwd, servers):
    """The case's figures: RSS at each step, the ring's bytes, log bytes per request."""
    # Development: the lab's own setting, where the recorder runs by default.
    server = backend_server(args, "development", work, cwd, name="backend-burst")
    servers.append(server)
    server.start()
    rss = {"idle": server.status("VmRSS")}
    samples = []
    stop = threading.Event()

    def sample():
        while not stop.wait(0.05):
            samples.append(server.status("VmRSS"))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    readers = []
    try:
        server.truncate_log()
        started = time.monotonic()
        send_burst(server)
        burst_s = time.monotonic() - started
        log_bytes = server.log_bytes()
        time.sleep(0.5)
        rss["after_burst"] = server.status("VmRSS")
        readers = unread_readers(server)
        time.sleep(HOLD_S)
        rss["readers_holding"] = server.status("VmRSS")
        health = healthz_ms(server)
        _, _, body = http_request(server.port, "GET", "/lab/recorder")
    finally:
        for s in readers:
            s.close()
        stop.set()
        sampler.join()
    time.sleep(0.5)
    rss["readers_gone"] = server.status("VmRSS")
    stats = json.loads(body)
    result = {
        "requests": REQUESTS,
        "request_bytes": len(big_path(0)) + len(big_origin()),
        "senders": SENDERS,
        "readers": READERS,
        "page_max": PAGE_MAX,
        "burst_s": burst_s,
        "rss_mib": {k: v / MIB for k, v in rss.items()},
        "rss_highest_sample_mib": max(samples, default=0) / MIB,
        "rss_peak_hwm_mib": server.status("VmHWM") / MIB,
        "healthz_ms_while_held": health,
        "log_bytes_per_request": log_bytes / REQUESTS,
        "recorder": stats,
    }
    server.stop()
    log(f"burst: RSS idle {result['rss_mib']['idle']:.1f} MiB, after {REQUESTS} requests "
        f"{result['rss_mib']['after_burst']:.1f} MiB, {READERS} unread readers "
        f"{result['rss_mib']['readers_holding']:.1f} MiB, peak {result['rss_peak_hwm_mib']:.1f} MiB; "
        f"ring {stats['kept']} exchanges in {stats['bytes']:,} bytes; "
        f"log {result['log_bytes_per_request']:,.0f} bytes per request")
    return result
