"""Screen names → the module and class that draw them, imported on first use.

Start-up imports only the home screen; a journey's screens load the first time a citizen
opens that journey.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.shell.context import KioskContext
    from screens.base import KioskScreen, Navigator

SCREENS: dict[str, tuple[str, str]] = {
    "home": ("screens.home", "HomeScreen"),
    "departments": ("screens.catalogue_browser", "DepartmentsScreen"),
    "services": ("screens.catalogue_browser", "ServicesScreen"),
    "service": ("screens.service_detail", "ServiceDetailScreen"),
    "unavailable": ("screens.unavailable", "UnavailableScreen"),
    "out_of_service": ("screens.out_of_service", "OutOfServiceScreen"),
    "social_security": ("screens.lookup", "SocialSecurityScreen"),
    "property": ("screens.lookup", "PropertyScreen"),
    "population": ("screens.lookup", "PopulationScreen"),
    "guide": ("screens.guide", "GuideScreen"),
    "payment": ("screens.payment", "FeePaymentScreen"),
    "queue_ticket": ("screens.queue_ticket", "QueueTicketScreen"),
    "feedback": ("screens.feedback", "FeedbackScreen"),
    "technician_pin": ("screens.technician", "TechnicianPinScreen"),
    "technician": ("screens.technician", "TechnicianScreen"),
}


def register(name: str, module: str, cls: str) -> None:
    SCREENS[name] = (module, cls)


def has(name: str) -> bool:
    return name in SCREENS


def create(name: str, context: KioskContext, nav: Navigator) -> KioskScreen:
    try:
        module_name, class_name = SCREENS[name]
    except KeyError:
        raise KeyError(f"no screen called {name!r}; known: {', '.join(sorted(SCREENS))}") from None
    screen_class = getattr(importlib.import_module(module_name), class_name)
    return screen_class(context, nav)
