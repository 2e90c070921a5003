"""The bundled wheels' part of the package's copyright file (DEP-5), from each wheel's own metadata.

Usage: python copyright_wheels.py WHEELS_DIR PROJECT_NAME  (prints the paragraphs on stdout)

One ``Files:`` paragraph per wheel with the licence its METADATA declares (``License-Expression``,
else the trove classifiers, else a short ``License`` field) and one stand-alone ``License:``
paragraph per licence name saying where its text is. The project's own wheel is left out: the
header of packaging/debian/copyright covers it. A wheel whose metadata names no licence is
listed as ``unknown`` rather than guessed, so a reviewer sees it.
"""

from __future__ import annotations

import re
import sys
import zipfile
from email.parser import HeaderParser
from pathlib import Path

# Trove classifiers → SPDX-style short names (the classifiers are how most wheels still say it).
CLASSIFIERS = {
    "Apache Software License": "Apache-2.0",
    "MIT License": "MIT",
    "MIT No Attribution License (MIT-0)": "MIT-0",
    "BSD License": "BSD",
    "ISC License (ISCL)": "ISC",
    "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "Python Software Foundation License": "PSF-2.0",
    "GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0",
    "GNU Lesser General Public License v3 or later (LGPLv3+)": "LGPL-3.0+",
    "GNU Library or Lesser General Public License (LGPL)": "LGPL",
    "GNU General Public License v2 (GPLv2)": "GPL-2.0",
    "GNU General Public License v3 (GPLv3)": "GPL-3.0",
    "GNU General Public License (GPL)": "GPL",
    "The Unlicense (Unlicense)": "Unlicense",
    "Public Domain": "public-domain",
}
# Free-text License fields seen in the wild → short names.
DECLARED = {"apache license, version 2.0": "Apache-2.0", "apache 2.0": "Apache-2.0", "apache-2.0": "Apache-2.0",
            "apache license 2.0": "Apache-2.0", "mit license": "MIT", "bsd license": "BSD"}
SHORT_NAME = re.compile(r"^[A-Za-z0-9.+-]+$")
SPDX_EXPRESSION = re.compile(r"^\(?[A-Za-z0-9.+-]+\)?( (OR|AND|WITH) \(?[A-Za-z0-9.+-]+\)?)*$")
# Licences whose text Debian ships in /usr/share/common-licenses.
COMMON_LICENCES = {
    "Apache-2.0": "Apache-2.0", "MPL-2.0": "MPL-2.0",
    "GPL-2.0": "GPL-2", "GPL-2.0-only": "GPL-2", "GPL-3.0": "GPL-3", "GPL-3.0-only": "GPL-3",
    "LGPL-3.0": "LGPL-3", "LGPL-3.0-only": "LGPL-3", "LGPL-2.1-only": "LGPL-2.1",
}


def _metadata(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA"))
        return name.split("/")[0], HeaderParser().parsestr(archive.read(name).decode("utf-8", "replace"))


def _dep5_expression(spdx: str) -> str:
    # DEP-5 writes "or"/"and" in lower case and has no parentheses or "WITH".
    words = spdx.replace("(", " ").replace(")", " ").split()
    out = [w.lower() if w in ("OR", "AND") else w for w in words if w != "WITH"]
    return " ".join(out)


def licence_of(meta) -> str:
    expression = meta.get("License-Expression")
    if expression:
        return _dep5_expression(expression)
    from_classifiers = []
    for classifier in meta.get_all("Classifier") or []:
        if classifier.startswith("License ::"):
            name = CLASSIFIERS.get(classifier.split(" :: ")[-1])
            if name and name not in from_classifiers:
                from_classifiers.append(name)
    if from_classifiers:
        return " or ".join(from_classifiers)
    declared = (meta.get("License") or "").strip()
    if declared.lower() in DECLARED:
        return DECLARED[declared.lower()]
    if SPDX_EXPRESSION.match(declared) and " " in declared:
        return _dep5_expression(declared)
    if declared and SHORT_NAME.match(declared.replace(" ", "-")) and len(declared) <= 40:
        return declared.replace(" ", "-")
    return "unknown"


def paragraphs(wheels: Path, project: str) -> str:
    own = project.replace("-", "_").lower()
    files: list[str] = []
    texts: dict[str, list[str]] = {}
    for wheel in sorted(wheels.glob("*.whl")):
        if wheel.name.lower().startswith(own + "-"):
            continue
        dist_info, meta = _metadata(wheel)
        licence = licence_of(meta)
        author = (meta.get("Author") or meta.get("Author-email") or meta.get("Maintainer") or
                  f"the {meta['Name']} authors")
        files.append(f"Files: opt/kiosk/wheels/{wheel.name}\nCopyright: {' '.join(author.split())}\n"
                     f"License: {licence}\nComment: {meta['Name']} {meta['Version']}\n")
        for name in re.split(r" (?:or|and) ", licence):
            texts.setdefault(name, []).append(f"{wheel.name}: {dist_info}/")
    licences = []
    for name, where in sorted(texts.items()):
        lines = [f"License: {name}"]
        if name in COMMON_LICENCES:
            lines.append(f" The full text is in /usr/share/common-licenses/{COMMON_LICENCES[name]}.")
        lines.append(" The wheels under this licence (each carries its licence text, where its authors")
        lines.append(" ship one, in its *.dist-info directory):")
        lines += [f"  {w}" for w in where]
        licences.append("\n".join(lines) + "\n")
    return "\n".join(files + licences)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not Path(argv[0]).is_dir():
        print("usage: copyright_wheels.py WHEELS_DIR PROJECT_NAME", file=sys.stderr)
        return 2
    text = paragraphs(Path(argv[0]), argv[1])
    if text:
        sys.stdout.write("\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
