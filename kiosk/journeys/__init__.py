"""The citizen journeys, each a plain state machine (see ``base``), registered by name.

A journey whose module is not installed is simply not offered; the catalogue's services that
name it fall back to their service page.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from config.catalogue import Service
    from kiosk.journeys.base import Journey, JourneyEnv
    from kiosk.shell.context import KioskContext

log = logging.getLogger("kiosk.journeys")

# journey name (as in the catalogue) -> (module, class)
JOURNEYS: dict[str, tuple[str, str]] = {
    "queue_ticket": ("kiosk.journeys.queue_ticket", "QueueTicketJourney"),
    "social_security": ("kiosk.journeys.lookups", "SocialSecurityLookup"),
    "property": ("kiosk.journeys.lookups", "PropertyLookup"),
    "population": ("kiosk.journeys.lookups", "PopulationLookup"),
    "payment": ("kiosk.journeys.payment", "FeePaymentJourney"),
    "guide": ("kiosk.journeys.guide", "ServiceGuideJourney"),
    "feedback": ("kiosk.journeys.feedback", "FeedbackJourney"),
}


def _lazy(module_name: str, class_name: str) -> Callable[[JourneyEnv, Service | None], Journey]:
    def make(env: JourneyEnv, service: Service | None) -> Journey:
        journey_class: type[Journey] = getattr(importlib.import_module(module_name), class_name)
        return journey_class(env, service)

    make.__name__ = class_name
    return make


def install_journeys(context: KioskContext) -> list[str]:
    """Register every journey whose module is present (found, not yet imported); returns their names."""
    installed = []
    for name, (module_name, class_name) in JOURNEYS.items():
        if importlib.util.find_spec(module_name) is None:
            continue
        context.journeys[name] = _lazy(module_name, class_name)
        installed.append(name)
    return installed
