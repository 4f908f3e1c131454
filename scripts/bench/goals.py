"""Judging a run: each goal met or not against the run's own figures, and where the
time goes, in sentences computed from the same figures."""

from measure import SMALL_RECORDER

# Goals of issue 15 (the ceiling, the cost of Origin, latency, memory, the peer) and
# issue 7 (start-up).
GOAL_PREFLIGHT_VS_CEILING = 0.9
GOAL_ORIGIN_VS_NO_ORIGIN = 0.9
GOAL_P99_MS = 5.0
GOAL_RSS_MIB = 16.0
GOAL_PREFLIGHT_VS_PEER = 4.5
GOAL_FIRST_200_MS = 50.0
# Issue 22: the recorder bounded by bytes. Before, this case reached 1.1 GB.
GOAL_BURST_RSS_MIB = 48.0


def backend_keys(cs):
    return [k for k in cs if k.startswith(("prod", "dev"))]


def worst_p99(cs):
    return max(backend_keys(cs), key=lambda k: cs[k]["p99_ms"]["median"])


def by_cpu(ratio):
    """A ratio goal's figure: judged by CPU time per request, which is what the
    requests/s ratio comes to when each server has its core to itself, and which a
    busy machine disturbs far less than requests/s."""
    return (f"{ratio['by_cpu_time']:.2f}× by CPU time per request "
            f"({ratio['of_medians']:.2f}× by requests/s)")


def goals(result):
    """Every goal the run has figures for: a `--only burst` run over an old report
    without that case, or an out-dir with no earlier run, judges what it has."""
    judged = throughput_goals(result) if "contenders" in result else []
    if "burst" in result:
        judged.append(burst_goal(result["burst"]))
    return judged


def burst_goal(b):
    # The kernel updates VmHWM lazily: a sample may be above it.
    peak = max(b["rss_peak_hwm_mib"], b["rss_highest_sample_mib"])
    return {
        "goal": f"RSS ≤ {GOAL_BURST_RSS_MIB:g} MiB after {b['requests']} requests of "
                f"{b['request_bytes'] / 1000:.0f} KB and {b['readers']} clients that leave "
                "`/lab/exchanges` unread (issue 22; 1.1 GB before)",
        "figure": f"{peak:.1f} MiB at the peak; "
                  f"{b['rss_mib']['readers_holding']:.1f} MiB while the readers held their answers",
        "met": peak <= GOAL_BURST_RSS_MIB,
    }


def throughput_goals(result):
    r, cs, mem = result["ratios"], result["contenders"], result["memory"]
    ceiling = r["prod_preflight/ceiling_preflight"]
    ceiling_warn = r["prod_warn_preflight/ceiling_preflight"]
    prod_ratio = r["prod_get_origin/prod_get_no_origin"]
    dev_ratio = r["dev_get_origin/dev_get_no_origin"]
    origin_ratio = min((prod_ratio, dev_ratio), key=lambda x: x["by_cpu_time"])
    worst = worst_p99(cs)
    p99 = cs[worst]["p99_ms"]["median"]
    rss = mem["rss_under_load_max_mib"]
    bounded = (mem["exchanges_kept"] == mem["recorder_capacity_seen"]
               and mem["exchanges_recorded_total"] > mem["exchanges_kept"])
    peer = r["prod_preflight/peer_quiet_preflight"]
    first = result["first_200_ms"]["median"]
    return [
        {"goal": f"preflight ≥ {GOAL_PREFLIGHT_VS_CEILING:g}× actix-cors alone with the same "
                 "policy, at the default log level",
         "figure": f"{by_cpu(ceiling)}; at RUST_LOG=warn {by_cpu(ceiling_warn)}",
         "met": ceiling["by_cpu_time"] >= GOAL_PREFLIGHT_VS_CEILING},
        {"goal": f"GET with Origin ≥ {GOAL_ORIGIN_VS_NO_ORIGIN:g}× the same GET without, at the "
                 "default log level (one line per CORS decision)",
         "figure": f"{by_cpu(origin_ratio)}, the lower of production "
                   f"({prod_ratio['by_cpu_time']:.2f}×) and development "
                   f"({dev_ratio['by_cpu_time']:.2f}×); actix-cors alone: "
                   f"{r['ceiling_get_origin/ceiling_get_no_origin']['by_cpu_time']:.2f}×",
         "met": origin_ratio["by_cpu_time"] >= GOAL_ORIGIN_VS_NO_ORIGIN},
        {"goal": f"p99 < {GOAL_P99_MS:g} ms at 64 connections",
         "figure": f"{p99:.2f} ms, the highest median p99 of the backend's rows "
                   f"({cs[worst]['label']})",
         "met": p99 < GOAL_P99_MS},
        {"goal": f"RSS < {GOAL_RSS_MIB:g} MiB at 64 connections with a full recorder",
         "figure": f"{rss:.1f} MiB, the highest sample under load; "
                   f"recorder {'bounded' if bounded else 'NOT bounded'}: "
                   f"{mem['exchanges_kept']} kept of {mem['exchanges_recorded_total']:,} recorded",
         "met": rss < GOAL_RSS_MIB and bounded},
        {"goal": f"preflights ≥ {GOAL_PREFLIGHT_VS_PEER:g}× FastAPI/Starlette's",
         "figure": f"{by_cpu(peer)} against the peer with its access log off; "
                   f"{r['prod_preflight/peer_preflight']['by_cpu_time']:.2f}× with it on",
         "met": peer["by_cpu_time"] >= GOAL_PREFLIGHT_VS_PEER},
        {"goal": f"first 200 < {GOAL_FIRST_200_MS:g} ms after start (issue 7)",
         "figure": f"{first:.1f} ms (median of {len(result['first_200_ms']['runs'])} starts)",
         "met": first < GOAL_FIRST_200_MS},
    ]


def notes(res):
    """Sentences that explain the goals from this run's own CPU figures."""
    cs = res["contenders"]

    def cpu(key, part="cpu"):
        return cs[key][f"{part}_us_per_request"]["median"]

    def extra(key, base):
        return cpu(key) - cpu(base)

    floor = cpu("ceiling_get_no_origin", "sys")
    r_small = res["ratios"]["prod_small_preflight/ceiling_preflight"]["by_cpu_time"]
    worst = worst_p99(cs)
    share = cs[worst]["rps"]["median"] * cpu(worst) / 1e6
    conns = res["meta"]["connections"]
    return [
        f"Preflight: actix-cors alone spends {cpu('ceiling_preflight'):.1f} µs of CPU on one "
        f"({cpu('ceiling_preflight', 'user'):.1f} in user space). The backend spends "
        f"{extra('prod_preflight', 'ceiling_preflight'):.1f} µs more at the default log level "
        f"({cpu('prod_preflight', 'user') - cpu('ceiling_preflight', 'user'):+.1f} µs in user "
        f"space, its own code: see the instruction counts below; "
        f"{cpu('prod_preflight', 'sys') - cpu('ceiling_preflight', 'sys'):+.1f} µs in the kernel), and "
        f"{extra('prod_warn_preflight', 'ceiling_preflight'):.1f} µs more at RUST_LOG=warn, "
        "without the log line: the recorder and the two layers. "
        f"{GOAL_PREFLIGHT_VS_CEILING:g}× the ceiling would allow "
        f"{cpu('ceiling_preflight') * (1 / GOAL_PREFLIGHT_VS_CEILING - 1):.1f} µs more. "
        f"The recorder's memory: with {SMALL_RECORDER} exchanges kept instead of "
        f"{res['memory']['exchanges_kept']} (few enough to stay in the CPU's caches), the same "
        f"preflight costs {extra('prod_small_preflight', 'ceiling_preflight'):.1f} µs more than "
        f"actix-cors alone instead of {extra('prod_preflight', 'ceiling_preflight'):.1f} "
        f"({r_small:.2f}× by CPU time): refilling the oldest of "
        f"{res['memory']['exchanges_kept']} exchanges reads memory no request has touched "
        "for a while. "
        f"The FastAPI peer spends {cpu('peer_quiet_preflight'):.1f} µs (access log off).",
        f"`GET` with `Origin`, over the same `GET` without: actix-cors alone "
        f"{extra('ceiling_get_origin', 'ceiling_get_no_origin'):+.1f} µs (the CORS headers), "
        f"the backend {extra('prod_warn_get_origin', 'prod_warn_get_no_origin'):+.1f} µs at "
        f"RUST_LOG=warn (those headers, building the exchange and recording it) and "
        f"{extra('prod_get_origin', 'prod_get_no_origin'):+.1f} µs at the default level (and the "
        "log line, formatted and handed to the batched log writer). "
        f"{GOAL_ORIGIN_VS_NO_ORIGIN:g}× would allow "
        f"{cpu('prod_get_no_origin') * (1 / GOAL_ORIGIN_VS_NO_ORIGIN - 1):.1f} µs for all of it, "
        "actix-cors's own headers included.",
        f"The kernel's share of every request here (receiving it and sending the answer over "
        f"loopback TCP) is about {floor:.1f} µs, the system time of actix-cors alone answering a "
        f"`GET` without `Origin`: no server on this machine answers faster than about "
        f"{1e6 / floor:,.0f} requests/s on one core.",
        f"Latency: at {conns} connections a request waits for the ones ahead of it, so the "
        f"mean latency is about {conns} / requests per second. In the slowest row "
        f"({cs[worst]['label']}), the server used {share:.0%} of its core: the rest went to "
        "other work on the machine, which is what the p99 measures here.",
    ]
