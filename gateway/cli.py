"""``kiosk-gateway``: run the hall gateway reference server (or write its OpenAPI document)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from gateway import fleet_admin
from gateway.storage import database_location

if TYPE_CHECKING:
    from fastapi import FastAPI

    from gateway.settings import GatewaySettings
    from gateway.workers import ServerOptions

log = logging.getLogger("gateway.server")

OPENAPI_PATH = Path(__file__).with_name("openapi.json")
SHED_LAG_S = 0.2  # the server has its process to itself: a loop this late is overload (gateway/load_shedding.py)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk-gateway", description="Hall gateway reference server.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 picks a free one)")
    parser.add_argument("--fd", type=int, default=None, help=argparse.SUPPRESS)  # socket handed over by a parent
    parser.add_argument("--parent-pid", type=int, default=None, metavar="PID",
                        help="stop when this process ends (a gateway started beside a kiosk)")
    parser.add_argument("--db", type=database_location, default=Path("gateway.sqlite3"), metavar="FILE|URL",
                        help="the database: a SQLite file (default gateway.sqlite3; one hall) or "
                             "postgresql://user@host/dbname (a province; password from ~/.pgpass or PGPASSWORD)")
    parser.add_argument("--public-url", default=None,
                        help="base URL phones reach this gateway at (QR codes); default from host and port")
    parser.add_argument("--demo", action="store_true", help="seed the demo citizens, notices and appointments")
    parser.add_argument("--ssl-certfile", default=None, help="TLS certificate (PEM); serve HTTPS")
    parser.add_argument("--ssl-keyfile", default=None, help="TLS private key (PEM)")
    parser.add_argument("--rate", type=float, default=20.0, help="requests per second each kiosk may make")
    parser.add_argument("--burst", type=int, default=60, help="requests a kiosk may make at once")
    parser.add_argument("--workers", type=int, default=1, metavar="N",
                        help="worker processes (default 1); more than one needs --db postgresql://…")
    parser.add_argument("--max-in-flight", type=int, default=64, metavar="N",
                        help="requests served at once (per worker); beyond, 503 with Retry-After (default 64)")
    parser.add_argument("--shed-late-loop-ms", type=float, default=SHED_LAG_S * 1000, metavar="MS",
                        help="also refuse with 503 while the event loop runs this late with requests queueing "
                             f"(default {SHED_LAG_S * 1000:g}; 0: off)")
    parser.add_argument("--token-cache-seconds", type=float, default=1.0, metavar="S",
                        help="a kiosk's good token is remembered until tokens change, checked this often: a rotated "
                             "token or disabled kiosk is refused within it (default 1; 0: check every request)")
    parser.add_argument("--trusted-proxy", action="append", default=[], metavar="ADDR",
                        help="a reverse proxy (its address as the gateway sees it) whose X-Forwarded-Proto and "
                             "X-Forwarded-For are believed; repeatable")
    parser.add_argument("--replay-window-hours", type=float, default=24.0, metavar="HOURS",
                        help="how long idempotency keys and processed outbox entries are kept (default 24)")
    parser.add_argument("--document-key-dir", type=Path, default=None, metavar="DIR",
                        help="the hall's document key for certificates (default: document-key beside --db)")
    parser.add_argument("--seal-image", type=Path, default=None, metavar="PNG",
                        help="the seal printed on certificates (default: the demo's drawn seal)")
    parser.add_argument("--demo-caller", type=float, default=0.0, metavar="SECONDS",
                        help="demo: call the next number at a random window every SECONDS")
    parser.add_argument("--write-openapi", type=Path, nargs="?", const=OPENAPI_PATH, default=None,
                        metavar="PATH", help=f"write the OpenAPI document (default {OPENAPI_PATH.name}) and exit")
    parser.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    fleet_admin.add_serve_options(parser)  # --admin-password-file, --trusted-key
    return parser


def write_openapi(path: Path) -> None:
    from gateway.app import openapi_document

    path.write_text(json.dumps(openapi_document(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _demo_caller(app: FastAPI, every_s: float, stop: threading.Event) -> None:
    import random

    from gateway import queue_book

    ctx = app.state.gateway
    while not stop.wait(every_s):
        services = queue_book.ticket_services(ctx)
        if services:
            with ctx.db.transaction() as conn:
                queue_book.call_next(ctx, conn, random.choice(services)["id"])


def settings_from_args(args: argparse.Namespace, public_url: str) -> GatewaySettings:
    """The settings one gateway process (or one of ``--workers N``) runs with."""
    from gateway.settings import GatewaySettings

    # every worker counts against the same limits, kept in the database (gateway.ratelimit)
    return GatewaySettings(db_path=args.db, public_url=public_url, demo=args.demo,
                           rate_per_s=args.rate, rate_burst=max(1, args.burst),
                           trusted_proxies=tuple(args.trusted_proxy),
                           replay_window_s=max(60, round(args.replay_window_hours * 3600)),
                           max_in_flight=max(1, args.max_in_flight),
                           shed_lag_s=max(0.0, args.shed_late_loop_ms / 1000), token_cache_s=max(0.0, args.token_cache_seconds),
                           document_key_dir=args.document_key_dir, seal_image=args.seal_image)


def _server_options(args: argparse.Namespace, port: int) -> ServerOptions:
    """uvicorn's options for one gateway process or several."""
    return {"host": args.host, "port": port, "log_level": args.log_level,
            "ssl_certfile": args.ssl_certfile, "ssl_keyfile": args.ssl_keyfile,
            "access_log": False, "server_header": False,
            "loop": "asyncio",  # never uvloop, even if installed: the load shedding is measured on asyncio's
            "proxy_headers": False,  # --trusted-proxy alone decides whom X-Forwarded-* is believed from
            "timeout_graceful_shutdown": 3}  # a stuck client must not hold up a restart


def _serve_workers(args: argparse.Namespace, argv: list[str], public_url: str, sock: socket.socket | None,
                   port: int) -> int:
    from gateway import workers
    from gateway.storage import Database, is_postgres

    if not is_postgres(str(args.db)):
        print(f"kiosk-gateway: --workers {args.workers} needs a PostgreSQL database (--db postgresql://…); "
              "a SQLite file is served by one worker process only", file=sys.stderr)
        return 2
    if args.demo_caller > 0:
        print("kiosk-gateway: --demo-caller runs with one worker only", file=sys.stderr)
        return 2
    try:  # upgrade the schema and apply the options once, before any worker starts
        db = Database(args.db)
        try:
            fleet_admin.apply_serve_options(args, db)
        finally:
            db.close()
    except Exception as exc:
        print(f"kiosk-gateway: cannot start: {exc}", file=sys.stderr)
        return 1
    workers.serve(argv, public_url, args.workers, sock, _server_options(args, port))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:2] == ["admin", "document-key"] or argv[:1] in (["document"], ["verify"]):
        from gateway.documents import cli as documents_cli

        if argv[0] == "admin":
            return documents_cli.key_main(argv[2:])
        return (documents_cli.document_main if argv[0] == "document" else documents_cli.verify_main)(argv[1:])
    if argv[:1] == ["admin"]:  # kiosk-gateway admin set-password | new-token | trust-key …
        return fleet_admin.admin_main(argv[1:])
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.write_openapi is not None:
        write_openapi(args.write_openapi)
        print(f"wrote {args.write_openapi}")
        return 0
    if bool(args.ssl_certfile) != bool(args.ssl_keyfile):
        print("kiosk-gateway: --ssl-certfile and --ssl-keyfile go together", file=sys.stderr)
        return 2
    if args.parent_pid is not None:
        from gateway import parent_watch

        if parent_watch.parent_gone(args.parent_pid):
            print(f"kiosk-gateway: process {args.parent_pid} that started it has already ended", file=sys.stderr)
            return 1
        parent_watch.watch(args.parent_pid)

    import uvicorn

    from gateway.app import create_app
    from gateway.supervised_server import SupervisedServer

    sock: socket.socket | None = None
    if args.fd is not None:
        sock = socket.socket(fileno=args.fd)
    elif args.port == 0:
        sock = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET)
        sock.bind((args.host, 0))
    port = sock.getsockname()[1] if sock is not None else args.port
    scheme = "https" if args.ssl_certfile else "http"
    public_url = args.public_url or f"{scheme}://{args.host}:{port}"
    if args.workers > 1:
        return _serve_workers(args, argv, public_url, sock, port)
    settings = settings_from_args(args, public_url)
    try:
        app = create_app(settings)
        fleet_admin.apply_serve_options(args, app.state.gateway.db)
    except Exception as exc:  # a database from a newer gateway, an unwritable path: say so, don't trace
        print(f"kiosk-gateway: cannot start: {exc}", file=sys.stderr)
        return 1
    stop = threading.Event()
    if args.demo_caller > 0:
        threading.Thread(target=_demo_caller, args=(app, args.demo_caller, stop), daemon=True,
                         name="demo-caller").start()
    config = uvicorn.Config(app, **_server_options(args, port))
    server = SupervisedServer(config)  # READY=1 and watchdog keep-alives under systemd
    log.info("hall gateway on %s://%s:%d (pid %d), public URL %s", scheme, args.host, port, os.getpid(), public_url)
    try:
        server.run(sockets=[sock] if sock is not None else None)
    finally:
        stop.set()
    return 0


if __name__ == "__main__":
    sys.exit(main())
