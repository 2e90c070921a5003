"""Enrolling kiosks from a CSV or the admin API, rotating tokens, disabling kiosks; hostile CSVs change nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fleet_fixtures import Fleet
from gateway_api import Api, count

from gateway import cli
from gateway.storage import Database

GOOD = "kiosk_id,hall,group\nXM-SM-001,思明区行政服务中心,canary\nXM-SM-002,思明区行政服务中心,stable\n"


def _enrol(tmp_path: Path, location, text: str | bytes, capsys) -> tuple[int, str, str]:
    path = tmp_path / "kiosks.csv"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    code = cli.main(["admin", "enrol", "--csv", str(path), "--db", str(location)])
    out, err = capsys.readouterr()
    return code, out, err


def _tokens(out: str) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["kiosk_id", "token"]
    return dict(rows[1:])


def test_enrol_prints_a_token_per_kiosk_that_the_gateway_accepts(new_database, tmp_path, capsys):
    location = new_database("enrol")
    code, out, err = _enrol(tmp_path, location, "\ufeff" + GOOD, capsys)  # with the BOM spreadsheets write
    assert code == 0, err
    tokens = _tokens(out)
    assert list(tokens) == ["XM-SM-001", "XM-SM-002"] and len(set(tokens.values())) == 2
    assert "shown only now" in err
    fleet = Fleet(location)
    try:
        for kiosk_id, token in tokens.items():
            assert Api(fleet.url, (kiosk_id, token)).get("/queue/services").status_code == 200
        assert Api(fleet.url, ("XM-SM-001", tokens["XM-SM-002"])).get("/queue/services").status_code == 401
        with fleet.db.read() as conn:
            row = conn.one("SELECT hall, group_name, token_hash FROM kiosks WHERE kiosk_id = ?", ("XM-SM-001",))
        assert (row["hall"], row["group_name"]) == ("思明区行政服务中心", "canary")
        assert tokens["XM-SM-001"] not in row["token_hash"]
    finally:
        fleet.server.stop()


HOSTILE = {
    "no header": ("XM-SM-001,思明,canary\n", "line 1: the header must be kiosk_id,hall,group"),
    "other columns": ("kiosk,hall,group\nXM-SM-001,思明,canary\n", "header must be"),
    "extra column": (GOOD + "XM-SM-003,思明,canary,surplus\n", "line 4: 4 fields, expected 3"),
    "missing column": (GOOD + "XM-SM-003,思明\n", "line 4: 2 fields"),
    "duplicate": (GOOD + "xm-sm-001,思明,canary\n", "line 4: kiosk xm-sm-001 is already on line 2"),
    "bad kiosk id": (GOOD + "../../etc/passwd,思明,canary\n", "line 4: kiosk_id"),
    "bad group": (GOOD + "XM-SM-003,思明,Canary Group\n", "line 4: group"),
    "control characters": (GOOD + "XM-SM-003,思\x1b[2J明,canary\n", "line 4: hall"),
    "hall too long": (GOOD + "XM-SM-003," + "厅" * 65 + ",canary\n", "line 4: hall"),
    "unterminated quote": (GOOD + 'XM-SM-003,"思明,canary\n', "not valid CSV"),
    "not utf-8": (GOOD.encode("gb18030"), "not UTF-8"),
    "nul bytes": (GOOD + "XM-SM-003,\x00,canary\n", "NUL bytes"),
    "empty": ("", "header must be"),
    "header only": ("kiosk_id,hall,group\n", "no kiosks to enrol"),
    "huge": (GOOD + "# " + "x" * (4 * 1024 * 1024), "larger than 4 MiB"),
    "too many": ("kiosk_id,hall,group\n" + "".join(f"XM-P-{n:05d},h,g\n" for n in range(20_001)),
                 "at most 20000 at once"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_csv_is_refused_clearly_and_changes_nothing(name, tmp_path, capsys):
    location = tmp_path / "gateway.sqlite3"
    Database(location).close()
    text, said = HOSTILE[name]
    code, out, err = _enrol(tmp_path, location, text, capsys)
    assert code == 2 and out == ""
    assert said in err and "nothing enrolled" in err and "Traceback" not in err, err
    assert len(err) < 4000  # the first problems, not a wall of text
    assert count(location, "SELECT COUNT(*) FROM kiosks") == 0


def test_kiosks_already_enrolled_are_refused_and_nothing_changes(new_database, tmp_path, capsys):
    location = new_database("again")
    assert _enrol(tmp_path, location, GOOD, capsys)[0] == 0
    before = {r["kiosk_id"]: r["token_hash"] for r in _rows(location)}
    code, out, err = _enrol(tmp_path, location, "kiosk_id,hall,group\nXM-SM-009,湖里,canary\nXM-SM-002,思明,canary\n",
                            capsys)
    assert code == 2 and "kiosk XM-SM-002 is already enrolled" in err
    assert {r["kiosk_id"]: r["token_hash"] for r in _rows(location)} == before  # XM-SM-009 not added either


def _rows(location) -> list[dict]:
    db = Database(location, upgrade=False)
    try:
        with db.read() as conn:
            return conn.all("SELECT kiosk_id, token_hash, enabled FROM kiosks ORDER BY kiosk_id")
    finally:
        db.close()


def test_rotate_disable_and_enable_from_the_command_line(new_database, tmp_path, capsys):
    location = new_database("rotate")
    tokens = _tokens(_enrol(tmp_path, location, GOOD, capsys)[1])
    assert cli.main(["admin", "rotate-token", "XM-SM-001", "--db", str(location)]) == 0
    rotated = _tokens(capsys.readouterr().out)
    assert rotated["XM-SM-001"] != tokens["XM-SM-001"]
    assert cli.main(["admin", "disable", "XM-SM-002", "--db", str(location)]) == 0
    assert cli.main(["admin", "rotate-token", "XM-NOBODY", "--db", str(location)]) == 2
    assert "no kiosk 'XM-NOBODY' is enrolled" in capsys.readouterr().err
    fleet = Fleet(location)
    try:
        assert Api(fleet.url, ("XM-SM-001", tokens["XM-SM-001"])).get("/queue/services").status_code == 401
        assert Api(fleet.url, ("XM-SM-001", rotated["XM-SM-001"])).get("/queue/services").status_code == 200
        assert Api(fleet.url, ("XM-SM-002", tokens["XM-SM-002"])).get("/queue/services").status_code == 401
    finally:
        fleet.server.stop()
    assert cli.main(["admin", "enable", "XM-SM-002", "--db", str(location)]) == 0


def test_the_admin_api_enrols_rotates_disables_and_refuses_bad_rows(new_database):
    fleet = Fleet(new_database("api"))
    try:
        url = fleet.url + "/api/v1/fleet"
        rows = [{"kiosk_id": f"XM-HL-{n:03d}", "hall": "湖里区行政服务中心", "group": "stable"} for n in range(3)]
        answer = fleet.admin.post(url + "/enrolments", json={"kiosks": rows}, timeout=10)
        assert answer.status_code == 201 and answer.headers["Cache-Control"] == "no-store"
        tokens = {k["kiosk_id"]: k["token"] for k in answer.json()["kiosks"]}
        assert Api(fleet.url, ("XM-HL-001", tokens["XM-HL-001"])).get("/queue/services").status_code == 200
        again = fleet.admin.post(url + "/enrolments", json={"kiosks": rows[:1]}, timeout=10)
        assert again.status_code == 409 and "already enrolled" in again.json()["detail"][0]
        twice = fleet.admin.post(url + "/enrolments", json={"kiosks": [rows[0] | {"kiosk_id": "XM-X"}] * 2}, timeout=10)
        assert twice.status_code == 422 and "already on row 1" in twice.json()["detail"][0]
        bad = fleet.admin.post(url + "/enrolments", json={"kiosks": [{"kiosk_id": "x y", "hall": "", "group": "A"}]},
                               timeout=10)
        assert bad.status_code == 422
        assert count(fleet.app.state.gateway.settings.db_path, "SELECT COUNT(*) FROM kiosks WHERE kiosk_id LIKE 'XM-X%'") == 0
        new = fleet.admin.post(url + "/kiosks/XM-HL-002/token", timeout=10)
        assert new.status_code == 200 and new.json()["token"] != tokens["XM-HL-002"]
        assert fleet.admin.post(url + "/kiosks/XM-HL-000/disable", timeout=10).json() == {
            "kiosk_id": "XM-HL-000", "enabled": False}
        assert Api(fleet.url, ("XM-HL-000", tokens["XM-HL-000"])).get("/queue/services").status_code == 401
        assert fleet.admin.post(url + "/kiosks/XM-NOBODY/enable", timeout=10).status_code == 404
        stranger = Api(fleet.url).session.post(url + "/enrolments", json={"kiosks": rows}, timeout=10)
        assert stranger.status_code == 401
    finally:
        fleet.server.stop()
