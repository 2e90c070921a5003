"""Find every translatable string (``_("…")`` and ``N_("…")``) and add the missing ones to a PO file.

Usage: .venv/bin/python scripts/update_translations.py [--po kiosk/locale/en/shell.po] [--check]
Existing translations are kept; new message ids are appended with an empty msgstr to fill in.
With --check it only lists the message ids that no English catalogue translates (exit 1 if any).
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# scripts/ itself is on sys.path when this runs as a script (and in the tests that import it).
from compile_translations import po_messages  # noqa: E402

from kiosk.shell.i18n import LOCALE_DIR  # noqa: E402

SOURCES = ("kiosk", "screens")


def extract(root: Path = ROOT) -> dict[str, list[str]]:
    """msgid → places where it is used."""
    found: dict[str, list[str]] = {}
    for package in SOURCES:
        for path in sorted((root / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for node in ast.walk(tree):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_")
                        and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                    found.setdefault(node.args[0].value, []).append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def po_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--po", type=Path, default=LOCALE_DIR / "en" / "shell.po")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    known: dict[str, str] = {}
    for path in sorted((LOCALE_DIR / "en").glob("*.po")):
        known.update(po_messages(path))
    found = extract()
    missing = [m for m in found if m not in known]
    if args.check:
        for message in missing:
            print(f"{found[message][0]}: {message}")
        return 1 if missing else 0
    existing_ids = set(po_messages(args.po)) if args.po.exists() else set()
    with args.po.open("a", encoding="utf-8") as po:
        if not args.po.stat().st_size:
            po.write('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: en\\n"\n\n')
        for message in missing:
            if message in existing_ids:
                continue
            po.write(f"#: {' '.join(found[message][:3])}\nmsgid {po_quote(message)}\nmsgstr \"\"\n\n")
    print(f"{len(missing)} message(s) need an English translation in {args.po}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
