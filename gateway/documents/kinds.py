"""The three certificates a citizen can take away, and how each maps to its lookup."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentKind:
    name: str  # as the kiosk and the CLI say it
    lookup: str  # the lookup kind in gateway.routers.lookups
    prefix: str  # in the document number
    title_zh: str
    title_en: str


KINDS: dict[str, DocumentKind] = {
    "social_security": DocumentKind("social_security", "social_security", "SS", "参保缴费证明",
                                    "Certificate of social insurance contributions"),
    "property": DocumentKind("property", "properties", "BDC", "不动产登记信息查询结果",
                             "Property registration search result"),
    "population": DocumentKind("population", "household", "RK", "户籍人口信息证明",
                               "Household registration (population) information"),
}
BY_LOOKUP = {kind.lookup: kind for kind in KINDS.values()}


def kind_named(name: str) -> DocumentKind:
    """The kind called ``name`` (either its own name or its lookup's); ValueError names the choices."""
    kind = KINDS.get(name) or BY_LOOKUP.get(name)
    if kind is None:
        raise ValueError(f"unknown document kind {name!r}; expected one of {', '.join(KINDS)}")
    return kind
