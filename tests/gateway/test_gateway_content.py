"""Content: catalogue, guides, announcements and hours, versioned with ETag / If-None-Match."""

from __future__ import annotations

import pytest

from config.catalogue import load_default_catalogue
from contract.content import AnnouncementList, CatalogueDocument, Guide, GuideCollection, HoursDocument

DOCUMENTS = ["/content/catalogue", "/content/guides", "/content/announcements", "/content/hours",
             "/content/guides/ss-card-apply"]


def test_catalogue_is_the_configured_one(api):
    answer = api.get("/content/catalogue")
    assert answer.status_code == 200
    document = CatalogueDocument.model_validate(answer.json())
    configured = load_default_catalogue()
    assert {s.id for d in document.departments for s in d.services} == {s.id for s in configured.services()}
    apply = next(s for d in document.departments for s in d.services if s.id == "ss-card-apply")
    assert apply.queue_prefix == "A" and apply.department == "social-security"
    assert document.version.startswith(configured.version)


@pytest.mark.parametrize("path", DOCUMENTS)
def test_each_document_has_an_etag_and_answers_304_when_current(api, path):
    first = api.get(path)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert etag == f'"{first.json()["version"]}"'
    again = api.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == etag
    stale = api.get(path, headers={"If-None-Match": '"something-older"'})
    assert stale.status_code == 200 and stale.json() == first.json()


def test_every_catalogue_service_has_a_guide_with_content(api):
    collection = GuideCollection.model_validate(api.get("/content/guides").json())
    ids = {s.id for s in load_default_catalogue().services()}
    assert {g.service_id for g in collection.guides} == ids
    for guide in collection.guides:
        assert guide.steps, guide.service_id
        assert guide.summary_zh and guide.summary_en
        assert guide.time_limit_zh and guide.fee_zh and guide.where_zh
        assert guide.online_url and guide.online_url.startswith("https://")


def test_one_guide_is_bilingual_and_says_where_to_go(api):
    guide = Guide.model_validate(api.get("/content/guides/ss-maternity").json())
    assert guide.name_zh == "生育保险待遇申领"
    assert guide.where_zh == "B区 17–18号窗口"
    assert any("出生医学证明" in m.name_zh for m in guide.materials)
    assert guide.department_en == "Social Security Center"


def test_unknown_guide_is_404_and_bad_id_is_422(api):
    missing = api.get("/content/guides/no-such-service")
    assert missing.status_code == 404 and missing.json()["code"] == "service_not_found"
    assert api.get("/content/guides/BAD_ID").status_code == 422


def test_announcements_and_hours(api):
    announcements = AnnouncementList.model_validate(api.get("/content/announcements").json())
    assert announcements.items and all(a.title_zh and a.title_en for a in announcements.items)
    hours = HoursDocument.model_validate(api.get("/content/hours").json())
    assert hours.calendar["timezone"] == "Asia/Shanghai"
    assert "week" in hours.calendar


def test_built_in_hours_are_a_valid_calendar_for_the_kiosk():
    """Served only while configuration has no calendar; the kiosk must still be able to read it."""
    import json

    from config.calendar import parse_calendar
    from gateway.content import _HERE

    calendar = parse_calendar(json.loads((_HERE / "hours.json").read_text(encoding="utf-8")))
    assert calendar.week.sessions(0) and not calendar.week.sessions(6)
