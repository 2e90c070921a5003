"""The service catalogue: departments, their services, and which journey handles each.

The catalogue is configuration: a default ships with the kiosk and signed remote bundles replace
it. Everything the home screen and the availability engine need to know about a service is here.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from functools import cache, cached_property
from pathlib import Path
from typing import Literal

from config.errors import ConfigError, from_section_error
from config.sections import Section, SectionError, section, setting

DEFAULT_CATALOGUE = Path(__file__).parent / "defaults" / "catalogue.toml"

Journey = Literal["queue_ticket", "social_security", "property", "population", "payment", "guide"]
"""queue_ticket: take a number for the service's window; the lookups and payment have their own
journeys; guide: information only (the guide says where and how)."""

JOURNEY_TILES: tuple[Journey, ...] = (
    "queue_ticket", "social_security", "property", "population", "payment", "guide",
)


@section
class Service(Section):
    id: str = setting(pattern=r"^[a-z0-9][a-z0-9-]{1,40}$")
    name_zh: str = setting(min_length=1)
    name_en: str = setting(min_length=1)
    department: str = ""
    journey: Journey
    hours: Literal["hall", "24h"] = setting(description="offered in hall hours only, or around the clock")
    id_card_required: bool = False
    window_zh: str = ""
    window_en: str = ""
    queue_prefix: str | None = setting(None, pattern=r"^[A-Z]$")
    initials: str = setting("", pattern=r"^[A-Z]*$", description="pinyin initials for the letter-pad search")
    popular: bool = setting(False, description="shown among the big tiles of the queue journey")

    @property
    def takes_tickets(self) -> bool:
        return self.queue_prefix is not None


@section
class Department(Section):
    id: str = setting(pattern=r"^[a-z0-9][a-z0-9-]{1,40}$")
    name_zh: str = setting(min_length=1)
    name_en: str = setting(min_length=1)
    services: list[Service] = setting(min_length=1)


@section
class Catalogue(Section):
    version: str = setting(min_length=1)
    departments: list[Department] = setting(min_length=1)

    def check(self) -> None:
        seen: set[str] = set()
        prefixes: dict[str, str] = {}
        for department in self.departments:
            for service in department.services:
                if service.id in seen:
                    raise ValueError(f"service id {service.id!r} appears twice")
                seen.add(service.id)
                if service.queue_prefix:
                    other = prefixes.setdefault(service.queue_prefix, service.id)
                    if other != service.id:
                        raise ValueError(
                            f"queue prefix {service.queue_prefix!r} used by both {other!r} and {service.id!r}"
                        )

    @cached_property
    def _all_services(self) -> tuple[Service, ...]:
        # worked out once: the catalogue is frozen, and screens ask for it on every render
        return tuple(replace(s, department=d.id) for d in self.departments for s in d.services)

    def services(self) -> list[Service]:
        """Every service, each knowing its department id."""
        return list(self._all_services)

    def services_of(self, department_id: str) -> list[Service]:
        """The services of one department, each knowing its department id."""
        return [s for s in self._all_services if s.department == department_id]

    def service(self, service_id: str) -> Service:
        for service in self.services():
            if service.id == service_id:
                return service
        raise KeyError(service_id)

    def department_of(self, service_id: str) -> Department:
        for department in self.departments:
            if any(s.id == service_id for s in department.services):
                return department
        raise KeyError(service_id)

    def by_journey(self, journey: Journey) -> list[Service]:
        return [s for s in self.services() if s.journey == journey]

    def ticket_services(self) -> list[Service]:
        return [s for s in self.services() if s.takes_tickets]


def parse_catalogue(text: str, source: str | Path = "<text>") -> Catalogue:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(source, [f"not valid TOML: {exc}"]) from None
    try:
        return Catalogue.from_table(data)
    except SectionError as exc:
        raise from_section_error(source, exc) from None


def load_catalogue(path: str | Path) -> Catalogue:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(path, [f"cannot read: {exc}"]) from None
    return parse_catalogue(text, source=path)


@cache
def load_default_catalogue() -> Catalogue:
    """The catalogue shipped with the kiosk (seed departments of the Xiamen center)."""
    return load_catalogue(DEFAULT_CATALOGUE)
