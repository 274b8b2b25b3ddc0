#!/usr/bin/env python3
"""Merges chatd-loadgen results (one JSON per run) into the benchmark's report.

    summarize.py --out R.json --markdown T.md --plot-data P.dat [--meta k=v ...] -- run-*.json

Writes the merged JSON (meta, every run, per-cell comparisons, targets with pass/fail), the
Markdown tables of bench/README.md, and the data bench/plot.gp draws. Python 3 stdlib only.
"""
import argparse
import json
import sys

PCTS = ["p50", "p90", "p99", "p99_9", "max"]
# chatd-tcp-relay moves the mock's bytes and nothing else: the floor under any relay's cost.
RELAYS = ["tcp-relay", "chatd", "peer"]
NAMES = {"mock": "mock (floor)", "tcp-relay": "TCP relay (relay floor)", "peer": "Node peer"}


def lat(run, key="relay_latency_us"):
    return run[key] if run and run[key]["count"] else None


def server(run, field):
    s = run.get("server_process") if run else None
    return s.get(field) if s else None


def added(relay, floor, key="relay_latency_us"):
    """Percentile by percentile, what the relay adds to the floor measured in the same run."""
    r, f = lat(relay, key), lat(floor, key)
    if not r or not f:
        return None
    return {p: r[p] - f[p] for p in PCTS}


def ratio(a, b):
    return a / b if a is not None and b not in (None, 0) else None


def compare(cells):
    """Per cell: each relay's added latency, and chatd's ratios to the peer."""
    out = []
    for (streams, rate), runs in cells.items():
        mock = runs.get("mock")
        c = {"streams": streams, "rate": rate, "added_latency_us": {}, "added_first_chunk_us": {}}
        for relay in RELAYS:
            c["added_latency_us"][relay] = added(runs.get(relay), mock)
            a = added(runs.get(relay), mock, "first_chunk_overhead_us")
            c["added_first_chunk_us"][relay] = a["p50"] if a else None
        ch, pe = c["added_latency_us"]["chatd"], c["added_latency_us"]["peer"]
        c["chatd_vs_peer"] = {
            # above 1: chatd relays more chunks per CPU-second than the peer
            "chunks_per_cpu_s": ratio(server(runs.get("chatd"), "chunks_per_cpu_s"),
                                      server(runs.get("peer"), "chunks_per_cpu_s")),
            # below 1: chatd adds less latency than the peer
            "added_p99": ratio(ch["p99"] if ch else None, pe["p99"] if pe else None),
            "rss_per_stream": ratio(server(runs.get("chatd"), "rss_per_stream_kib"),
                                    server(runs.get("peer"), "rss_per_stream_kib")),
        }
        out.append(c)
    return out


def meets(value, op, limit):
    """Whether `value` satisfies `op limit`; None when it was not measured."""
    if value is None:
        return None
    return {"<": value < limit, "<=": value <= limit, ">=": value >= limit,
            "==": value == limit}[op]


def shown(value, unit):
    if value is None:
        return fmt(value)
    return (fmt(value, 2) if isinstance(value, float) else fmt(value)) + f" {unit}"


def target_row(name, unit, op, limit, value, floor=None):
    """One row of the targets table: chatd's value and, where measured, the byte pump's."""
    return {"target": name, "unit": unit, "op": op, "limit": limit, "value": value,
            "pass": meets(value, op, limit), "tcp_relay_value": floor,
            "tcp_relay_pass": meets(floor, op, limit)}


def targets(cells, comparisons, series):
    comp = {(c["streams"], c["rate"]): c for c in comparisons}

    def get(cell, fn):
        try:
            return fn(cells[cell], comp[cell])
        except (KeyError, TypeError):
            return None

    def clean(cell, target="chatd"):
        r = cells.get(cell, {}).get(target)
        return r is not None and r["failed"] == 0 and r["incomplete"] == 0

    main, quiet = (1000, 20.0), (5000, 4.0)
    # Each measure is taken of target `t` (chatd, and the TCP relay where it means something for
    # a byte pump): a limit the byte pump misses is below this machine's floor.
    def added_p99_ms(r, c, t):
        return c["added_latency_us"][t]["p99"] / 1000

    def vs_peer(field):
        return lambda r, c, t: ratio(server(r[t], field), server(r["peer"], field))

    # name, unit, op, limit, cell, measure, whether the byte pump is measured too
    rows = [
        ("added relay p99, S=1000 R=20", "ms", "<", 2.0, main, added_p99_ms, True),
        ("added relay p99, S=5000 R=4", "ms", "<", 5.0, quiet, added_p99_ms, True),
        ("failed + incomplete streams, S=5000 R=4", "", "==", 0, quiet,
         lambda r, c, t: r[t]["failed"] + r[t]["incomplete"], True),
        ("overhead to first chunk p50, S=1000 R=20", "ms", "<", 2.0, main,
         lambda r, c, t: r[t]["first_chunk_overhead_us"]["p50"] / 1000, False),
        ("overhead to first chunk, S=1 R=20 (the cell's one stream)", "ms", "<", 2.0, (1, 20.0),
         lambda r, c, t: r[t]["first_chunk_overhead_us"]["p50"] / 1000, False),
        ("memory per open stream, S=1000 R=20", "KiB", "<", 32.0, main,
         lambda r, c, t: r[t]["server_process"]["rss_per_stream_kib"], False),
        ("memory per open stream, S=5000 R=4", "KiB", "<", 32.0, quiet,
         lambda r, c, t: r[t]["server_process"]["rss_per_stream_kib"], False),
        ("CPU per relayed chunk, S=1000 R=20", "µs", "<", 15.0, main,
         lambda r, c, t: r[t]["server_process"]["cpu_us_per_chunk"], True),
        ("chunks per CPU-second vs peer, S=1000", "×", ">=", 5.0, main,
         vs_peer("chunks_per_cpu_s"), True),
        ("added p99 vs peer's, S=1000", "×", "<=", 0.2, main,
         lambda r, c, t: ratio(c["added_latency_us"][t]["p99"],
                               c["added_latency_us"]["peer"]["p99"]), True),
    ]
    out = []
    for name, unit, op, limit, cell, measure, pump_too in rows:
        value = get(cell, lambda r, c: measure(r, c, "chatd"))
        floor = get(cell, lambda r, c: measure(r, c, "tcp-relay")) if pump_too else None
        out.append(target_row(name, unit, op, limit, value, floor))
        if cell == (1, 20.0) and "chatd" in series:
            # The same limit over the one-at-a-time series: a p50 of many first chunks.
            s = series["chatd"]
            fc = lat(s, "first_chunk_overhead_us")
            out.append(target_row(f"overhead to first chunk p50, S=1 ({s['streams']} streams "
                                  "one at a time)", unit, op, limit,
                                  fc["p50"] / 1000 if fc else None))
    # Every cell's chatd streams must all succeed, too.
    for (streams, rate), runs in cells.items():
        if "chatd" in runs and not clean((streams, rate)):
            r = runs["chatd"]
            out.append(target_row(f"failed + incomplete streams, S={streams} R={rate:g}", "",
                                  "==", 0, r["failed"] + r["incomplete"]))
    return out


def fmt(v, digits=0):
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.{digits}f}"
    return f"{v:,}"


def markdown(meta, cells, comparisons, target_rows):
    comp = {(c["streams"], c["rate"]): c for c in comparisons}
    lines = []
    add = lines.append
    add(f"Run {meta.get('started', '?')} on {meta.get('cpus', '?')} × {meta.get('cpu_model', '?')}, "
        f"commit {meta.get('commit', '?')} (+{meta.get('modified_files', '?')} modified files in "
        f"the work tree), load average {meta.get('load_before', '?')} before and "
        f"{meta.get('load_after', '?')} after, {meta.get('deltas', '?')} deltas per answer, "
        f"servers and generator at nice {meta.get('nice', '0')}. On SIGTERM afterwards chatd "
        f"{meta.get('chatd_stop', '?')}.")
    add("")
    add("**Relay latency per chunk** (µs, client receipt − mock's send stamp; *added* = minus the "
        "mock-direct floor of the same cell)")
    add("")
    add("| S | R/s | target | ok / failed / incomplete | chunks/s (offered S×R) | p50 | p90 | p99 "
        "| p99.9 | max | added p50 | added p99 | added p99.9 |")
    add("|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (streams, rate), runs in cells.items():
        for target in ["mock"] + RELAYS:
            r = runs.get(target)
            if not r:
                continue
            l = r["relay_latency_us"]
            a = comp[(streams, rate)]["added_latency_us"].get(target) if target != "mock" else None
            name = NAMES.get(target, target)
            add(f"| {streams:,} | {rate:g} | {name} | {r['ok']} / {r['failed']} / {r['incomplete']} "
                f"| {fmt(r['chunks_per_s'])} ({fmt(streams * rate)}) | {fmt(l['p50'])} | {fmt(l['p90'])} | {fmt(l['p99'])} | {fmt(l['p99_9'])} "
                f"| {fmt(l['max'])} | {fmt(a['p50']) if a else ''} | {fmt(a['p99']) if a else ''} "
                f"| {fmt(a['p99_9']) if a else ''} |")
    add("")
    add("**First chunk, throughput and cost** (request→provider and overhead to first chunk: "
        "p50, µs; CPU and memory of the process under test: the mock itself on *mock* rows)")
    add("")
    add("| S | R/s | target | request→provider | first-chunk overhead (added) | events/s "
        "| CPU s | CPU µs/chunk | chunks/CPU-s | KiB/open stream | peak RSS MiB | mock CPU µs/chunk "
        "| generator CPU s |")
    add("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (streams, rate), runs in cells.items():
        for target in ["mock"] + RELAYS:
            r = runs.get(target)
            if not r:
                continue
            s = r["server_process"] or {}
            m = r["mock_process"] or {}
            g = r["generator_process"] or {}
            fc = r["first_chunk_overhead_us"]["p50"] if r["first_chunk_overhead_us"]["count"] else None
            fa = comp[(streams, rate)]["added_first_chunk_us"].get(target)
            rp = r["request_to_provider_us"]["p50"] if r["request_to_provider_us"]["count"] else None
            name = NAMES.get(target, target)
            peak = s.get("rss_peak_kib")
            add(f"| {streams:,} | {rate:g} | {name} | {fmt(rp)} | {fmt(fc)}"
                f"{' (' + fmt(fa) + ')' if fa is not None else ''} | {fmt(r['events_per_s'])} "
                f"| {fmt(s.get('cpu_s'), 2)} | {fmt(s.get('cpu_us_per_chunk'), 1)} "
                f"| {fmt(s.get('chunks_per_cpu_s'))} | {fmt(s.get('rss_per_stream_kib'), 1)} "
                f"| {fmt(peak / 1024 if peak else None, 1)} | {fmt(m.get('cpu_us_per_chunk'), 1)} "
                f"| {fmt(g.get('cpu_s'), 2)} |")
    add("")
    add("**chatd ÷ Node peer, same cell** (chunks per CPU-second: higher is better; added p99 and "
        "memory per stream: lower is better)")
    add("")
    add("| S | R/s | chunks/CPU-s | added p99 | KiB/open stream |")
    add("|---:|---:|---:|---:|---:|")
    for c in comparisons:
        v = c["chatd_vs_peer"]
        add(f"| {c['streams']:,} | {c['rate']:g} | {fmt(v['chunks_per_cpu_s'], 2)}× "
            f"| {fmt(v['added_p99'], 2)}× | {fmt(v['rss_per_stream'], 3)}× |")
    add("")
    add("**Targets** (chatd; beside it the same measure for the TCP relay, which only moves bytes: "
        "a limit it misses too is below what any relay reaches on this machine)")
    add("")
    add("| target | limit | chatd | | TCP relay | |")
    add("|---|---:|---:|---|---:|---|")
    verdicts = {True: "pass", False: "**FAIL**", None: "not measured"}
    for t in target_rows:
        floor = t.get("tcp_relay_value")
        add(f"| {t['target']} | {t['op']} {t['limit']:g} {t['unit']} | {shown(t['value'], t['unit'])} "
            f"| {verdicts[t['pass']]} | {shown(floor, t['unit']) if floor is not None else ''} "
            f"| {'' if floor is None else ('meets it' if t['tcp_relay_pass'] else 'misses it too')} |")
    return "\n".join(lines) + "\n"


def plot_data(cells):
    """One gnuplot block per target: S p50 p90 p99 p99.9 (the burst cell is left out)."""
    blocks = []
    for target in ["mock"] + RELAYS:
        rows = [f"# {target}: S p50 p90 p99 p99.9 (µs)"]
        for (streams, rate), runs in sorted(cells.items()):
            r = runs.get(target)
            if not r or rate > 100 or not r["relay_latency_us"]["count"]:
                continue
            l = r["relay_latency_us"]
            rows.append(f"{streams} {l['p50']} {l['p90']} {l['p99']} {l['p99_9']}")
        blocks.append("\n".join(rows))
    return "\n\n\n".join(blocks) + "\n"


def is_series(run):
    """A run of streams one after another (--concurrency 1), not a cell of the matrix."""
    return run.get("concurrency", run["streams"]) == 1 and run["streams"] > 1


def series_markdown(series):
    """The first-chunk table of the one-at-a-time series, or nothing without one."""
    if not series:
        return ""
    mock = series.get("mock")
    lines = ["", "**First chunk, one stream at a time** (each target serves "
             f"{next(iter(series.values()))['streams']} short answers one after another; µs; "
             "*added* = minus the mock-direct p50)", "",
             "| target | ok / failed / incomplete | request→provider p50 | p90 "
             "| first-chunk overhead p50 | p90 | max | added p50 |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for target in ["mock"] + RELAYS:
        r = series.get(target)
        if not r:
            continue
        rp, fc = lat(r, "request_to_provider_us") or {}, lat(r, "first_chunk_overhead_us") or {}
        a = added(r, mock, "first_chunk_overhead_us") if target != "mock" else None
        lines.append(f"| {NAMES.get(target, target)} | {r['ok']} / {r['failed']} / "
                     f"{r['incomplete']} | {fmt(rp.get('p50'))} | {fmt(rp.get('p90'))} "
                     f"| {fmt(fc.get('p50'))} | {fmt(fc.get('p90'))} | {fmt(fc.get('max'))} "
                     f"| {fmt(a['p50']) if a else ''} |")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--markdown", required=True)
    ap.add_argument("--plot-data", required=True)
    ap.add_argument("--meta", nargs="*", default=[])
    ap.add_argument("runs", nargs="+")
    a = ap.parse_args()
    meta = dict(kv.split("=", 1) for kv in a.meta)
    runs = []
    for path in a.runs:
        with open(path) as f:
            runs.append(json.load(f))
    cells, series = {}, {}
    for r in runs:
        if is_series(r):
            series[r["target"]] = r
        else:
            cells.setdefault((r["streams"], float(r["rate"])), {})[r["target"]] = r
    comparisons = compare(cells)
    target_rows = targets(cells, comparisons, series)
    report = {"meta": meta, "runs": runs, "comparisons": comparisons, "targets": target_rows}
    with open(a.out, "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    with open(a.markdown, "w") as f:
        f.write(markdown(meta, cells, comparisons, target_rows) + series_markdown(series))
    with open(a.plot_data, "w") as f:
        f.write(plot_data(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
