"""The IPP operations the kiosk uses, over HTTP/1.1 with ``http.client`` (RFC 8011, RFC 8010 §3).

``ipp://host:port/path`` is ``http://host:port/path`` with ``Content-Type: application/ipp``;
``cups://QUEUE`` is the queue on the local CUPS server (``ipp://localhost:631/printers/QUEUE``,
or another server given as ``server=host:port``). Each call opens its own connection: a print job
is a handful of requests a minute, and a printer that restarted in between costs nothing.
"""

from __future__ import annotations

import http.client
import itertools
from dataclasses import dataclass

from devices.a4printer import ipp
from devices.errors import DeviceOffline, DeviceOperationError, DeviceTimeout

MAX_ANSWER_BYTES = 1024 * 1024
PRINTER_ATTRIBUTES = ("printer-state", "printer-state-reasons", "printer-is-accepting-jobs",
                      "printer-make-and-model", "document-format-supported", "printer-name",
                      "marker-levels", "marker-names")
JOB_ATTRIBUTES = ("job-id", "job-state", "job-state-reasons", "job-impressions-completed",
                  "job-media-sheets-completed", "job-impressions")


class IppRefused(DeviceOperationError):
    """The printer answered with an IPP error status."""

    def __init__(self, operation: str, status: int, message: str = "") -> None:
        text = f" ({message})" if message else ""
        super().__init__(f"{operation} refused with IPP status 0x{status:04x}{text}", device="a4printer")
        self.status = status


@dataclass(frozen=True)
class PrinterAddress:
    host: str
    port: int
    path: str

    @property
    def uri(self) -> str:
        return f"ipp://{self.host}:{self.port}{self.path}"


class IppClient:
    def __init__(self, address: PrinterAddress, *, timeout: float = 5.0, user: str = "kiosk") -> None:
        self.address = address
        self.timeout = timeout
        self.user = user
        self._ids = itertools.count(1)

    @property
    def description(self) -> str:
        return self.address.uri

    def _send(self, message: ipp.Message, operation: str, timeout: float | None = None) -> ipp.Message:
        body = ipp.encode(message)
        conn = http.client.HTTPConnection(self.address.host, self.address.port, timeout=timeout or self.timeout)
        try:
            conn.request("POST", self.address.path, body=body,
                         headers={"Content-Type": "application/ipp", "Accept": "application/ipp"})
            answer = conn.getresponse()
            data = answer.read(MAX_ANSWER_BYTES + 1)
        except TimeoutError as exc:
            raise DeviceTimeout(f"{operation}: no answer from {self.description} in {self.timeout:g} s",
                                device="a4printer") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise DeviceOffline(f"{operation}: cannot reach {self.description}: {exc}", device="a4printer") from exc
        finally:
            conn.close()
        if answer.status != 200:
            raise DeviceOperationError(f"{operation}: HTTP {answer.status} {answer.reason} from {self.description}",
                                       device="a4printer")
        if len(data) > MAX_ANSWER_BYTES:
            raise DeviceOperationError(f"{operation}: answer over {MAX_ANSWER_BYTES} bytes", device="a4printer")
        try:
            reply = ipp.decode(data)
        except ipp.IppError as exc:
            raise DeviceOperationError(f"{operation}: garbled IPP answer: {exc}", device="a4printer") from exc
        if reply.code > ipp.OK_IGNORED and reply.code != 0x0002:  # successful-ok-conflicting too
            raise IppRefused(operation, reply.code, reply.group(ipp.OPERATION).get("status-message", ""))
        return reply

    def printer_attributes(self) -> ipp.Group:
        message = ipp.request(ipp.GET_PRINTER_ATTRIBUTES, next(self._ids), self.address.uri, user=self.user)
        message.groups[0].add("requested-attributes", ipp.KEYWORD, *PRINTER_ATTRIBUTES)
        return self._send(message, "Get-Printer-Attributes").group(ipp.PRINTER)

    def print_job(self, document: bytes, *, name: str, pages: int | None = None,
                  media: str = "iso_a4_210x297mm") -> int:
        """Send ``document`` (a PDF) as one job; the printer's job-id."""
        message = ipp.request(ipp.PRINT_JOB, next(self._ids), self.address.uri, user=self.user)
        op = message.groups[0].add("job-name", ipp.NAME, name).add("document-format", ipp.MIME, "application/pdf")
        if pages:
            op.add("job-impressions", ipp.INTEGER, pages)
        message.groups.append(_job_template(media))
        message.data = document
        reply = self._send(message, "Print-Job", timeout=max(self.timeout, 30.0))
        job_id = reply.group(ipp.JOB).get("job-id")
        if not isinstance(job_id, int):
            raise DeviceOperationError("Print-Job: the printer gave no job-id", device="a4printer")
        return job_id

    def _job_request(self, operation: int, job_id: int) -> ipp.Message:
        message = ipp.request(operation, next(self._ids), self.address.uri, user=self.user)
        message.groups[0].add("job-id", ipp.INTEGER, job_id)
        return message

    def job_attributes(self, job_id: int) -> ipp.Group:
        message = self._job_request(ipp.GET_JOB_ATTRIBUTES, job_id)
        message.groups[0].add("requested-attributes", ipp.KEYWORD, *JOB_ATTRIBUTES)
        return self._send(message, "Get-Job-Attributes").group(ipp.JOB)

    def cancel_job(self, job_id: int) -> None:
        self._send(self._job_request(ipp.CANCEL_JOB, job_id), "Cancel-Job")


def _job_template(media: str) -> ipp.Group:
    return ipp.Group(ipp.JOB).add("media", ipp.KEYWORD, media).add("sides", ipp.KEYWORD, "one-sided")
