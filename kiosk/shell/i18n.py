"""Translation: gettext conventions, Chinese source strings, English catalogues compiled from ``locale/en/*.po``.

Every visible string goes through :func:`_` (marked for extraction like gettext's ``_()``). The
Chinese text is the message id, so the code reads in the hall's own language; the English
catalogue is an ordinary ``.po`` file a translator can open in any PO editor. The ``.po`` files
are compiled into ``locale/<lang>/LC_MESSAGES/kiosk.mo`` when the wheel is built (or by
``scripts/bootstrap.sh`` in a checkout: ``scripts/compile_translations.py``) and loaded here with
the standard :mod:`gettext` module. The language is switched at any moment with
:func:`set_language`; screens re-read their texts when told to.
"""

from __future__ import annotations

import gettext
import logging
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Literal

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")
LOCALE_DIR = Path(__file__).parent.parent / "locale"  # kiosk/locale
DOMAIN = "kiosk"

log = logging.getLogger("kiosk")

_current: Language = "zh"
_listeners: list[Callable[[Language], None]] = []


class KioskTranslations(gettext.GNUTranslations):
    """A compiled catalogue that can also list what it translates (for checks and bilingual titles)."""

    def messages(self) -> dict[str, str]:
        catalog: dict[object, str] = getattr(self, "_catalog", {})  # GNUTranslations' parsed catalogue
        return {key: value for key, value in catalog.items() if isinstance(key, str) and key}


@cache
def translations(language: Language) -> gettext.NullTranslations:
    """The compiled catalogue of ``language`` (Chinese, the source language, needs none).

    A missing catalogue is logged and the kiosk shows the Chinese text rather than stopping:
    it means the package or the checkout was built without compiling the translations.
    """
    if language == "zh":
        return gettext.NullTranslations()
    try:
        return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], class_=KioskTranslations)
    except OSError as exc:
        log.error("no %s translation catalogue in %s (%s); compile it with scripts/compile_translations.py",
                  language, LOCALE_DIR, exc)
        return gettext.NullTranslations()


@cache
def catalogue(language: Language) -> dict[str, str]:
    """Message id → translation for every message the language's catalogue translates."""
    loaded = translations(language)
    return loaded.messages() if isinstance(loaded, KioskTranslations) else {}


def current_language() -> Language:
    return _current


def set_language(language: Language) -> None:
    """Switch language and tell every listener (the window re-renders the visible screen)."""
    global _current
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; expected one of {LANGUAGES}")
    if language == _current:
        return
    _current = language
    for listener in list(_listeners):
        listener(language)


def on_language_changed(listener: Callable[[Language], None]) -> Callable[[], None]:
    """Register a listener; returns a function that removes it."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _(message: str) -> str:
    """The message in the current language (the Chinese source text when no translation exists)."""
    if _current == "zh":
        return message
    return translations(_current).gettext(message)


def pick(zh: str, en: str) -> str:
    """For data that carries both languages itself (catalogue names, gateway content)."""
    return en if _current == "en" and en else zh


def placeholders(message: str) -> set[str]:
    return set(_PLACEHOLDER.findall(message))


def N_(message: str) -> str:  # noqa: N802 (gettext convention)
    """Marks a string for translation where it is defined; translate it with :func:`_` when shown."""
    return message
