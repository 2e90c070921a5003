"""A throw-away PostgreSQL server for the tests and benchmarks: Debian's ``postgresql`` package, on 127.0.0.1.

``initdb`` and ``pg_ctl`` from ``/usr/lib/postgresql/<version>/bin`` in a temporary directory, as the
``postgres`` user when the tests run as root (the server refuses to run as root), on a free port,
with durability off (a test cluster is thrown away) and trust authentication on loopback only.
``scripts/bootstrap.sh`` installs the package; ``database(name)`` makes a fresh database and
returns its URL.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PG_ROOT = Path("/usr/lib/postgresql")


def pg_bin() -> Path:
    """The newest installed PostgreSQL's binaries; a clear error when the package is missing."""
    versions = sorted((p for p in PG_ROOT.glob("*/bin/initdb")), key=lambda p: int(p.parent.parent.name), reverse=True)
    if not versions:
        raise RuntimeError("PostgreSQL is not installed (Debian package `postgresql`): run scripts/bootstrap.sh")
    return versions[0].parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """``start()``, ``database(name)`` → URL, ``stop()`` (which removes everything it made)."""

    def __init__(self, max_connections: int = 400) -> None:
        self.bin = pg_bin()
        self.max_connections = max_connections
        self.port = 0
        self.dir: Path | None = None
        self._user: str | None = "postgres" if os.geteuid() == 0 else None
        self._made: set[str] = set()

    def _run(self, *command: str) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", self._user, "--"] if self._user else []
        return subprocess.run([*prefix, *command], capture_output=True, text=True, check=False, cwd="/")

    def start(self) -> PostgresServer:
        # /tmp itself when switching users: $TMPDIR may be a folder only root can enter
        self.dir = Path(tempfile.mkdtemp(prefix="kiosk-pg-", dir="/tmp" if self._user else None))
        if self._user:
            entry = pwd.getpwnam(self._user)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        data = self.dir / "data"
        done = self._run(str(self.bin / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                         "--locale=C", "--no-sync")
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")
        self.port = _free_port()
        options = (f"-h 127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off -c synchronous_commit=off "
                   f"-c full_page_writes=off -c max_connections={self.max_connections} -c shared_buffers=64MB")
        done = self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(self.dir / "server.log"),
                         "-o", options, "-w", "-t", "60", "start")
        if done.returncode != 0:
            log = (self.dir / "server.log").read_text(errors="replace") if (self.dir / "server.log").exists() else ""
            raise RuntimeError(f"PostgreSQL did not start: {done.stderr.strip()} {log[-2000:]}")
        return self

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def database(self, name: str) -> str:
        """A new, empty database (an existing one of that name is dropped first); its URL."""
        import psycopg

        name = re.sub(r"[^a-z0-9_]", "_", name.lower())[:60]
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        self._made.add(name)
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if self.dir is None:
            return
        if (self.dir / "data" / "postmaster.pid").exists():
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None
