"""Crash safety: SIGKILL a process appending to the outbox at random moments, hundreds of times.

Every entry whose commit returned (reported by the child on a pipe) must be there exactly once,
the database must stay intact, and replaying everything to a recording gateway must deliver each
entry once — nothing twice, nothing lost.
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from offline_cache.outbox import Outbox
from offline_cache.store import open_store
from offline_cache.sync import SyncWorker

CHILD = Path(__file__).with_name("outbox_crash_child.py")
RUNS = 200


def _read_lines(stream, until_lines: int, timeout: float) -> tuple[list[str], bytes]:
    """Read whole lines from the child's pipe until ``until_lines`` or ``timeout`` seconds; also the partial rest."""
    lines: list[str] = []
    buffer = b""
    deadline = time.monotonic() + timeout
    fd = stream.fileno()
    while len(lines) < until_lines:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            break
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        buffer += chunk
        *complete, buffer = buffer.split(b"\n")
        lines.extend(line.decode() for line in complete)
    return lines, buffer


def _drain_rest(stream, partial: bytes) -> list[str]:
    rest = (partial + stream.read()).decode()
    # A line cut short by the kill has no newline: its append returned but the report did not finish,
    # which is the same as not reported.
    *complete, _cut = rest.split("\n")
    return [line for line in complete if line]


class RecordingReceiver:
    """Stands in for the gateway: records every key and every duplicate."""

    def __init__(self) -> None:
        self.seen: dict[str, dict] = {}
        self.duplicates: list[str] = []

    def __call__(self, kind: str, key: str, payload: dict) -> None:
        if key in self.seen:
            self.duplicates.append(key)
        self.seen[key] = payload


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    rng = random.Random(int(os.environ.get("CRASH_SEED", "6")))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    committed: dict[str, tuple[str, int]] = {}
    receiver = RecordingReceiver()
    killed_before_ready = 0
    for run in range(RUNS):
        child = subprocess.Popen(
            [sys.executable, str(CHILD), str(tmp_path), f"r{run}"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )
        # Kill at a random moment: sometimes while it opens the database, mostly mid-append.
        if rng.random() < 0.1:
            time.sleep(rng.uniform(0, 0.08))
            lines, partial = [], b""
        else:
            lines, partial = _read_lines(child.stdout, until_lines=rng.randint(1, 40), timeout=10)
            time.sleep(rng.uniform(0, 0.004))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        lines += _drain_rest(child.stdout, partial)
        stderr = child.stderr.read().decode()
        child.stdout.close()
        child.stderr.close()
        assert child.returncode == -signal.SIGKILL, stderr
        assert "Traceback" not in stderr, stderr
        if "ready" not in lines:
            killed_before_ready += 1
        for line in lines:
            if line != "ready":
                key, run_name, n = line.split()
                assert key not in committed
                committed[key] = (run_name, int(n))
        if run % 25 == 24:
            # Now and then the gateway comes back and takes what is there, so later kills meet a
            # database holding acknowledged entries too.
            with open_store(tmp_path) as store:
                SyncWorker(Outbox(store), receiver).drain_once()

    with open_store(tmp_path) as store:
        conn = store.connection
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT idempotency_key, count(*) FROM outbox GROUP BY idempotency_key").fetchall()
        outbox = Outbox(store)
        stored = {key: count for key, count in rows}
        for key, (run_name, n) in committed.items():
            assert stored.get(key) == 1, f"committed entry {key} ({run_name} #{n}) is missing or doubled"
            payload = outbox.get(key).payload
            assert (payload["run"], payload["n"]) == (run_name, n)
        # At most one commit per run can have landed without being reported (killed in between).
        assert len(stored) - len(committed) <= RUNS
        report = SyncWorker(outbox, receiver).drain_once()
        assert not report.interrupted
        assert outbox.counts()["unfinished"] == 0
    assert receiver.duplicates == []
    assert set(receiver.seen) == set(stored)
    assert len(committed) > RUNS  # the loop really wrote a lot
    assert killed_before_ready < RUNS
