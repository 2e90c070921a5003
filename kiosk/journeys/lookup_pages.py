"""A lookup's answer as the screen and the paper show it: rows of facts, sections, pages sized for the screen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.shell.i18n import catalogue

# Columns of text a value takes before it wraps on the result page (at the elderly type size).
VALUE_COLUMNS = 36


@dataclass(frozen=True)
class Row:
    """One fact: a label (a message id, translated where shown) and its value, already masked."""

    label: str
    value: str
    warn: bool = False  # draw attention (mortgaged, seized)

    @property
    def lines(self) -> int:
        """Screen lines the value needs (a Chinese character is two columns wide)."""
        columns = sum(2 if ord(c) > 0x2E7F else 1 for c in self.value)
        return 1 + max(0, columns - 1) // VALUE_COLUMNS


@dataclass(frozen=True)
class Section:
    """A group of facts under a heading, or a table (``columns`` set, ``cells`` one list per line)."""

    heading: str
    rows: tuple[Row, ...] = ()
    columns: tuple[str, ...] = ()
    cells: tuple[tuple[str, ...], ...] = ()

    @property
    def size(self) -> int:
        """Lines it takes on screen: two for its heading and frame, one per row (long values more)."""
        if self.columns:
            return 3 + len(self.cells)
        return 2 + sum(row.lines for row in self.rows)


@dataclass(frozen=True)
class Page:
    sections: tuple[Section, ...]


def paginate(sections: Sequence[Section], capacity: int) -> list[Page]:
    """Pack sections into pages of at most ``capacity`` lines; tables split, fact groups do not.

    A fact group bigger than a page gets a page of its own (the screen scrolls it); a table is cut
    into pieces that each fit, and every piece repeats the table's heading and columns.
    """
    capacity = max(6, capacity)
    pieces: list[Section] = []
    for section in sections:
        if section.columns and section.size > capacity:
            per_page = capacity - 3
            for start in range(0, len(section.cells), per_page):
                pieces.append(Section(section.heading, columns=section.columns,
                                      cells=section.cells[start:start + per_page]))
        else:
            pieces.append(section)
    pages: list[list[Section]] = [[]]
    used = 0
    for piece in pieces:
        if pages[-1] and used + piece.size > capacity:
            pages.append([])
            used = 0
        pages[-1].append(piece)
        used += piece.size
    return [Page(tuple(page)) for page in pages if page] or [Page(())]


# --- paper ---------------------------------------------------------------------------------------


def bilingual_label(message: str) -> str:
    """``姓名 Name``: the receipt's labels carry both languages (the printer templates do the same)."""
    english = catalogue("en").get(message, "")
    return f"{message} {english}" if english and english != message else message


def yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"


def district_end(address: str) -> int:
    """Keep the province, city and district of an address (so the citizen recognises it), hide the rest."""
    for marker in ("区", "县", "市"):
        index = address.find(marker, 3)
        if 0 < index < 14 and marker != "市":
            return index + 1
    return 6
