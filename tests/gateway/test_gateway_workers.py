"""``kiosk-gateway --workers N``: several processes on one port over PostgreSQL; SQLite refuses more than one."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time

import psutil
import pytest
import requests

from gateway import cli

HEADERS = {"X-Kiosk-Id": "XM-HALL-001", "Authorization": "Bearer demo-hall-001-secret"}


def test_sqlite_refuses_more_than_one_worker(tmp_path, capsys):
    assert cli.main(["--workers", "2", "--db", str(tmp_path / "gw.sqlite3")]) == 2
    assert "--workers 2 needs a PostgreSQL database" in capsys.readouterr().err
    assert not (tmp_path / "gw.sqlite3").exists()  # refused before touching anything


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_two_workers_share_the_port_and_the_database(new_database, tmp_path):
    location, port = new_database("workers"), _free_port()
    password = tmp_path / "admin-password"
    password.write_text("correct horse battery staple\n", encoding="utf-8")
    gateway = subprocess.Popen([sys.executable, "-m", "gateway", "--workers", "2", "--db", location, "--port", str(port),
                                "--demo", "--admin-password-file", str(password), "--log-level", "warning"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(url + "/api/v1/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert gateway.poll() is None and time.monotonic() < deadline, gateway.stdout.read() if gateway.poll() else ""
            time.sleep(0.2)
        workers = psutil.Process(gateway.pid).children()
        assert len([w for w in workers if "spawn_main" in " ".join(w.cmdline())]) == 2
        # a new connection per request, as kiosks make them: both workers answer, from one database
        answers = [requests.post(url + "/api/v1/queue/tickets", json={"service_id": "hf-loan"}, headers=HEADERS,
                                 timeout=10) for _ in range(20)]
        assert [a.status_code for a in answers] == [201] * 20
        numbers = [a.json()["number"] for a in answers]
        assert len(set(numbers)) == 20  # no number issued twice across the workers
        # a console session opened on one worker is known to every worker
        console = requests.Session()
        login_page = console.get(url + "/fleet/", timeout=10).text
        csrf = login_page.split('name="csrf" value="')[1].split('"')[0]
        assert console.post(url + "/fleet/login", data={"csrf": csrf, "password": "correct horse battery staple"},
                            timeout=10, allow_redirects=False).status_code == 303
        for _ in range(10):
            assert console.get(url + "/api/v1/fleet/rollouts", timeout=10,
                               headers={"Connection": "close"}).status_code == 200
    finally:
        gateway.send_signal(signal.SIGTERM)
        try:
            gateway.wait(timeout=20)
        finally:
            if gateway.poll() is None:
                gateway.kill()
            gateway.stdout.close()
    assert gateway.returncode == 0


def _start_workers(location: str, port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "gateway", "--workers", "2", "--db", location, "--port", str(port),
                             "--log-level", "warning"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _workers_of(supervisor: psutil.Process, wanted: int, within_s: float = 60) -> list[psutil.Process]:
    deadline = time.monotonic() + within_s
    while True:
        workers = [w for w in supervisor.children() if "spawn_main" in " ".join(w.cmdline())]
        if len(workers) >= wanted or time.monotonic() > deadline:
            return workers
        time.sleep(0.05)


def _gone(processes: list[psutil.Process], within_s: float) -> bool:
    _, alive = psutil.wait_procs(processes, timeout=within_s)
    return not alive


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_the_supervisor_takes_its_workers_with_it(new_database):
    location = new_database("supervisor")
    # stopped while its workers are still starting: it stops at once, workers and all
    starting = _start_workers(location, _free_port())
    try:
        workers = _workers_of(psutil.Process(starting.pid), 1)
        starting.send_signal(signal.SIGTERM)
        assert starting.wait(timeout=15) == 0
        assert _gone(workers, 15)
    finally:
        if starting.poll() is None:
            starting.kill()
    # killed outright once serving: its workers notice and stop on their own
    port = _free_port()
    serving = _start_workers(location, port)
    workers = []
    try:
        supervisor = psutil.Process(serving.pid)
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert serving.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        workers = _workers_of(supervisor, 2)
        assert len(workers) == 2
        serving.kill()
        serving.wait(timeout=10)
        assert _gone(workers, 15), "workers outlived their supervisor"
    finally:
        if serving.poll() is None:
            serving.kill()
        for worker in workers:  # nothing of this test's left behind, whatever happened (only its own: the
            if worker.is_running():  # session's document renderers are spawned processes too)
                worker.kill()
