"""The console's kiosk list at fleet size: pages, filters and sorting in SQL, alert kinds, and refreshes by cursor."""

from __future__ import annotations

import pytest
from fleet_fixtures import Fleet, heartbeat

from contract.fleet import Heartbeat
from gateway import fleet_book

HALLS = ("思明区行政服务中心", "湖里区行政服务中心")


def _kiosk(n: int) -> str:
    return f"FJ-TEST-{n:03d}"


def _beat(fleet: Fleet, n: int, **parts) -> None:
    now = fleet.clock()
    body = heartbeat(_kiosk(n), group="hall-a" if n % 2 else "hall-b", sent_at=now.isoformat(timespec="seconds"),
                     app_version="1.0.1" if n % 3 else "0.9.0", **parts)
    with fleet.db.transaction() as conn:
        fleet_book.record_heartbeat(conn, _kiosk(n), Heartbeat.model_validate(body), now)


@pytest.fixture(scope="module")
def fleet(new_database):
    fleet = Fleet(new_database("console_pages"))
    rows = [{"kiosk_id": _kiosk(n), "hall": HALLS[n % 2], "group": "hall-a" if n % 2 else "hall-b"} for n in range(30)]
    assert fleet.admin.post(fleet.url + "/api/v1/fleet/enrolments", json={"kiosks": rows}, timeout=10).status_code == 201
    fleet.clock.advance(minutes=-10)
    _beat(fleet, 1)  # heard from ten minutes ago: offline now
    fleet.clock.advance(minutes=10)
    for n in range(2, 28):  # 0 and 28, 29 never heard from
        parts = {}
        if n == 5:
            parts["alerts"] = [{"code": "staff_called", "level": "error", "zh": "市民呼叫工作人员", "en": "Staff called"}]
        if n == 6:
            parts["paper"] = {"state": "out"}
        _beat(fleet, n, **parts)
    yield fleet
    fleet.server.stop()


def _page(fleet: Fleet, **params) -> dict:
    answer = fleet.admin.get(fleet.url + "/api/v1/fleet/kiosks", params=params, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_pages_and_sorting(fleet):
    first = _page(fleet, per_page=10)
    demo = len(first["ids"]) and first["total"] - 30  # the fixture's demo kiosks are there too
    assert first["pages"] == -(-(30 + demo) // 10) and len(first["ids"]) == 10 and first["full"]
    assert first["ids"] == sorted(first["ids"]) and [k["kiosk_id"] for k in first["kiosks"]] == first["ids"]
    last = _page(fleet, per_page=10, sort="kiosk", order="desc")
    assert last["ids"][0] == max(last["ids"] + first["ids"])
    assert _page(fleet, per_page=10, page=99)["ids"] == []
    by_alerts = _page(fleet, sort="alerts", order="desc", per_page=200)
    assert set(by_alerts["ids"][:8]) >= {_kiosk(0), _kiosk(1), _kiosk(5), _kiosk(6), _kiosk(28), _kiosk(29)}


def test_filters(fleet):
    def ids(**params):
        return set(_page(fleet, per_page=200, **params)["ids"])

    assert ids(hall=HALLS[1]) == {_kiosk(n) for n in range(1, 30, 2)}
    assert ids(group="hall-a", hall=HALLS[1]) == {_kiosk(n) for n in range(1, 30, 2)}
    assert {_kiosk(0), _kiosk(1), _kiosk(28), _kiosk(29)} <= ids(status="offline")
    assert _kiosk(1) not in ids(status="online") and _kiosk(2) in ids(status="online")
    assert ids(alert="staff_called") == {_kiosk(5)}
    assert ids(alert="paper_out") == {_kiosk(6)}
    assert ids(alert="never_seen") >= {_kiosk(0), _kiosk(28), _kiosk(29)}
    assert ids(alert="offline") >= {_kiosk(1)} and _kiosk(0) not in ids(alert="offline")
    assert ids(version="0.9.0") >= {_kiosk(3), _kiosk(6)} and _kiosk(4) not in ids(version="0.9.0")
    assert ids(q="test-02") == {_kiosk(n) for n in range(20, 30)}
    assert ids(q="%") == set() and ids(q="_") == set()  # LIKE's wildcards are only characters here
    alerting = ids(alerting="true")
    assert {_kiosk(0), _kiosk(1), _kiosk(5), _kiosk(6)} <= alerting and _kiosk(2) not in alerting


def test_facets_list_every_alert_kind_the_storage_has(fleet):
    answer = _page(fleet, per_page=1)
    kinds = {kind["code"]: kind for kind in answer["facets"]["alerts"]}
    assert kinds["staff_called"]["kiosks"] == 1 and kinds["staff_called"]["zh"] == "市民呼叫工作人员"
    assert kinds["paper_out"]["kiosks"] == 1 and kinds["offline"]["kiosks"] >= 1 and kinds["never_seen"]["kiosks"] >= 3
    assert set(answer["facets"]["halls"]) >= set(HALLS) and "0.9.0" in answer["facets"]["versions"]
    assert answer["summary"]["kiosks"] == answer["total"] and answer["summary"]["online"] >= 25


def test_a_refresh_sends_only_what_changed(fleet):
    query = {"hall": HALLS[0], "per_page": 50}
    fleet.clock.advance(seconds=30)  # past the enrolment (a change to every enrolled kiosk's row)
    first = _page(fleet, **query)
    known = ",".join(first["ids"])
    fleet.clock.advance(seconds=30)
    quiet = _page(fleet, **query, since=first["cursor"], known=known)
    assert quiet["ids"] == first["ids"] and quiet["kiosks"] == [] and not quiet["full"]
    fleet.clock.advance(seconds=30)
    _beat(fleet, 4, paper={"state": "near_end"})
    fleet.clock.advance(seconds=10)  # (a refresh re-sends what changed within seconds before its cursor)
    changed = _page(fleet, **query, since=quiet["cursor"], known=known)
    assert [k["kiosk_id"] for k in changed["kiosks"]] == [_kiosk(4)]
    assert changed["kiosks"][0]["alerts"][0]["code"] == "paper_low"
    partial = _page(fleet, **query, since=changed["cursor"], known=",".join(first["ids"][1:]))
    assert [k["kiosk_id"] for k in partial["kiosks"]] == [first["ids"][0]]  # new to the console: sent whole
    fleet.clock.advance(minutes=4)  # every kiosk's last beat is now older than three minutes
    gone = _page(fleet, **query, since=changed["cursor"], known=known)
    assert {k["kiosk_id"] for k in gone["kiosks"]} >= {_kiosk(2), _kiosk(4)}
    assert all(not k["online"] for k in gone["kiosks"])


@pytest.mark.parametrize("params", [
    {"sort": "token_hash"}, {"per_page": 1000}, {"page": 0}, {"order": "sideways"}, {"status": "asleep"},
    {"alert": "paper out; DROP TABLE kiosks"}, {"known": "FJ-1,<script>"}, {"since": "yesterday"},
    {"known": ",".join(f"K{n}" for n in range(201))}, {"group": "Hall A"},
])
def test_bad_queries_get_a_clear_422(fleet, params):
    answer = fleet.admin.get(fleet.url + "/api/v1/fleet/kiosks", params=params, timeout=10)
    assert answer.status_code == 422, answer.text
    assert answer.json()["message"]
