"""The service catalogue as the gateway sees it, taken from the kiosk configuration.

The gateway seeds its queues and guides by service id from ``config.catalogue``. The import
happens here, inside a function, so a gateway without that module still starts (with a small
built-in list) instead of failing.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

log = logging.getLogger("gateway.server")

# Used only when config.catalogue cannot be loaded: enough for the demo citizens' journeys.
_FALLBACK: dict[str, Any] = {
    "version": "gateway-fallback-1",
    "departments": [
        {
            "id": "social-security", "name_zh": "市社保中心", "name_en": "Social Security Center",
            "services": [
                {"id": "ss-record-lookup", "name_zh": "社保参保缴费查询打印",
                 "name_en": "Social insurance record lookup & print", "journey": "social_security",
                 "hours": "24h", "id_card_required": True},
                {"id": "ss-card-apply", "name_zh": "社会保障卡申领", "name_en": "Social security card application",
                 "journey": "queue_ticket", "hours": "hall", "id_card_required": True,
                 "window_zh": "B区 11–16号窗口", "window_en": "Zone B, windows 11–16", "queue_prefix": "A"},
            ],
        },
        {
            "id": "finance", "name_zh": "市财政局", "name_en": "Finance Bureau",
            "services": [
                {"id": "fin-non-tax-payment", "name_zh": "非税收入缴费", "name_en": "Non-tax fee payment",
                 "journey": "payment", "hours": "24h"},
            ],
        },
    ],
}


def load_catalogue_document() -> dict[str, Any]:
    """The catalogue as plain JSON data: departments, each with services knowing their department."""
    try:
        from config.catalogue import load_default_catalogue

        data = asdict(load_default_catalogue())
    except Exception as exc:  # a broken or missing catalogue must not stop the hall's gateway
        log.warning("service catalogue from configuration unavailable (%s); using the built-in list", exc)
        data = _FALLBACK
    for department in data["departments"]:
        for service in department["services"]:
            service["department"] = department["id"]
    return data


def services_by_id(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for d in document["departments"] for s in d["services"]}


def departments_by_id(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["id"]: d for d in document["departments"]}
