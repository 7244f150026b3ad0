"""The preview under load: N keep-alive clients at once, each making R requests (issue 15 §6).

Usage: ``.venv/bin/python bench/preview_load.py [--clients 200] [--requests 10] [--path /api/state]``
from a project folder (the repository: seeds/). Starts ``paiban preview --port 0``, waits for
its first build, then opens every client's connection at once; prints the latency percentiles
and how many requests failed. Loopback only; bounded in count and time.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import subprocess
import sys
import threading
import time


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--requests", type=int, default=10)
    ap.add_argument("--path", default="/api/state")
    args = ap.parse_args()
    proc = subprocess.Popen([sys.executable, "-m", "paiban", "preview", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        port = int(line.split()[3].rsplit(":", 1)[1].strip("/"))
        time.sleep(5)  # the first build
        latencies: list[float] = []
        failures = [0]
        lock = threading.Lock()
        start = threading.Barrier(args.clients)

        def client() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                start.wait(timeout=60)
                for _ in range(args.requests):
                    t = time.perf_counter()
                    conn.request("GET", args.path)
                    response = conn.getresponse()
                    response.read()
                    with lock:
                        latencies.append(time.perf_counter() - t)
                        failures[0] += response.status != 200
            except Exception:
                with lock:
                    failures[0] += 1
            finally:
                conn.close()

        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        latencies.sort()
        q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
        print(f"{args.clients} keep-alive clients × {args.requests} requests of {args.path}: "
              f"{len(latencies)} answered, {failures[0]} failed; median {q[49] * 1000:.0f} ms, "
              f"p95 {q[94] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
