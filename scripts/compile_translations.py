"""Compile the kiosk's translation catalogues: ``kiosk/locale/<lang>/*.po`` → ``<lang>/LC_MESSAGES/kiosk.mo``.

Translators edit the ``.po`` files (one per area of the kiosk: shell, queue, lookup, …); the
kiosk loads one binary catalogue per language with Python's :mod:`gettext`. Every ``.po`` file of
a language is merged into that language's ``kiosk.mo`` (Babel writes it; fuzzy and empty entries
are left out, as ``msgfmt`` does). A message id translated two different ways in two files is an
error, named with both files.

Runs in three places: the wheel build (``setup.py``'s build step writes into the wheel), an
editable install and ``scripts/bootstrap.sh`` (write next to the ``.po`` files, where the
checkout's kiosk reads them; the ``.mo`` files are not committed). A catalogue newer than all of
its ``.po`` files is left alone.

Usage: python scripts/compile_translations.py [--locale-dir kiosk/locale] [--out DIR] [--force]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DOMAIN = "kiosk"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "kiosk" / "locale"


class TranslationError(Exception):
    """A catalogue that cannot be compiled (unreadable PO file, conflicting translations)."""


def po_messages(path: Path) -> dict[str, str]:
    """The translated message ids of one PO file (fuzzy and untranslated entries left out)."""
    from babel.messages.pofile import PoFileError, read_po

    try:
        with path.open("rb") as po:
            catalog = read_po(po, abort_invalid=True)
    except (OSError, PoFileError, ValueError) as exc:
        raise TranslationError(f"{path}: {exc}") from exc
    return {m.id: m.string for m in catalog
            if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


def mo_path(out_dir: Path, language: str) -> Path:
    return out_dir / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def compile_language(language_dir: Path, target: Path) -> Path:
    """Merge every PO file of one language into ``target`` (a .mo file)."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale=language_dir.name, domain=DOMAIN, charset="utf-8")
    source_of: dict[str, Path] = {}
    for po in sorted(language_dir.glob("*.po")):
        for message, translation in po_messages(po).items():
            if message in source_of and catalog[message].string != translation:
                raise TranslationError(
                    f"{message!r} is translated differently in {source_of[message].name} and {po.name}")
            source_of.setdefault(message, po)
            catalog.add(message, translation)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".mo.tmp")
    with partial.open("wb") as mo:
        write_mo(mo, catalog)
    partial.replace(target)
    return target


def compile_catalogues(locale_dir: Path = LOCALE_DIR, out_dir: Path | None = None, *,
                       force: bool = False) -> list[Path]:
    """Compile each language directory that has PO files; returns the catalogues (re)written."""
    out_dir = locale_dir if out_dir is None else out_dir
    written = []
    for language_dir in sorted(p for p in locale_dir.iterdir() if p.is_dir()):
        sources = sorted(language_dir.glob("*.po"))
        if not sources:
            continue
        target = mo_path(out_dir, language_dir.name)
        newest = max(p.stat().st_mtime_ns for p in sources)
        if not force and target.exists() and target.stat().st_mtime_ns >= newest:
            continue
        written.append(compile_language(language_dir, target))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locale-dir", type=Path, default=LOCALE_DIR, help="where <lang>/*.po are")
    parser.add_argument("--out", type=Path, default=None, help="where <lang>/LC_MESSAGES/kiosk.mo go "
                        "(default: next to the .po files)")
    parser.add_argument("--force", action="store_true", help="compile even when the catalogues are current")
    args = parser.parse_args(argv)
    if not args.locale_dir.is_dir():
        print(f"compile_translations: no such directory: {args.locale_dir}", file=sys.stderr)
        return 2
    try:
        written = compile_catalogues(args.locale_dir, args.out, force=args.force)
    except ModuleNotFoundError as exc:
        print(f"compile_translations: Babel is needed ({exc}); pip install Babel", file=sys.stderr)
        return 1
    except TranslationError as exc:
        print(f"compile_translations: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"compiled {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
