"""Choices that share a page's height: big buttons with their pictogram, growing with the room there is.

A page that asks "how would you like to take it away" used to stack four 140-pixel buttons at its
top and leave the rest empty. :func:`roomy` lets each grow (up to ``ROOMY_MAX``) so the choices
fill the page; :func:`show_pictograms` puts the action's pictogram before each button's words, in
the colour of those words (white on the primary button), for the look in force.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QPushButton, QSizePolicy

from screens.pictogram import pictogram_icon
from screens.theme import palette

ROOMY_MAX = 240  # design px: taller than this, a button stops looking like one
ICON = 64


def roomy(buttons: Iterable[QPushButton]) -> None:
    for button in buttons:
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        button.setMaximumHeight(ROOMY_MAX)
        button.setIconSize(QSize(ICON, ICON))


def show_pictograms(choices: Iterable[tuple[QPushButton, str]], elderly: bool, high_contrast: bool = False) -> None:
    """``choices``: (button, pictogram key); the pictogram is drawn in the colour of the button's words."""
    colours = palette(elderly, high_contrast)
    for button, key in choices:
        primary = button.property("role") == "primary" and button.isEnabled()
        colour = colours.on_primary if primary else colours.primary if button.isEnabled() else colours.muted
        button.setIcon(pictogram_icon(key, colour, ICON, button.devicePixelRatioF()))
