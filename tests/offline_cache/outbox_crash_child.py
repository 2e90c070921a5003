"""Child process for the crash-safety test: appends to the outbox until killed.

After each append returns it writes ``<key> <run> <n>`` to stdout, unbuffered: the parent then
knows that this commit returned. Kept lean (no pytest) so that hundreds of runs stay fast.
"""

import os
import sys

from offline_cache.outbox import Outbox
from offline_cache.store import open_store


def main() -> None:
    state_dir, run = sys.argv[1], sys.argv[2]
    outbox = Outbox(open_store(state_dir), capacity=10**9)
    os.write(1, b"ready\n")
    n = 0
    while True:
        # Varying sizes make commits span one page or several, so kills land in different places.
        entry = outbox.append("event", {"run": run, "n": n, "pad": "x" * (n % 5 * 900)})
        os.write(1, f"{entry.idempotency_key} {run} {n}\n".encode())
        n += 1


if __name__ == "__main__":
    main()
