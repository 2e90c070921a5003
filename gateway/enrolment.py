"""Enrolling kiosks: a CSV (or the admin API's rows) in, a fresh secret token per kiosk out.

Everything is checked before anything is written, and the writing is one transaction: a file with
one bad row, a duplicate, or a kiosk id already enrolled enrols nobody, and the error names each
line and what is wrong with it. Tokens are 256-bit random secrets, kept only as salted hashes
(:mod:`gateway.kiosks`); they are shown once, to whoever enrols. Rotating a token replaces it (the
old one stops working within the token cache's few seconds); disabling a kiosk refuses it.
"""

from __future__ import annotations

import csv
import io
import secrets
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from contract.enrolment import MAX_ENROLMENT, EnrolKiosk
from gateway.kiosks import token_hash, tokens_changed
from gateway.storage import Database

COLUMNS = ("kiosk_id", "hall", "group")
MAX_CSV_BYTES = 4 * 1024 * 1024  # 20,000 rows of long hall names fit with room to spare
SHOWN_PROBLEMS = 20


class EnrolmentRefused(ValueError):
    """Nothing was enrolled; ``problems`` says why, line by line."""

    def __init__(self, problems: list[str], already_enrolled: bool = False) -> None:
        self.problems = problems
        self.already_enrolled = already_enrolled
        shown = problems[:SHOWN_PROBLEMS]
        more = f"\n… and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
        super().__init__("nothing enrolled:\n" + "\n".join(shown) + more)


def read_csv_file(path: Path) -> list[EnrolKiosk]:
    """The rows of an enrolment CSV file, checked; EnrolmentRefused (a ValueError) otherwise."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_CSV_BYTES + 1)
    except OSError as exc:
        raise EnrolmentRefused([f"cannot read {path}: {exc.strerror or exc}"]) from None
    return parse_csv(data)


def parse_csv(data: bytes) -> list[EnrolKiosk]:
    """Rows from CSV bytes: UTF-8 (a BOM is fine), header ``kiosk_id,hall,group``, three fields a row."""
    if len(data) > MAX_CSV_BYTES:
        raise EnrolmentRefused([f"the file is larger than {MAX_CSV_BYTES // (1024 * 1024)} MiB; split it"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EnrolmentRefused([f"the file is not UTF-8 text (byte {exc.start})"]) from None
    if "\x00" in text:
        raise EnrolmentRefused(["the file contains NUL bytes: not a CSV text file"])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None or tuple(cell.strip() for cell in header) != COLUMNS:
            shown = ",".join(header or [])[:80]
            raise EnrolmentRefused([f"line 1: the header must be {','.join(COLUMNS)} (found {shown!r})"])
        numbered = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise EnrolmentRefused([f"line {reader.line_num}: not valid CSV ({exc})"]) from None
    problems: list[str] = []
    rows: list[tuple[int, EnrolKiosk]] = []
    for line, cells in numbered:
        if len(cells) != len(COLUMNS):
            problems.append(f"line {line}: {len(cells)} fields, expected {len(COLUMNS)} ({','.join(COLUMNS)})")
            continue
        try:
            rows.append((line, EnrolKiosk(**dict(zip(COLUMNS, (c.strip() for c in cells), strict=True)))))
        except ValidationError as exc:
            problems.extend(f"line {line}: {_field_problem(error)}" for error in exc.errors())
    problems.extend(_duplicates(rows))
    if problems:
        raise EnrolmentRefused(problems)
    return check_rows([row for _, row in rows])


def check_rows(rows: list[EnrolKiosk]) -> list[EnrolKiosk]:
    """The rows when there are some, not too many, and no kiosk id twice; EnrolmentRefused otherwise."""
    if not rows:
        raise EnrolmentRefused(["no kiosks to enrol"])
    if len(rows) > MAX_ENROLMENT:
        raise EnrolmentRefused([f"{len(rows)} kiosks; at most {MAX_ENROLMENT} at once"])
    problems = _duplicates(list(enumerate(rows, start=1)), what="row")
    if problems:
        raise EnrolmentRefused(problems)
    return rows


def _field_problem(error: Mapping[str, Any]) -> str:
    field = ".".join(str(part) for part in error.get("loc", ())) or "row"
    return f"{field}: {error.get('msg', 'invalid')}"


def _duplicates(rows: Iterable[tuple[int, EnrolKiosk]], what: str = "line") -> list[str]:
    first: dict[str, int] = {}
    problems = []
    for where, row in rows:
        key = row.kiosk_id.upper()  # XM-HALL-001 and xm-hall-001 would confuse every admin
        if key in first:
            problems.append(f"{what} {where}: kiosk {row.kiosk_id} is already on {what} {first[key]}")
        else:
            first[key] = where
    return problems


def new_token() -> str:
    return "xmk_" + secrets.token_urlsafe(32)


def enrol(db: Database, rows: list[EnrolKiosk], now_iso: str) -> list[tuple[str, str]]:
    """Enrol every row or none; returns ``(kiosk_id, token)`` in the rows' order."""
    rows = check_rows(rows)
    issued = [(row, new_token(), secrets.token_hex(16)) for row in rows]
    wanted = {row.kiosk_id.upper() for row in rows}
    with db.transaction() as conn:
        taken = sorted(r["kiosk_id"] for r in conn.all("SELECT kiosk_id FROM kiosks")
                       if r["kiosk_id"].upper() in wanted)
        if taken:
            raise EnrolmentRefused([f"kiosk {kiosk_id} is already enrolled (rotate its token instead)"
                                    for kiosk_id in taken], already_enrolled=True)
        conn.execute_many(
            "INSERT INTO kiosks (kiosk_id, token_salt, token_hash, zone, enabled, created_at, hall, group_name, "
            "token_set_at, changed_ts) VALUES (:kiosk_id, :salt, :hash, :zone, 1, :at, :hall, :group_name, :at, :ts)",
            [{"kiosk_id": row.kiosk_id, "salt": salt, "hash": token_hash(salt, token), "zone": "hall", "at": now_iso,
              "hall": row.hall, "group_name": row.group, "ts": time.time()} for row, token, salt in issued])
    return [(row.kiosk_id, token) for row, token, _ in issued]


def rotate(db: Database, kiosk_id: str, now_iso: str) -> str | None:
    """A new token for an enrolled kiosk (the old one stops working); None when there is no such kiosk."""
    token, salt = new_token(), secrets.token_hex(16)
    with db.transaction() as conn:
        done = conn.execute("UPDATE kiosks SET token_salt = ?, token_hash = ?, token_set_at = ? WHERE kiosk_id = ?",
                            (salt, token_hash(salt, token), now_iso, kiosk_id)).rowcount
        if done:
            tokens_changed(conn)  # every worker's token cache forgets within its second
    return token if done else None


def set_enabled(db: Database, kiosk_id: str, enabled: bool) -> bool:
    """Enable or disable a kiosk; False when there is no such kiosk."""
    with db.transaction() as conn:
        # changed_ts: the console's next refresh sends this kiosk's row again
        found = conn.execute("UPDATE kiosks SET enabled = ?, changed_ts = ? WHERE kiosk_id = ?",
                             (int(enabled), time.time(), kiosk_id)).rowcount > 0
        if found:
            tokens_changed(conn)
        return found


def as_csv(tokens: list[tuple[str, str]]) -> str:
    """``kiosk_id,token`` lines with a header, as ``admin enrol`` prints them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("kiosk_id", "token"))
    writer.writerows(tokens)
    return out.getvalue()
