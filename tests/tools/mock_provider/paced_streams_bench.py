#!/usr/bin/env python3
"""How much CPU the mock provider needs to pace many concurrent streams.

Starts chatd-mock-provider, opens STREAMS concurrent streaming requests (spread over CLIENTS
processes) whose deltas are paced at RATE per second in benchmark mode (`stamp=1`), and reports
the mock's CPU (from /proc) over a window in which every stream is running, the deltas received
in that window, and the delay from each delta's stamp to its receipt (which includes this Python
client's own slowness, so it is an upper bound).

    paced_streams_bench.py build/tools/mock_provider/chatd-mock-provider --streams 2000 --rate 20
"""
import argparse
import asyncio
import multiprocessing
import os
import re
import resource
import subprocess
import time

STAMP = re.compile(rb'"delta":"@([0-9]+);')
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


async def one_stream(port, body, window, stats):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"POST /v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 b"Authorization: Bearer bench\r\nContent-Type: application/json\r\n"
                 b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    await writer.drain()
    while True:
        chunk = await reader.read(65536)
        if not chunk:
            break
        now = time.monotonic_ns()
        for m in STAMP.finditer(chunk):
            if window[0] <= now < window[1]:
                stats["in_window"] += 1
                stats["delays"].append(now - int(m.group(1)))
        if b"response.completed" in chunk:
            stats["completed"] += 1
            break
    writer.close()


def client(port, body, streams, window, results):
    async def run():
        stats = {"in_window": 0, "delays": [], "completed": 0}
        tasks = []
        for i in range(streams):
            tasks.append(asyncio.create_task(one_stream(port, body, window, stats)))
            if i % 100 == 99:
                await asyncio.sleep(0.02)  # do not overflow the listen backlog
        await asyncio.gather(*tasks)
        results.put(stats)
    asyncio.run(run())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mock")
    p.add_argument("--streams", type=int, default=2000)
    p.add_argument("--rate", type=float, default=20)
    p.add_argument("--seconds", type=float, default=12, help="length of each stream")
    p.add_argument("--threads", type=int, default=1, help="the mock's I/O threads")
    p.add_argument("--clients", type=int, default=2, help="client processes")
    a = p.parse_args()
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the mock inherits it

    mock = subprocess.Popen([a.mock, "--threads", str(a.threads)], stdout=subprocess.PIPE,
                            text=True)
    port = int(mock.stdout.readline().rsplit(":", 1)[1].split("/")[0])
    deltas = int(a.rate * a.seconds)
    body = (f'{{"model":"m","stream":true,"input":"[[mock stamp=1 deltas={deltas} '
            f'rate={a.rate}]]"}}').encode()
    # The window: after every stream has surely started, before the first can end.
    start_ns = time.monotonic_ns()
    window = (start_ns + int(4e9), start_ns + int((a.seconds - 1) * 1e9))
    results = multiprocessing.Queue()
    clients = [multiprocessing.Process(target=client, args=(port, body, a.streams // a.clients,
                                                            window, results))
               for _ in range(a.clients)]
    for c in clients:
        c.start()
    time.sleep((window[0] - time.monotonic_ns()) / 1e9)
    cpu0 = cpu_seconds(mock.pid)
    time.sleep((window[1] - time.monotonic_ns()) / 1e9)
    cpu1 = cpu_seconds(mock.pid)
    stats = [results.get() for _ in clients]
    for c in clients:
        c.join()
    mock.terminate()
    mock.wait()

    seconds = (window[1] - window[0]) / 1e9
    delays = sorted(d for s in stats for d in s["delays"])
    pct = lambda q: delays[min(len(delays) - 1, int(q * len(delays)))] / 1e6
    print(f"streams={a.streams} rate={a.rate}/s mock threads={a.threads} clients={a.clients} "
          f"completed={sum(s['completed'] for s in stats)}")
    print(f"deltas/s received in window: {sum(s['in_window'] for s in stats) / seconds:.0f} "
          f"(expected {a.streams * a.rate:.0f})")
    print(f"mock CPU in window: {100 * (cpu1 - cpu0) / seconds:.1f}% of one core")
    print(f"stamp-to-receipt ms: p50={pct(0.5):.2f} p99={pct(0.99):.2f} max={delays[-1] / 1e6:.2f}")


if __name__ == "__main__":
    main()
