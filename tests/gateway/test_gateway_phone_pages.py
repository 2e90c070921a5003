"""Pages for the citizen's phone: a guide per service, one-time result links, follow-up on ratings."""

from __future__ import annotations

import hashlib
import re

import pytest
import requests
from gateway_api import NIGHT

RESULT = {
    "session_id": "a1b2c3d4e5f6", "language": "zh", "title": "社保查询",
    "holder": "林秀英", "id_number": "350203194803120021", "document_number": "XMZW-SS-20261125-000001",
    "sections": [
        {"heading": "参保状态", "facts": [{"label": "参保状态", "value": "正常参保"},
                                        {"label": "社保卡号", "value": "D1****789", "warn": True}]},
        {"heading": "缴费记录", "columns": ["月份", "险种"], "cells": [["2026-10", "养老 医疗"], ["2026-09", "养老"]]},
    ],
}


def _rows(database, sql: str, *params) -> list[dict]:
    with database.read() as conn:
        return [dict(row) for row in conn.all(sql, params)]


def _count(database, sql: str) -> int:
    return int(_rows(database, sql)[0]["n"])


def _page(gateway_url: str, path: str) -> requests.Response:
    return requests.get(gateway_url + path, timeout=10)


def _link(api, body=None) -> str:
    answer = api.post("/result-links", json=body or RESULT)
    assert answer.status_code == 201, answer.text
    return answer.json()["url"]


# -- guides -------------------------------------------------------------------------------------

def test_a_guide_page_per_service_in_both_languages(shared_gateway):
    zh = _page(shared_gateway.url, "/guides/ss-card-apply")
    assert zh.status_code == 200 and 'name="viewport"' in zh.text and 'lang="zh-CN"' in zh.text
    for text in ("社会保障卡", "所需材料", "办公时间", "周一至周五", "12345", "收费标准", "办理时限", "办理地点"):
        assert text in zh.text, text
    assert "public" in zh.headers["Cache-Control"] and zh.headers["ETag"]
    en = _page(shared_gateway.url, "/guides/ss-card-apply?lang=en")
    assert 'lang="en"' in en.text and "What to bring" in en.text and "Mon–Fri" in en.text
    again = requests.get(shared_gateway.url + "/guides/ss-card-apply", headers={"If-None-Match": zh.headers["ETag"]},
                         timeout=10)
    assert again.status_code == 304


def test_a_round_the_clock_service_says_so(shared_gateway):
    app_ctx = shared_gateway._server.config.app.state.gateway
    service_id = next(s for s, service in app_ctx.services.items() if service.get("hours") == "24h")
    page = _page(shared_gateway.url, f"/guides/{service_id}").text
    assert "24小时自助服务区随时办理" in page


@pytest.mark.parametrize("path", ["/guides/no-such-service", "/guides/%3Cscript%3E", "/guides/" + "x" * 61])
def test_an_unknown_guide_is_a_plain_404_page(shared_gateway, path):
    answer = _page(shared_gateway.url, path)
    assert answer.status_code in (404, 422)
    assert "<script>" not in answer.text
    if answer.status_code == 404:
        assert "未找到该事项的办事指南" in answer.text


def test_a_bad_language_is_refused_without_a_traceback(shared_gateway):
    answer = _page(shared_gateway.url, "/guides/ss-card-apply?lang=fr")
    assert answer.status_code == 422 and "Traceback" not in answer.text


# -- one-time result links ----------------------------------------------------------------------------

def test_a_result_opens_once_masked_and_never_cached(api, shared_gateway):
    url = _link(api)
    assert url.startswith(shared_gateway.url + "/r/")
    first = requests.get(url, timeout=10)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-store" and first.headers["Referrer-Policy"] == "no-referrer"
    assert "林**" in first.text and "3502**********0021" in first.text  # masked again by the gateway
    assert "林秀英" not in first.text and "350203194803120021" not in first.text
    assert "XMZW-SS-20261125-000001" in first.text and "2026-09" in first.text and "D1****789" in first.text
    second = requests.get(url, timeout=10)
    assert second.status_code == 410 and "此链接已使用过" in second.text and "正常参保" not in second.text
    assert second.headers["Cache-Control"] == "no-store"


def test_only_a_hash_of_the_secret_is_kept_and_the_result_goes_once_read(api, shared_gateway):
    url = _link(api, {**RESULT, "session_id": "hash-check-01"})
    token = url.rsplit("/", 1)[1]
    assert len(token) >= 40  # token_urlsafe(32)
    database = shared_gateway._server.config.app.state.gateway.db
    kept = _rows(database, "SELECT token_hash, payload FROM result_links WHERE session_id = ?", "hash-check-01")
    assert kept[0]["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(kept) and "正常参保" in kept[0]["payload"]
    requests.get(url, timeout=10)
    assert _rows(database, "SELECT payload FROM result_links WHERE session_id = ?", "hash-check-01")[0]["payload"] == ""


@pytest.mark.parametrize("token", ["forged-token", "A" * 43, "%3Cb%3Ex%3C%2Fb%3E", "x" * 300])
def test_forged_tokens_open_nothing(shared_gateway, token):
    answer = _page(shared_gateway.url, f"/r/{token}")
    assert answer.status_code in (404, 422)
    assert "<b>x</b>" not in answer.text and "Traceback" not in answer.text


def test_asking_again_revokes_the_sessions_earlier_link(api):
    body = {**RESULT, "session_id": "again-session-1"}
    first, second = _link(api, body), _link(api, body)
    assert requests.get(first, timeout=10).status_code == 410
    assert requests.get(second, timeout=10).status_code == 200


def test_html_in_the_result_is_shown_as_text(api):
    hostile = {**RESULT, "session_id": "hostile-html-1", "title": "<script>alert(1)</script>",
               "sections": [{"heading": "<img src=x onerror=alert(1)>",
                             "facts": [{"label": "<b>名</b>", "value": "\"><script>x</script>"}]}]}
    page = requests.get(_link(api, hostile), timeout=10).text
    assert "<script>" not in page and "<img" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize("change", [
    {"session_id": "x"}, {"session_id": "bad session id!"}, {"sections": []}, {"language": "fr"},
    {"title": "t" * 61}, {"sections": [{"heading": "h", "facts": [{"label": "l", "value": "v" * 201}]}]},
    {"extra": 1},
])
def test_bad_link_requests_are_refused(api, change):
    answer = api.post("/result-links", json={**RESULT, **change})
    assert answer.status_code == 422 and "Traceback" not in answer.text


def test_a_link_needs_a_kiosk(shared_gateway):
    answer = requests.post(shared_gateway.url + "/api/v1/result-links", json=RESULT, timeout=10)
    assert answer.status_code == 401


def test_a_link_expires_after_ten_minutes(start_gateway, clock, make_api):
    server, settings = start_gateway(now=clock)
    api = make_api(server.url)
    url = _link(api)
    clock.advance(minutes=10, seconds=1)
    answer = requests.get(url, timeout=10)
    assert answer.status_code == 410 and "此链接已过期" in answer.text and "正常参保" not in answer.text
    database = server._server.config.app.state.gateway.db
    assert _count(database, "SELECT COUNT(*) AS n FROM result_links WHERE payload <> ''") == 0
    clock.advance(hours=2)
    from gateway import retention

    with database.transaction() as conn:
        retention.prune(conn, clock().timestamp(), settings.replay_window_s)
    assert _count(database, "SELECT COUNT(*) AS n FROM result_links") == 0
    assert requests.get(url, timeout=10).status_code == 404


def test_another_kiosk_does_not_revoke_this_kiosks_link(api, make_api, shared_gateway):
    body = {**RESULT, "session_id": "shared-session"}
    mine = _link(api, body)
    _link(make_api(shared_gateway.url, kiosk=NIGHT), body)
    assert requests.get(mine, timeout=10).status_code == 200


# -- ratings with follow-up --------------------------------------------------------------------

def test_a_rating_keeps_its_record_number_and_the_phone_given_with_consent(api, shared_gateway):
    body = {"service_id": "ss-card-apply", "rating": 2, "comment": "等待太久", "record_number": "A023",
            "follow_up_phone": "13812341234", "follow_up_consent": True}
    answer = api.post("/feedback", json=body, key="follow-up-key-1")
    assert answer.status_code == 201
    kept = _rows(shared_gateway._server.config.app.state.gateway.db, "SELECT record_number, follow_up_phone FROM feedback "
                "WHERE feedback_id = ?", answer.json()["feedback_id"])
    assert kept == [{"record_number": "A023", "follow_up_phone": "13812341234"}]


@pytest.mark.parametrize("change", [
    {"follow_up_phone": "13812341234"},  # no consent
    {"follow_up_phone": "12345678901", "follow_up_consent": True},
    {"follow_up_phone": "1381234123", "follow_up_consent": True},
    {"follow_up_phone": "138-1234-1234", "follow_up_consent": True},
    {"follow_up_phone": "<b>13812341234</b>", "follow_up_consent": True},
    {"record_number": "<script>"}, {"record_number": "R" * 65},
])
def test_junk_follow_up_details_are_refused(api, change):
    body = {"service_id": "ss-card-apply", "rating": 1, "comment": "等待太久", **change}
    answer = api.post("/feedback", json=body)
    assert answer.status_code == 422 and "Traceback" not in answer.text
    assert not re.search(r"1381234123\d", answer.text)


def test_html_in_a_guide_is_shown_as_text():
    from gateway.guide_pages import guide_body

    hostile = {"name_zh": "<script>alert(1)</script>", "department_zh": "<b>部门</b>", "summary_zh": "\"><img src=x>",
               "materials": [{"name_zh": "<i>材料</i>", "copies": "<u>1</u>", "note_zh": "<a href=x>注</a>"}],
               "steps": [{"zh": "<iframe>"}], "fee_zh": "<s>免费</s>", "time_limit_zh": "&lt;", "where_zh": "<hr>"}
    calendar = {"week": {"mon": ["08:30-12:00"], "tue": [{"start": "<b>", "end": "</b>"}]}}
    page = guide_body(hostile, calendar, "<hotline>", "zh")
    for tag in ("<script", "<b>部门", "<img", "<i>", "<u>", "<a href=x", "<iframe", "<s>", "<hr", "<hotline",
                "<b>–</b>"):
        assert tag not in page, tag
    assert "&lt;script&gt;" in page and "&amp;lt;" in page


def test_a_follow_up_number_is_erased_after_thirty_days(start_gateway, clock, make_api):
    from gateway import retention

    server, settings = start_gateway(now=clock)
    api = make_api(server.url)
    body = {"service_id": "ss-card-apply", "rating": 1, "comment": "设备有故障", "record_number": "PO-1",
            "follow_up_phone": "13912345678", "follow_up_consent": True}
    assert api.post("/feedback", json=body).status_code == 201
    database = server._server.config.app.state.gateway.db
    clock.advance(days=29)
    with database.transaction() as conn:
        retention.prune(conn, clock().timestamp(), settings.replay_window_s)
    assert _rows(database, "SELECT follow_up_phone FROM feedback WHERE record_number = 'PO-1'") == [
        {"follow_up_phone": "13912345678"}]
    clock.advance(days=2)
    with database.transaction() as conn:
        retention.prune(conn, clock().timestamp(), settings.replay_window_s)
    assert _rows(database, "SELECT follow_up_phone, rating FROM feedback WHERE record_number = 'PO-1'") == [
        {"follow_up_phone": None, "rating": 1}]
