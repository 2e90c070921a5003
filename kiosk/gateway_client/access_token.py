"""The kiosk's secret for the hall gateway: given in the configuration, or in a token file.

A token file that is missing, unreadable or empty does not stop the kiosk: it runs offline (cached
content, the offline banner) and the gateway client asks again on each of its probes, so writing
the file later brings the kiosk online without a restart. Each new problem is one journal line
naming the file and what is wrong; the same problem again is not repeated on every probe.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

log = logging.getLogger("gateway.client")


class GatewayToken:
    """``GatewayToken("secret")`` or ``GatewayToken(path=Path(...))``; :meth:`value` gives the token or None."""

    def __init__(self, token: str = "", *, path: Path | None = None) -> None:
        self.path = path
        self._token = token
        self._lock = threading.Lock()
        self.problem = ""  # why there is no token now ("" when there is one)

    def value(self) -> str | None:
        """The token, read from the file while it has not been read yet; None while it cannot be."""
        with self._lock:
            if self.path is None or self._token:
                return self._token
            problem = self._read(self.path)
            if problem:
                if problem != self.problem:
                    log.error("no gateway token: %s; the kiosk stays offline and tries the file again on each probe",
                              problem, extra={"event": "gateway_token_missing"})
                self.problem = problem
                return None
            if self.problem:
                log.info("gateway token read from %s; trying the gateway again", self.path,
                         extra={"event": "gateway_token_read"})
            self.problem = ""
            return self._token

    def _read(self, path: Path) -> str:
        try:
            self._token = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            return f"token file {path}: {exc.strerror or exc}"
        except UnicodeDecodeError:
            return f"token file {path} is not UTF-8 text"
        return "" if self._token else f"token file {path} is empty"
