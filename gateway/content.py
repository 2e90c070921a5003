"""Public content documents: catalogue, guides, announcements and hours, each with a version.

Written guide texts live in ``guides.json`` keyed by service id; a catalogue service without one
gets a plain guide built from what the catalogue knows (where to go, bring your ID card), so
every service the kiosk shows has a guide.
"""

from __future__ import annotations

import hashlib
import json
import logging
from functools import cache
from pathlib import Path
from typing import Any

log = logging.getLogger("gateway.server")

_HERE = Path(__file__).parent
ONLINE_HALL = "https://zwfw.xm.gov.cn"


def document_version(document: Any) -> str:
    """A short digest of the document's canonical JSON: changes exactly when the content does."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@cache
def _written_guides() -> dict[str, dict[str, Any]]:
    return json.loads((_HERE / "guides.json").read_text(encoding="utf-8"))


@cache
def _announcements() -> list[dict[str, Any]]:
    return json.loads((_HERE / "announcements.json").read_text(encoding="utf-8"))


def catalogue_document(catalogue: dict[str, Any]) -> dict[str, Any]:
    keep = ("id", "name_zh", "name_en", "department", "journey", "hours", "id_card_required",
            "window_zh", "window_en", "queue_prefix")
    departments = [
        {"id": d["id"], "name_zh": d["name_zh"], "name_en": d["name_en"],
         "services": [{k: s.get(k) for k in keep if k in s} for s in d["services"]]}
        for d in catalogue["departments"]
    ]
    return {"version": f'{catalogue["version"]}-{document_version(departments)[:8]}', "departments": departments}


def _plain_guide(service: dict[str, Any]) -> dict[str, Any]:
    where_zh = service.get("window_zh") or "自助服务区"
    where_en = service.get("window_en") or "the self-service zone"
    materials = []
    if service.get("id_card_required"):
        materials.append({"name_zh": "申请人有效身份证件", "name_en": "Applicant's valid identity document",
                          "copies": "原件1份 / 1 original"})
    return {
        "summary_zh": f"{service['name_zh']}：请携带所需材料到{where_zh}办理。",
        "summary_en": f"{service['name_en']}: bring the materials listed and go to {where_en}.",
        "materials": materials,
        "steps": [
            {"zh": "在自助终端取号或网上预约", "en": "Take a number at a kiosk or book online"},
            {"zh": f"叫号后到{where_zh}提交材料", "en": f"When called, hand in the materials at {where_en}"},
            {"zh": "窗口审核后当场告知结果或领取时间", "en": "The window checks them and tells you the result or when to collect"},
        ],
        "time_limit_zh": "材料齐全的当场受理", "time_limit_en": "Accepted on the spot when the materials are complete",
    }


def guide_for(service: dict[str, Any], department: dict[str, Any]) -> dict[str, Any]:
    written = _written_guides().get(service["id"]) or _plain_guide(service)
    guide = {
        "service_id": service["id"], "name_zh": service["name_zh"], "name_en": service["name_en"],
        "department_zh": department["name_zh"], "department_en": department["name_en"],
        "summary_zh": "", "summary_en": "", "materials": [], "steps": [],
        "fee_zh": "免费", "fee_en": "Free of charge", "time_limit_zh": "", "time_limit_en": "",
        "where_zh": service.get("window_zh") or ("24小时自助服务区" if service.get("hours") == "24h" else "综合咨询台"),
        "where_en": service.get("window_en") or ("24-hour self-service zone" if service.get("hours") == "24h"
                                                 else "the information desk"),
        "online_url": f"{ONLINE_HALL}/guide/{service['id']}",
    }
    guide.update(written)
    guide["version"] = document_version(guide)
    return guide


def guides_document(catalogue: dict[str, Any]) -> dict[str, Any]:
    guides = [guide_for(s, d) for d in catalogue["departments"] for s in d["services"]]
    return {"version": document_version([g["version"] for g in guides]), "guides": guides}


def announcements_document(today: str) -> dict[str, Any]:
    items = [a for a in _announcements() if not a.get("expires") or a["expires"] >= today]
    return {"version": document_version(items), "items": items}


def hours_document() -> dict[str, Any]:
    """The calendar from configuration (config.calendar), or the plain built-in one until it exists."""
    try:
        from config.calendar import load_calendar

        calendar = load_calendar().model_dump(mode="json")
    except Exception as exc:  # the gateway must still answer while configuration is incomplete
        log.warning("opening-hours calendar from configuration unavailable (%s); using built-in hours", exc)
        calendar = json.loads((_HERE / "hours.json").read_text(encoding="utf-8"))
    return {"version": document_version(calendar), "calendar": calendar}
