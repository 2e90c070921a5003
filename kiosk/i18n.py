"""Translation: gettext conventions, Chinese source strings, English catalogues in ``locale/en/*.po``.

Every visible string goes through :func:`_` (marked for extraction like gettext's ``_()``). The
Chinese text is the message id, so the code reads in the hall's own language; the English
catalogue is an ordinary ``.po`` file a translator can open in any PO editor. The language is
switched at any moment with :func:`set_language`; screens re-read their texts when told to.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Literal

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")
LOCALE_DIR = Path(__file__).parent / "locale"

_current: Language = "zh"
_listeners: list[Callable[[Language], None]] = []


def _unquote(po_literal: str) -> str:
    return ast.literal_eval(po_literal)


def parse_po(text: str) -> dict[str, str]:
    """The msgid → msgstr pairs of a PO file (plain entries; fuzzy and empty ones are skipped)."""
    catalogue: dict[str, str] = {}
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    fuzzy = False
    current: list[str] | None = None

    def flush() -> None:
        if msgid is not None and msgstr is not None and not fuzzy:
            key, value = "".join(msgid), "".join(msgstr)
            if key and value:
                catalogue[key] = value

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            flush()
            msgid, msgstr, current = [_unquote(line[6:])], None, None
            current = msgid
        elif line.startswith("msgstr "):
            msgstr = [_unquote(line[7:])]
            current = msgstr
        elif line.startswith('"') and current is not None:
            current.append(_unquote(line))
        elif not line:
            flush()
            msgid = msgstr = current = None
            fuzzy = False
    flush()
    return catalogue


@cache
def catalogue(language: Language) -> dict[str, str]:
    if language == "zh":
        return {}
    merged: dict[str, str] = {}
    for path in sorted((LOCALE_DIR / language).glob("*.po")):
        merged.update(parse_po(path.read_text(encoding="utf-8")))
    return merged


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
    return catalogue(_current).get(message, message)


def pick(zh: str, en: str) -> str:
    """For data that carries both languages itself (catalogue names, gateway content)."""
    return en if _current == "en" and en else zh


def placeholders(message: str) -> set[str]:
    return set(_PLACEHOLDER.findall(message))


def N_(message: str) -> str:  # noqa: N802 (gettext convention)
    """Marks a string for translation where it is defined; translate it with :func:`_` when shown."""
    return message
