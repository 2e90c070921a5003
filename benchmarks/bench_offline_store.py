"""Offline store benchmark: cached-content lookup latency, outbox append and replay throughput.

Each figure is printed next to a baseline measured in the same run on the same disk (raw sqlite3
for the store, raw HTTP POSTs for replay), with the ratio, and against the targets:
lookup p99 <= 1 ms with 100,000 entries, append >= 500/s with synchronous=FULL, replay >= 1,000/s.

    .venv/bin/python benchmarks/bench_offline_store.py [--entries 100000] [--appends 2000] [--replays 2000]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

from offline_cache.content import ContentCache
from offline_cache.outbox import Outbox
from offline_cache.store import open_store
from offline_cache.sync import SyncWorker


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def bench_lookup(state: Path, entries: int, lookups: int) -> dict[str, float]:
    store = open_store(state / "lookup")
    cache = ContentCache(store)
    body = '{"title":"社保卡申领","steps":["带身份证","刷卡","取卡"],"fee":0}'
    now = time.time()
    with store.writing() as conn:  # bulk load; the benchmark is about reads
        conn.executemany(
            "INSERT INTO content (kind, key, body, etag, version, fetched_at, checked_at) VALUES (?,?,?,?,?,?,?)",
            ((("guides", "announcements", "fee_schedules")[n % 3], f"item-{n:06d}", body, f'"e{n}"', "1", now, now)
             for n in range(entries)),
        )
    rng = random.Random(1)
    picks = [((("guides", "announcements", "fee_schedules")[n % 3], f"item-{n:06d}"))
             for n in (rng.randrange(entries) for _ in range(lookups))]
    ours = []
    for kind, key in picks:
        start = time.perf_counter()
        item = cache.get(kind, key)
        ours.append(time.perf_counter() - start)
        if item is None:
            raise SystemExit(f"lookup lost {kind}/{key}")
    raw_conn = sqlite3.connect(store.path)
    raw = []
    for kind, key in picks:
        start = time.perf_counter()
        raw_conn.execute("SELECT body FROM content WHERE kind=? AND key=?", (kind, key)).fetchone()
        raw.append(time.perf_counter() - start)
    raw_conn.close()
    store.close()
    return {"p50": statistics.median(ours), "p99": percentile(ours, 0.99),
            "raw_p50": statistics.median(raw), "raw_p99": percentile(raw, 0.99)}


def bench_append(state: Path, appends: int) -> dict[str, float]:
    store = open_store(state / "append")
    outbox = Outbox(store, capacity=10**9)
    payload = {"service": "non-tax-fee", "notice": "3502000000001", "amount_fen": 12000, "result": "paid"}
    start = time.perf_counter()
    for _ in range(appends):
        outbox.append("payment_reconciliation", payload)
    ours = appends / (time.perf_counter() - start)
    store.close()
    raw_conn = sqlite3.connect(state / "append" / "raw.sqlite3", isolation_level=None)
    raw_conn.execute("PRAGMA journal_mode=WAL")
    raw_conn.execute("PRAGMA synchronous=FULL")
    raw_conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, key TEXT UNIQUE, payload BLOB)")
    start = time.perf_counter()
    for n in range(appends):
        raw_conn.execute("BEGIN")
        raw_conn.execute("INSERT INTO t (key, payload) VALUES (?, ?)", (f"k{n:032d}", b"x" * 90))
        raw_conn.execute("COMMIT")
    raw = appends / (time.perf_counter() - start)
    raw_conn.close()
    return {"ours": ours, "raw": raw}


class _Gateway(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the gateway client's session uses
    disable_nagle_algorithm = True  # else a 40 ms delayed-ACK stall per response swamps the figures

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


def bench_replay(state: Path, replays: int) -> dict[str, float]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Gateway)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/api/v1/outbox"
    session = requests.Session()
    session.trust_env = False  # the kiosk talks to its own gateway; no proxy look-ups per request

    def post_outbox_entry(kind: str, idempotency_key: str, payload: dict) -> None:
        response = session.post(f"{base}/{kind}", json=payload, headers={"Idempotency-Key": idempotency_key},
                                timeout=5)
        response.raise_for_status()

    payload = {"kind": "feedback", "service": "social-security", "stars": 5}
    start = time.perf_counter()
    for n in range(replays):
        post_outbox_entry("feedback", f"raw-{n:08d}", payload)
    raw = replays / (time.perf_counter() - start)

    store = open_store(state / "replay")
    outbox = Outbox(store, capacity=10**9)
    for _ in range(replays):
        outbox.append("feedback", payload)
    start = time.perf_counter()
    report = SyncWorker(outbox, post_outbox_entry, batch=200).drain_once()
    ours = report.acknowledged / (time.perf_counter() - start)
    if report.acknowledged != replays:
        raise SystemExit(f"replay delivered {report.acknowledged} of {replays}")
    store.close()
    server.shutdown()
    server.server_close()
    return {"ours": ours, "raw": raw}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=20_000)
    parser.add_argument("--appends", type=int, default=2_000)
    parser.add_argument("--replays", type=int, default=2_000)
    parser.add_argument("--dir", type=Path, default=None, help="where to put the databases (default: a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        state = Path(tmp)
        lookup = bench_lookup(state, args.entries, args.lookups)
        print(f"content lookup, {args.entries:,} entries, {args.lookups:,} lookups:")
        print(f"  ContentCache.get   p50 {lookup['p50'] * 1e3:.3f} ms   p99 {lookup['p99'] * 1e3:.3f} ms"
              f"   (target p99 <= 1 ms: {'met' if lookup['p99'] <= 1e-3 else 'MISSED'})")
        print(f"  raw sqlite3 SELECT p50 {lookup['raw_p50'] * 1e3:.3f} ms   p99 {lookup['raw_p99'] * 1e3:.3f} ms"
              f"   ratio p99 {lookup['p99'] / lookup['raw_p99']:.1f}x")
        append = bench_append(state, args.appends)
        print(f"outbox append, synchronous=FULL, {args.appends:,} entries:")
        print(f"  Outbox.append      {append['ours']:8.0f}/s   (target >= 500/s: "
              f"{'met' if append['ours'] >= 500 else 'MISSED'})")
        print(f"  raw INSERT+COMMIT  {append['raw']:8.0f}/s   ratio {append['ours'] / append['raw']:.2f}")
        replay = bench_replay(state, args.replays)
        print(f"outbox replay to a local HTTP endpoint, {args.replays:,} entries:")
        print(f"  SyncWorker drain   {replay['ours']:8.0f}/s   (target >= 1,000/s: "
              f"{'met' if replay['ours'] >= 1000 else 'MISSED'})")
        print(f"  raw HTTP POSTs     {replay['raw']:8.0f}/s   ratio {replay['ours'] / replay['raw']:.2f}")


if __name__ == "__main__":
    main()
