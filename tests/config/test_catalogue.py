"""The default service catalogue covers the seed's departments and is self-consistent."""

import pytest

from config.catalogue import JOURNEY_TILES, load_default_catalogue, parse_catalogue
from config.errors import ConfigError


def test_default_catalogue_has_the_hall_services():
    catalogue = load_default_catalogue()
    services = catalogue.services()
    assert len(services) >= 30
    departments = {d.id for d in catalogue.departments}
    assert {"social-security", "property-archives", "public-security", "exit-entry", "finance"} <= departments
    # every main journey has at least one service behind its tile
    for journey in JOURNEY_TILES:
        assert catalogue.by_journey(journey) or journey == "guide"
    assert all(s.department for s in services)


def test_ticket_services_have_windows_and_unique_prefixes():
    tickets = load_default_catalogue().ticket_services()
    assert len({s.queue_prefix for s in tickets}) == len(tickets)
    assert all(s.window_zh and s.window_en for s in tickets)


def test_lookup_services_need_the_id_card():
    catalogue = load_default_catalogue()
    for journey in ("social_security", "property", "population"):
        assert all(s.id_card_required for s in catalogue.by_journey(journey))


def test_duplicate_prefix_is_refused():
    text = """
version = "x"
[[departments]]
id = "d1"
name_zh = "甲"
name_en = "A"
  [[departments.services]]
  id = "s1"
  name_zh = "一"
  name_en = "One"
  journey = "queue_ticket"
  hours = "hall"
  queue_prefix = "A"
  [[departments.services]]
  id = "s2"
  name_zh = "二"
  name_en = "Two"
  journey = "queue_ticket"
  hours = "hall"
  queue_prefix = "A"
"""
    with pytest.raises(ConfigError) as info:
        parse_catalogue(text, "catalogue.toml")
    assert "queue prefix 'A'" in info.value.describe()
