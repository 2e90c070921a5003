"""Which pictogram stands for what: one table for the journeys, departments, services and page actions.

The pictograms are Tabler Icons 3.52.0 (npm @tabler/icons, MIT: ``screens/pictograms/LICENSE``), outline style, on a
24-unit grid with 2-unit strokes, so every tile and button speaks one visual language. Keys are
the kiosk's own names: ``journey/<journey>``, ``department/<department id>``,
``service/<service id>`` (as in the catalogue) and ``action/<what a button does>``. Values are
file names in ``screens/pictograms/`` without ``.svg``.

A service that a newer catalogue adds and this table does not know yet is shown with its
journey's pictogram (:func:`service_pictogram`), never without one.
"""

from __future__ import annotations

PICTOGRAMS: dict[str, str] = {
    # --- the home screen's journeys and ways in
    "journey/queue_ticket": "ticket",
    "journey/social_security": "umbrella",
    "journey/property": "home-search",
    "journey/population": "users",
    "journey/payment": "receipt-yuan",
    "journey/guide": "book-2",
    "journey/booking_check_in": "calendar-check",
    "journey/all_services": "layout-grid",
    "journey/initials_search": "alphabet-latin",
    # --- departments of the service catalogue
    "department/social-security": "umbrella",
    "department/medical-insurance": "medical-cross",
    "department/property-archives": "building-warehouse",
    "department/public-security": "shield-check",
    "department/exit-entry": "world",
    "department/finance": "coin-yuan",
    "department/housing-fund": "home-dollar",
    "department/market-regulation": "building-store",
    "department/taxation": "receipt-tax",
    "department/traffic-police": "traffic-lights",
    "department/human-resources": "briefcase",
    "department/hall-services": "building-community",
    # --- services (config/defaults/catalogue.toml)
    "service/ss-record-lookup": "report-search",
    "service/ss-card-apply": "credit-card",
    "service/ss-card-replace": "credit-card-refund",
    "service/ss-maternity": "baby-carriage",
    "service/ss-pension-transfer": "arrows-exchange",
    "service/mi-enrolment": "medical-cross",
    "service/mi-remote-care": "route",
    "service/prop-ownership-lookup": "home-search",
    "service/prop-archive-copy": "archive",
    "service/prop-mortgage": "home-dollar",
    "service/prop-transfer": "home-move",
    "service/ps-population-lookup": "users",
    "service/ps-id-card-renewal": "id",
    "service/ps-household-move": "truck-delivery",
    "service/ps-residence-permit": "id-badge-2",
    "service/ee-self-endorsement": "plane-departure",
    "service/ee-passport": "e-passport",
    "service/ee-hk-macau-permit": "plane",
    "service/fin-non-tax-payment": "receipt-yuan",
    "service/fin-invoice-check": "file-invoice",
    "service/hf-withdrawal": "pig-money",
    "service/hf-loan": "building-bank",
    "service/mr-company-registration": "building-skyscraper",
    "service/mr-licence-change": "license",
    "service/mr-sole-trader": "building-store",
    "service/tax-invoice": "receipt",
    "service/tax-property-deed": "receipt-tax",
    "service/tax-income-certificate": "file-certificate",
    "service/tp-licence-renewal": "steering-wheel",
    "service/tp-violation": "car-crash",
    "service/hr-unemployment": "briefcase-off",
    "service/hr-talent": "school",
    "service/hall-green-channel": "heart-handshake",
    "service/hall-ems": "mail",
    "service/hall-complaint": "message-report",
    # --- what buttons on every page do, and the things a page asks for
    "action/speak": "volume",
    "action/call_staff": "bell-ringing",
    "action/elderly_mode": "old",
    "action/language": "language",
    "action/home": "home",
    "action/back": "arrow-left",
    "action/print": "printer",
    "action/scan_code": "qrcode",
    "action/place_card": "id",
    "action/phone": "device-mobile",
    "action/feedback": "mood-smile",
    "action/hotline": "phone-call",
    "action/keypad": "keyboard",
    # --- the hall itself: the kiosk's own emblem in the header when none is configured
    "hall/emblem": "building-bank",
}

GENERIC = "clipboard-list"  # a name nobody mapped (logged once by the loader)


def service_pictogram(service_id: str, journey: str) -> str:
    """The key of a service's pictogram: its own, else its journey's."""
    own = f"service/{service_id}"
    return own if own in PICTOGRAMS else f"journey/{journey}"
