"""Chinese text for a thermal printer: column widths, wrapping, and GB18030 bytes in Chinese mode.

A character outside ASCII takes two columns (it prints in a full-width cell), ASCII one. Text is sent inside
``FS &`` … ``FS .`` as GB18030, because python-escpos would push full-width punctuation through a
code page and print ``????``. A character the printer cannot print (outside GBK unless the
profile says otherwise, or a control character) is replaced by ``□`` and reported, never
silently turned into ``?``.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, field

log = logging.getLogger("devices.printer")

FS_CHINESE_ON = b"\x1c\x26"  # FS &
FS_CHINESE_OFF = b"\x1c\x2e"  # FS .
SUBSTITUTE = "□"  # in GB2312 (A1F5), so every Chinese printer prints it
# closing punctuation that must not begin a line (a light 禁则 rule)
_NO_LINE_START = set("，。、：；！？）》」』】〕,.;:!?)")


def char_width(char: str) -> int:
    """Columns one character takes on the printer.

    In Chinese mode every double-byte character (and the ``□`` standing in for one the printer
    cannot print) fills a full-width cell, including ones Unicode calls ambiguous (“ ” — ·);
    only ASCII is half width.
    """
    return 1 if ord(char) < 0x80 else 2


def display_width(text: str) -> int:
    return sum(char_width(c) for c in text)


def wrap(text: str, columns: int) -> list[str]:
    """Break ``text`` into lines of at most ``columns`` columns.

    Latin words are kept whole when they fit on a line; Chinese breaks between any two characters,
    except that closing punctuation is kept with the character before it. Explicit newlines are
    kept. Always returns at least one line.
    """
    if columns < 2:
        raise ValueError("columns must be at least 2")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, columns))
    return lines or [""]


def _tokens(paragraph: str) -> list[str]:
    """Latin words keep their trailing spaces and stay whole; each wide character is its own token."""
    tokens: list[str] = []
    word = ""
    for char in paragraph:
        if char_width(char) == 2:
            if word:
                tokens.append(word)
                word = ""
            tokens.append(char)
        elif char == " ":
            word += char
        else:
            if word.endswith(" "):
                tokens.append(word)
                word = ""
            word += char
    if word:
        tokens.append(word)
    return tokens


def _wrap_paragraph(paragraph: str, columns: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for token in _tokens(paragraph):
        if display_width(line + token.rstrip(" ")) <= columns:
            line += token
            continue
        carry = ""
        if token[0] in _NO_LINE_START and len(line.rstrip(" ")) > 1:
            # closing punctuation must not begin a line: take the character before it along
            line = line.rstrip(" ")
            carry, line = line[-1], line[:-1]
        if line.strip():
            lines.append(line.rstrip(" "))
        line = ""
        token = carry + token
        carry = ""
        while display_width(token.rstrip(" ")) > columns:  # a word longer than a line: cut it
            cut, width = 0, 0
            while cut < len(token) and width + char_width(token[cut]) <= columns:
                width += char_width(token[cut])
                cut += 1
            lines.append(token[:cut])
            token = token[cut:]
        line = token
    if line.strip() or not lines:
        lines.append(line.rstrip(" "))
    return lines


@dataclass
class EncodedText:
    """Bytes ready for the printer and what had to be substituted."""

    data: bytes
    substituted: list[str] = field(default_factory=list)  # the original characters, in order


def printable(text: str, *, four_byte: bool = False) -> tuple[str, list[str]]:
    """``text`` with every character the printer cannot print replaced by ``□``."""
    out: list[str] = []
    substituted: list[str] = []
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            ok = False
        elif ord(char) < 0x80:
            ok = True
        else:
            try:
                ok = four_byte or len(char.encode("gb18030")) == 2
            except UnicodeEncodeError:
                ok = False
        if ok:
            out.append(char)
        else:
            out.append(SUBSTITUTE)
            substituted.append(char)
    return "".join(out), substituted


def encode_chinese(text: str, *, four_byte: bool = False) -> EncodedText:
    """``FS &`` + GB18030 bytes + ``FS .``; unprintable characters substituted visibly and logged."""
    clean, substituted = printable(text, four_byte=four_byte)
    if substituted:
        # code points only: enough for a technician to see which glyphs the font lacks
        log.warning(
            "printer cannot print %d character(s) (%s); printed %s instead",
            len(substituted),
            " ".join(f"U+{ord(c):04X}" for c in substituted),
            SUBSTITUTE,
        )
    return EncodedText(FS_CHINESE_ON + clean.encode("gb18030") + FS_CHINESE_OFF, substituted)
