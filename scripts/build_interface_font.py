"""Build the kiosk's interface font: the part of Noto Sans CJK SC its screens draw, as "Kiosk Sans SC".

Debian's Noto Sans CJK is one 19 MB collection per weight (Japanese, Korean, Simplified and
Traditional Chinese faces sharing 65,535 glyphs); a screen of Chinese text touches pages all over
it, and the kiosk process kept ~10 MB of the two collections mapped. The interface font holds the
glyphs of GB 2312 (6,763 hanzi, its punctuation, kana, Greek and Cyrillic), Latin and the
characters of every text the kiosk ships (translations, screens, catalogue and guide data), with
the same outlines, hinting and layout tables: a screen looks the same to the pixel
(``tests/screens/test_interface_font.py``). The style sheet names Kiosk Sans SC first and Noto Sans
CJK SC after it, so a character outside the subset (a rare character in a name or a guide) is drawn
from the full collection, which stays a dependency of the package.

Runs where the translation catalogues are compiled: the wheel build (``setup.py`` writes into the
wheel's ``screens/fonts``), an editable install and ``scripts/bootstrap.sh`` (into the checkout's
``screens/fonts``, not committed). Needs fontTools; without it, or without Debian's fonts-noto-cjk,
it says so and builds nothing, and the kiosk draws everything from Noto Sans CJK. Fonts whose
recorded inputs (source collections, character set) are unchanged are left alone, and a build
for the same inputs is copied from the user's cache (``~/.cache/xm-hall-kiosk/interface-font``)
instead of being made again (~10 s): a wheel built from a clean copy of the source reuses it.

The subset is a Modified Version under the SIL Open Font License 1.1 and is renamed; the licence
travels with it (``screens/fonts/LICENSE``).

Usage: python scripts/build_interface_font.py [--out DIR] [--force]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "screens" / "fonts"
SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
SOURCE_LICENCE = Path("/usr/share/doc/fonts-noto-cjk/copyright")
SOURCE_FACE = "Noto Sans CJK SC"
FAMILY = "Kiosk Sans SC"
WEIGHTS = ("Regular", "Bold")
STAMP = "BUILT.json"
KEEP_CACHED = 3  # builds kept in the cache (one per character set): a few branches' worth
# Where the kiosk's own texts are: every character in them is kept.
TEXT_PACKAGES = ("kiosk", "screens", "contract", "config", "devices", "offline_cache", "lifecycle", "gateway")
TEXT_SUFFIXES = (".py", ".po", ".json", ".toml", ".html")
# Beside GB 2312 and the texts: Latin-1 and Latin Extended-A, general punctuation, letterlike
# symbols, arrows, enclosed numbers, shapes, CJK symbols and punctuation, full-width forms.
BLOCKS = ((0x20, 0x17F), (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x21FF), (0x2460, 0x24FF),
          (0x25A0, 0x26FF), (0x3000, 0x303F), (0xFF00, 0xFFEF))


class FontBuildError(Exception):
    """The interface font cannot be built here (no fontTools, no Noto Sans CJK); the kiosk uses Noto itself."""


def gb2312_characters() -> set[int]:
    """Every character GB 2312 encodes (rows 1–9 symbols, 16–87 hanzi)."""
    found = set()
    for first in range(0xA1, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes((first, second)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return found


def text_characters(root: Path = ROOT) -> set[int]:
    """Every character above ASCII in the kiosk's own texts (sources, translations, data)."""
    found: set[int] = set()
    for package in TEXT_PACKAGES:
        for path in sorted((root / package).rglob("*")):
            if path.suffix in TEXT_SUFFIXES and path.is_file():
                found.update(ord(ch) for ch in path.read_text(encoding="utf-8", errors="ignore") if ord(ch) > 0x7F)
    return found


def interface_characters(root: Path = ROOT) -> list[int]:
    """The code points the interface font keeps, sorted."""
    wanted = gb2312_characters() | text_characters(root)
    for first, last in BLOCKS:
        wanted.update(range(first, last + 1))
    return sorted(wanted)


def source_path(weight: str) -> Path:
    return SOURCE_DIR / f"NotoSansCJK-{weight}.ttc"


def font_path(out_dir: Path, weight: str) -> Path:
    return out_dir / f"KioskSansSC-{weight}.otf"


def build_weight(weight: str, characters: list[int], target: Path) -> Path:
    """Subset the Simplified Chinese face of one weight's collection to ``characters`` and rename it."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(source_path(weight)))
    faces = [face for face in collection.fonts if face["name"].getDebugName(1) == SOURCE_FACE]
    if not faces:
        raise FontBuildError(f"{source_path(weight)} has no face named {SOURCE_FACE}")
    font = faces[0]
    options = subset.Options()
    options.layout_features = ["*"]  # every OpenType feature the face has: the text shapes as before
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=characters)
    subsetter.subset(font)
    postscript = SOURCE_FACE.replace(" ", "").replace("CJKSC", "CJKsc")
    for record in font["name"].names:
        if record.nameID in (1, 3, 4, 6, 16):
            text = str(record.toUnicode())
            record.string = text.replace(SOURCE_FACE, FAMILY).replace(postscript, FAMILY.replace(" ", ""))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    font.save(str(partial))
    partial.replace(target)
    return target


def inputs(characters: list[int]) -> dict[str, object]:
    """What a built font depends on: the source collections (size, time) and the character set."""
    sources = {}
    for weight in WEIGHTS:
        stat = source_path(weight).stat()
        sources[weight] = [stat.st_size, int(stat.st_mtime)]
    digest = hashlib.sha256(",".join(map(str, characters)).encode()).hexdigest()
    return {"sources": sources, "characters": digest, "count": len(characters)}


def licence_text() -> str:
    """The SIL Open Font License 1.1, from the source package's copyright file, with what was changed."""
    head = (f"KioskSansSC-Regular.otf and KioskSansSC-Bold.otf: a subset of {SOURCE_FACE} (Noto Sans CJK,\n"
            f"Copyright 2014-2021 Adobe (http://www.adobe.com/)), renamed {FAMILY}; the glyphs kept are\n"
            "those of GB 2312 and of the kiosk's own texts, built by scripts/build_interface_font.py.\n"
            "Licensed under the SIL Open Font License, Version 1.1:\n\n")
    body = "SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007: https://openfontlicense.org/open-font-license-official-text/"
    try:
        lines = SOURCE_LICENCE.read_text(encoding="utf-8").splitlines()
        start = lines.index("License: SIL-1.1", lines.index("License: SIL-1.1") + 1)  # the stanza with the text
    except (OSError, ValueError):
        return head + body + "\n"
    text = []
    for line in lines[start + 1:]:
        if not line.startswith(" "):
            break
        text.append("" if line.strip() == "." else line[1:])
    return head + ("\n".join(text) if text else body) + "\n"


def build(out_dir: Path = OUT_DIR, force: bool = False, root: Path = ROOT) -> list[Path]:
    """Build both weights into ``out_dir`` unless they are up to date; the fonts' paths."""
    try:
        import fontTools  # noqa: F401 (only whether it is there)
    except ImportError:
        raise FontBuildError("fontTools is not installed (pip install fonttools)") from None
    missing = [str(source_path(weight)) for weight in WEIGHTS if not source_path(weight).exists()]
    if missing:
        raise FontBuildError(f"no {', '.join(missing)} (Debian: apt install fonts-noto-cjk)")
    characters = interface_characters(root)
    wanted = inputs(characters)
    stamp = out_dir / STAMP
    targets = [font_path(out_dir, weight) for weight in WEIGHTS]
    try:
        current = json.loads(stamp.read_text()) == wanted and all(target.exists() for target in targets)
    except (OSError, ValueError):
        current = False
    if current and not force:
        return targets
    out_dir.mkdir(parents=True, exist_ok=True)
    cached = cache_dir(wanted)
    try:
        if force or not all(font_path(cached, weight).exists() for weight in WEIGHTS):
            cached.mkdir(parents=True, exist_ok=True)
            _build_weights(characters, cached)
            builds = sorted(cached.parent.iterdir(), key=lambda path: path.stat().st_mtime, reverse=True)
            for old in builds[KEEP_CACHED:]:
                shutil.rmtree(old, ignore_errors=True)
        for weight, target in zip(WEIGHTS, targets, strict=True):
            shutil.copyfile(font_path(cached, weight), target)
    except OSError:  # no usable cache (a read-only home, a full disk there): built where they go
        _build_weights(characters, out_dir)
    (out_dir / "LICENSE").write_text(licence_text(), encoding="utf-8")
    stamp.write_text(json.dumps(wanted, indent=1) + "\n")
    return targets


def _build_weights(characters: list[int], out_dir: Path) -> None:
    # The workers find build_weight by this module's name: a caller that loads this file by its
    # path (setup.py, the tests) registers it in sys.modules first.
    with ProcessPoolExecutor(max_workers=len(WEIGHTS)) as pool:  # ~10 s a weight, one core each
        list(pool.map(build_weight, WEIGHTS, [characters] * len(WEIGHTS),
                      [font_path(out_dir, weight) for weight in WEIGHTS]))


def cache_dir(wanted: dict[str, object]) -> Path:
    """Where a build for these inputs is kept for the next one."""
    digest = hashlib.sha256(json.dumps(wanted, sort_keys=True).encode()).hexdigest()[:16]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "xm-hall-kiosk" / "interface-font" / digest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help=f"where the fonts go (default {OUT_DIR})")
    parser.add_argument("--force", action="store_true", help="build even if the fonts are up to date")
    args = parser.parse_args(argv)
    try:
        fonts = build(args.out, args.force)
    except FontBuildError as exc:
        print(f"interface font not built: {exc}; the kiosk draws its text from Noto Sans CJK", file=sys.stderr)
        return 0
    for font in fonts:
        print(f"{font} ({font.stat().st_size / 2**20:.1f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
