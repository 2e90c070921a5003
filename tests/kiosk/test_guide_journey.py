"""Service guides: browse, pinyin search, live from the gateway or from the cache while offline."""

from __future__ import annotations

import pytest

from config.catalogue import load_default_catalogue
from config.local import parse_settings
from kiosk.hall.guide_library import GuideLibrary
from kiosk.journeys.base import JourneyEnv
from kiosk.journeys.guide import ServiceGuideJourney, search_services
from kiosk.shell.session import CitizenSession
from offline_cache.content import ContentCache
from offline_cache.store import open_store
from screens.guide import sample_guide


class FakeGateway:
    """Answers like the gateway client: a guide, a collection, or a failure when offline."""

    def __init__(self) -> None:
        self.online = True
        self.version = "v1"

    def guide(self, service_id):
        if not self.online:
            raise ConnectionError("gateway unreachable")
        return sample_guide().model_copy(update={"service_id": service_id, "version": self.version})

    def guides(self, etag=None):
        if not self.online:
            raise ConnectionError("gateway unreachable")
        if etag == self.version:
            return None
        from contract.content import GuideCollection

        return GuideCollection(version=self.version, guides=[self.guide("ss-card-apply"), self.guide("hf-loan")])


@pytest.fixture
def cache(tmp_path):
    store = open_store(tmp_path)
    yield ContentCache(store, now=lambda: 1_000.0)
    store.close()


def journey(library, service=None) -> ServiceGuideJourney:
    env = JourneyEnv(settings=parse_settings('[kiosk]\nid = "XM-T-1"\n'), catalogue=load_default_catalogue(),
                     session=CitizenSession(), extras={"guides": library})
    return ServiceGuideJourney(env, service)


def test_pinyin_search_puts_prefix_matches_first():
    services = load_default_catalogue().services()
    found = search_services(services, "sbk")
    assert found[0].id == "ss-card-replace"  # SBKGSBH starts with SBK
    assert all("SBK" in s.initials for s in found)
    assert search_services(services, "ZZZ") == []
    assert len(search_services(services, "")) == len(services)


def test_browse_department_then_open_a_live_guide(cache):
    j = journey(GuideLibrary(cache, FakeGateway()))
    j.start()
    assert j.state == "departments"
    j.choose_department("housing-fund")
    assert j.state == "services" and j.department.id == "housing-fund"
    j.open_guide("hf-loan")
    assert j.state == "guide" and j.view.age_s is None
    assert j.guide_payload().endswith("/guides/hf-loan")
    # back goes to the department's services, then the departments, then leaves the journey
    assert j.step_back() and j.state == "services"
    assert j.step_back() and j.state == "departments"
    assert not j.step_back()


def test_offline_guide_comes_from_the_cache_with_its_age(cache):
    gateway = FakeGateway()
    library = GuideLibrary(cache, gateway, now=lambda: 1_000.0 + 7200)
    assert library.refresh() == 2
    assert library.refresh() == 0  # 304: the cached version is current
    gateway.online = False
    j = journey(library)
    j.start()
    j.open_search()
    j.type_initials("ZFG")
    assert [s.id for s in j.matches] == ["hf-withdrawal", "hf-loan"]
    j.open_guide("hf-loan")
    assert j.state == "guide"
    assert j.view.age_s == pytest.approx(7200)


def test_guide_neither_live_nor_cached_is_explained(cache):
    gateway = FakeGateway()
    gateway.online = False
    j = journey(GuideLibrary(cache, gateway))
    j.start()
    j.open_guide("tax-invoice")
    assert j.state == "missing"
    assert j.problem.code == "guide_missing" and "稍后" in j.problem.next_zh


def test_started_from_a_service_page_opens_that_guide(cache):
    catalogue = load_default_catalogue()
    j = journey(GuideLibrary(cache, FakeGateway()), catalogue.service("ee-passport"))
    j.start()
    assert j.state == "guide" and j.view.guide.service_id == "ee-passport"


class CountingGateway(FakeGateway):
    def __init__(self) -> None:
        super().__init__()
        self.guide_calls = 0

    def guide(self, service_id):
        self.guide_calls += 1
        return super().guide(service_id)


def test_a_guide_the_gateway_confirmed_recently_opens_from_the_cache_without_a_round_trip(cache):
    gateway = CountingGateway()
    library = GuideLibrary(cache, gateway, now=lambda: 1_000.0 + 60)  # refreshed a minute ago
    assert library.refresh() == 2
    gateway.guide_calls = 0
    j = journey(library)
    states = []
    j.subscribe(lambda journey: states.append(journey.state))
    j.start()
    j.choose_department("housing-fund")
    j.open_guide("hf-loan")
    assert j.state == "guide" and j.view.age_s is None and j.view.guide.service_id == "hf-loan"
    assert "loading" not in states and gateway.guide_calls == 0
    assert j.step_back() and j.state == "services"


def test_an_old_collection_or_a_missing_guide_is_fetched_again(cache):
    gateway = CountingGateway()
    library = GuideLibrary(cache, gateway, now=lambda: 1_000.0 + 3600)  # confirmed an hour ago
    library.refresh()
    assert library.current("hf-loan") is None  # too old to count as current
    fresh = GuideLibrary(cache, gateway, now=lambda: 1_000.0)
    assert fresh.current("hf-loan") is not None
    assert fresh.current("ee-passport") is None  # not in the collection: ask the gateway
    assert GuideLibrary(cache, None, now=lambda: 1_000.0).current("hf-loan") is None  # no gateway: get() says its age
    cache.put("guides", "hf-loan", {"not": "a guide"})
    assert fresh.current("hf-loan") is None  # damaged entry: fetched again, not shown


def test_offline_the_cached_guide_shows_its_age_even_when_recent(cache):
    gateway = CountingGateway()
    library = GuideLibrary(cache, gateway, now=lambda: 1_000.0 + 60)
    library.refresh()
    gateway.online = False
    env = JourneyEnv(settings=parse_settings('[kiosk]\nid = "XM-T-1"\n'), catalogue=load_default_catalogue(),
                     session=CitizenSession(), extras={"guides": library}, online=lambda: False)
    j = ServiceGuideJourney(env)
    j.start()
    j.open_guide("hf-loan")
    assert j.state == "guide" and j.view.age_s == pytest.approx(60)


def test_the_take_away_qr_opens_this_guide_at_the_gateways_public_address(cache):
    from config.local import parse_settings as parse
    from kiosk.shell.i18n import set_language

    j = journey(GuideLibrary(cache, FakeGateway()))
    j.open_guide("hf-loan")
    assert j.guide_payload() == "http://127.0.0.1:8765/guides/hf-loan"
    j.env.settings = parse('[kiosk]\nid = "XM-T-1"\n[gateway]\npublic_url = "https://hall.example.cn/"\n')
    set_language("en")
    try:
        assert j.guide_payload() == "https://hall.example.cn/guides/hf-loan?lang=en"
    finally:
        set_language("zh")


def test_a_public_address_that_is_no_url_is_a_configuration_error():
    from config.errors import ConfigError

    with pytest.raises(ConfigError, match="public_url"):
        parse_settings('[kiosk]\nid = "XM-T-1"\n[gateway]\npublic_url = "javascript:alert(1)"\n')
