"""After each citizen the kiosk gives back the memory the session used, once it is home again."""

from __future__ import annotations

import gc
import weakref

from PySide6.QtGui import QPixmap, QPixmapCache

from kiosk.hall import between_citizens
from kiosk.hall.between_citizens import collect_garbage, tidy_after_each_session, tidy_up
from kiosk.shell.session import SessionKeeper


def test_tidy_up_empties_the_pixmap_cache_and_trims_the_heap(qapp, monkeypatch) -> None:
    trimmed: list[int] = []
    monkeypatch.setattr(between_citizens, "_malloc_trim", lambda: trimmed.append)
    pixmap = QPixmap(40, 40)
    QPixmapCache.insert("between-citizens-test", pixmap)
    assert QPixmapCache.find("between-citizens-test") is not None

    tidy_up()

    assert QPixmapCache.find("between-citizens-test") is None
    assert trimmed == [0]


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_tidy_up_collects_the_garbage_and_freezes_what_survives(qapp, monkeypatch) -> None:
    monkeypatch.setattr(between_citizens, "_malloc_trim", lambda: None)
    monkeypatch.setattr(between_citizens, "collect_garbage", collect_garbage)  # the real one (see conftest)
    kept = _Node()
    dropped = weakref.ref(_Node())
    tidy_up()
    assert dropped() is None
    assert gc.get_freeze_count() > 0  # the survivors, left out of the collections a touch may meet
    # a frozen object that becomes garbage later is found by the next tidy-up
    frozen_then_dropped = weakref.ref(kept)
    del kept
    assert frozen_then_dropped() is not None  # its cycle keeps it until a collection sees it
    gc.collect()
    assert frozen_then_dropped() is not None  # frozen: the interpreter's own collections pass it by
    tidy_up()
    assert frozen_then_dropped() is None


def test_tidy_up_without_malloc_trim_still_clears_the_cache(qapp, monkeypatch) -> None:
    monkeypatch.setattr(between_citizens, "_malloc_trim", lambda: None)
    QPixmapCache.insert("between-citizens-no-trim", QPixmap(8, 8))
    tidy_up()
    assert QPixmapCache.find("between-citizens-no-trim") is None


def test_glibc_trim_is_found_and_runs(qapp) -> None:
    trim = between_citizens._malloc_trim()
    assert trim is not None  # the kiosk runs on Debian (glibc)
    assert trim(0) in (0, 1)


def test_a_tidy_follows_each_session_end(qtbot) -> None:
    sessions = SessionKeeper()
    calls: list[str] = []
    tidy_after_each_session(sessions, tidy=lambda: calls.append("tidy"), delay_ms=0)
    for _ in range(2):
        sessions.current  # noqa: B018 (a touch starts the session)
        sessions.end("finish")
        count = len(calls)
        qtbot.waitUntil(lambda count=count: len(calls) == count + 1)
    assert calls == ["tidy", "tidy"]


def test_no_tidy_while_the_next_citizen_is_already_using_the_kiosk(qtbot) -> None:
    sessions = SessionKeeper()
    calls: list[str] = []
    tidy_after_each_session(sessions, tidy=lambda: calls.append("tidy"), delay_ms=30)
    sessions.current  # noqa: B018
    sessions.end("finish")
    sessions.current  # noqa: B018 (the next citizen touched the glass before the tidy-up)
    ended_again: list[str] = []
    sessions.on_ended(ended_again.append)
    qtbot.wait(80)
    assert calls == []
    sessions.end("finish")
    qtbot.waitUntil(lambda: calls == ["tidy"])
    assert ended_again == ["finish"]


def test_a_failing_tidy_is_logged_and_the_kiosk_carries_on(qtbot, caplog) -> None:
    sessions = SessionKeeper()

    def broken() -> None:
        raise RuntimeError("no allocator")

    tidy_after_each_session(sessions, tidy=broken, delay_ms=0)
    sessions.current  # noqa: B018
    sessions.end("finish")
    qtbot.waitUntil(lambda: "tidying up after a session failed" in caplog.text)
    assert sessions.active is False


def test_the_running_kiosk_tidies_after_home(kiosk, qtbot, monkeypatch) -> None:
    trims: list[int] = []
    monkeypatch.setattr(between_citizens, "_malloc_trim", lambda: trims.append)
    QPixmapCache.insert("between-citizens-kiosk", QPixmap(8, 8))
    kiosk.context.sessions.current  # noqa: B018
    kiosk.window.home()
    qtbot.waitUntil(lambda: trims == [0], timeout=3000)
    assert QPixmapCache.find("between-citizens-kiosk") is None
    assert kiosk.window.current_name == "home"


def test_one_tidy_once_start_up_has_settled_unless_a_citizen_is_there(qtbot) -> None:
    from kiosk.app.startup import hooks, start_tidy_when_settled
    from kiosk.hall.between_citizens import tidy_once_settled

    sessions = SessionKeeper()
    calls: list[str] = []
    tidy_once_settled(sessions, tidy=lambda: calls.append("settled"), delay_ms=0)
    qtbot.waitUntil(lambda: calls == ["settled"])
    busy = SessionKeeper()
    busy.current  # noqa: B018 (a citizen touched the glass during start-up)
    tidy_once_settled(busy, tidy=lambda: calls.append("busy"), delay_ms=0)
    qtbot.wait(50)
    assert calls == ["settled"]
    assert start_tidy_when_settled in hooks(None, demo=False)  # type: ignore[arg-type]
