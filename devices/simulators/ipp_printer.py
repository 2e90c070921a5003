"""A simulated A4 printer that speaks IPP/1.1 over HTTP on 127.0.0.1, with faults on demand.

It answers Get-Printer-Attributes, Validate-Job, Print-Job, Get-Job-Attributes and Cancel-Job
the way an IPP Everywhere printer does, "prints" each job page by page (``page_seconds`` a page)
and keeps the documents it printed. Told to, it runs out of paper after N more sheets, jams
after N more pages, opens its door or goes offline; a job it cannot finish stops
(``processing-stopped``, ``printer-stopped``) with the printer's ``printer-state-reasons`` saying why,
as a real printer's does, until it is canceled or the problem is cleared (then it goes on).
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from devices.a4printer import ipp

log = logging.getLogger("devices.simulators.ipp")
MAX_JOB_BYTES = 32 * 1024 * 1024
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


@dataclass
class SimulatedJob:
    job_id: int
    name: str
    data: bytes
    pages: int
    state: int = ipp.JOB_PENDING
    done: int = 0
    reasons: list[str] = field(default_factory=lambda: ["none"])


class IppPrinterSimulator:
    """Start with ``start()``; its URL is ``ipp://127.0.0.1:PORT/ipp/print``."""

    def __init__(self, *, page_seconds: float = 0.3, sheets: int | None = 500, port: int = 0) -> None:
        self.page_seconds = page_seconds
        self.sheets = sheets  # None: never runs out
        self.door_open = False
        self.offline = False
        self.toner_low = False
        self.jam_after: int | None = None  # pages still to print before a jam
        self.jammed = False
        self.jobs: dict[int, SimulatedJob] = {}
        self._lock = threading.Condition()
        self._next_id = 1
        self._port = port
        self._server: ThreadingHTTPServer | None = None
        self._stop = threading.Event()
        self._worker: threading.Thread | None = None
        self.plugged = True

    # --- faults, as the demo panel and the tests cause them --------------------------------------
    def run_out_of_paper(self, after_sheets: int = 0) -> None:
        with self._lock:
            self.sheets = after_sheets
            self._lock.notify_all()

    def load_paper(self, sheets: int = 500) -> None:
        with self._lock:
            self.sheets = sheets
            self._lock.notify_all()

    def jam(self, after_pages: int = 0) -> None:
        with self._lock:
            self.jam_after = after_pages
            self.jammed = after_pages == 0
            self._lock.notify_all()

    def clear_jam(self) -> None:
        with self._lock:
            self.jam_after, self.jammed = None, False
            self._lock.notify_all()

    def open_door(self, is_open: bool = True) -> None:
        with self._lock:
            self.door_open = is_open
            self._lock.notify_all()

    def set_offline(self, offline: bool = True) -> None:
        with self._lock:
            self.offline = offline
            self._lock.notify_all()

    # --- what a printer says about itself --------------------------------------------------------
    def reasons(self) -> list[str]:
        found = []
        if self.sheets is not None and self.sheets <= 0:
            found.append("media-empty-error")
        elif self.sheets is not None and self.sheets < 20:
            found.append("media-low-report")
        if self.door_open:
            found.append("door-open-error")
        if self.jammed:
            found.append("media-jam-error")
        if self.toner_low:
            found.append("toner-low-report")
        if self.offline:
            found.append("offline-report")
        return found or ["none"]

    def _blocked(self) -> bool:
        return any(r.endswith("-error") for r in self.reasons()) or self.offline

    def printer_state(self) -> int:
        if self._blocked():
            return ipp.PRINTER_STOPPED
        busy = any(j.state in (ipp.JOB_PENDING, ipp.JOB_PROCESSING) for j in self.jobs.values())
        return ipp.PRINTER_PROCESSING if busy else ipp.PRINTER_IDLE

    @property
    def url(self) -> str:
        return f"ipp://127.0.0.1:{self.port}/ipp/print"

    @property
    def port(self) -> int:
        return self._server.server_address[1] if self._server else self._port

    @property
    def last_job(self) -> SimulatedJob | None:
        done = [j for j in self.jobs.values() if j.state == ipp.JOB_COMPLETED]
        return done[-1] if done else None

    @property
    def last_document(self) -> bytes | None:
        job = self.last_job
        return job.data if job else None

    def last_page_png(self, resolution: int = 60) -> bytes | None:
        """The last page of the last completed job as PNG (poppler's pdftoppm), for the demo panel."""
        job = self.last_job
        if job is None or shutil.which("pdftoppm") is None:
            return None
        with tempfile.TemporaryDirectory() as tmp:
            pdf = Path(tmp) / "job.pdf"
            pdf.write_bytes(job.data)
            subprocess.run(["pdftoppm", "-png", "-r", str(resolution), "-singlefile", "-f", str(job.pages),
                            "-l", str(job.pages), str(pdf), str(Path(tmp) / "page")], capture_output=True, timeout=60)
            out = Path(tmp) / "page.png"
            return out.read_bytes() if out.exists() else None

    # --- the server --------------------------------------------------------------------------------
    def start(self) -> IppPrinterSimulator:
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt: str, *args: object) -> None:
                log.debug("ipp sim: " + fmt, *args)

            def do_POST(self) -> None:  # noqa: N802  (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                if self.headers.get("Content-Type", "").split(";")[0] != "application/ipp" or \
                        not 0 < length <= MAX_JOB_BYTES:
                    self.send_error(400, "an IPP request (application/ipp) with a Content-Length is expected")
                    return
                body = simulator._answer(self.rfile.read(length))
                self.send_response(200)
                self.send_header("Content-Type", "application/ipp")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", self._port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="ipp-sim", daemon=True).start()
        self._stop.clear()
        self._worker = threading.Thread(target=self._print_loop, name="ipp-sim-engine", daemon=True)
        self._worker.start()
        return self

    def close(self) -> None:
        self._stop.set()
        with self._lock:
            self._lock.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _answer(self, raw: bytes) -> bytes:
        try:
            request = ipp.decode(raw)
        except ipp.IppError as exc:
            return ipp.encode(ipp.response(ipp.CLIENT_BAD_REQUEST, 0, ipp.Group(ipp.OPERATION).add(
                "status-message", ipp.TEXT, str(exc))))
        handler = {ipp.GET_PRINTER_ATTRIBUTES: self._printer_attributes, ipp.PRINT_JOB: self._print_job,
                   ipp.VALIDATE_JOB: lambda r: ipp.response(ipp.OK, r.request_id),
                   ipp.GET_JOB_ATTRIBUTES: self._job_attributes, ipp.CANCEL_JOB: self._cancel_job}.get(request.code)
        if handler is None:
            return ipp.encode(ipp.response(ipp.SERVER_OPERATION_UNSUPPORTED, request.request_id))
        with self._lock:
            return ipp.encode(handler(request))

    def _printer_attributes(self, request: ipp.Message) -> ipp.Message:
        group = (ipp.Group(ipp.PRINTER).add("printer-state", ipp.ENUM, self.printer_state())
                 .add("printer-state-reasons", ipp.KEYWORD, *self.reasons())
                 .add("printer-is-accepting-jobs", ipp.BOOLEAN, True)
                 .add("printer-name", ipp.NAME, "kiosk-a4-sim")
                 .add("printer-make-and-model", ipp.TEXT, "Kiosk A4 printer simulator")
                 .add("document-format-supported", ipp.MIME, "application/pdf")
                 .add("media-supported", ipp.KEYWORD, "iso_a4_210x297mm"))
        return ipp.response(ipp.OK, request.request_id, group)

    def _job_group(self, job: SimulatedJob) -> ipp.Group:
        return (ipp.Group(ipp.JOB).add("job-id", ipp.INTEGER, job.job_id)
                .add("job-uri", ipp.URI, f"{self.url}/{job.job_id}")
                .add("job-state", ipp.ENUM, job.state).add("job-state-reasons", ipp.KEYWORD, *job.reasons)
                .add("job-impressions", ipp.INTEGER, job.pages)
                .add("job-impressions-completed", ipp.INTEGER, job.done))

    def _print_job(self, request: ipp.Message) -> ipp.Message:
        op = request.group(ipp.OPERATION)
        if op.get("document-format", "application/pdf") not in ("application/pdf", "application/octet-stream"):
            return ipp.response(ipp.CLIENT_FORMAT_UNSUPPORTED, request.request_id)
        if not request.data.startswith(b"%PDF-"):
            return ipp.response(ipp.CLIENT_FORMAT_UNSUPPORTED, request.request_id, ipp.Group(ipp.OPERATION).add(
                "status-message", ipp.TEXT, "the document is not a PDF"))
        pages = op.get("job-impressions") or len(_PAGE.findall(request.data)) or 1
        job = SimulatedJob(self._next_id, str(op.get("job-name", "job")), request.data, int(pages))
        self._next_id += 1
        self.jobs[job.job_id] = job
        self._lock.notify_all()
        return ipp.response(ipp.OK, request.request_id, self._job_group(job))

    def _job_attributes(self, request: ipp.Message) -> ipp.Message:
        job = self.jobs.get(request.group(ipp.OPERATION).get("job-id", -1))
        if job is None:
            return ipp.response(ipp.CLIENT_NOT_FOUND, request.request_id)
        return ipp.response(ipp.OK, request.request_id, self._job_group(job))

    def _cancel_job(self, request: ipp.Message) -> ipp.Message:
        job = self.jobs.get(request.group(ipp.OPERATION).get("job-id", -1))
        if job is None:
            return ipp.response(ipp.CLIENT_NOT_FOUND, request.request_id)
        if job.state < ipp.JOB_CANCELED:
            job.state, job.reasons = ipp.JOB_CANCELED, ["job-canceled-by-user"]
            self._lock.notify_all()
        return ipp.response(ipp.OK, request.request_id)

    # --- the print engine -------------------------------------------------------------------------
    def _print_loop(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                job = next((j for j in self.jobs.values() if j.state in (ipp.JOB_PENDING, ipp.JOB_PROCESSING,
                                                                        ipp.JOB_STOPPED)), None)
                if job is None or self._blocked():
                    if job is not None and job.state != ipp.JOB_STOPPED:
                        job.state, job.reasons = ipp.JOB_STOPPED, ["printer-stopped"]
                    self._lock.wait(0.5)
                    continue
                job.state, job.reasons = ipp.JOB_PROCESSING, ["job-printing"]
            time.sleep(self.page_seconds)  # one page through the engine
            with self._lock:
                if job.state != ipp.JOB_PROCESSING:
                    continue  # canceled meanwhile
                if self.jam_after is not None:
                    if self.jam_after <= 0:
                        self.jammed, self.jam_after = True, None
                        continue
                    self.jam_after -= 1
                if self._blocked():
                    continue
                job.done += 1
                if self.sheets is not None:
                    self.sheets -= 1
                if job.done >= job.pages:
                    job.state, job.reasons = ipp.JOB_COMPLETED, ["job-completed-successfully"]
