"""Writing people's text into spreadsheets safely.

A cell whose text begins with = + - @ (or a tab, carriage return or NUL) would be
read as a formula by a spreadsheet program ("formula injection", OWASP ASVS
1.2.10). In xlsx nhao stores such text as a string cell with Excel's quote-prefix
flag: it shows and re-imports exactly as typed, and no program evaluates it. In
plain text formats (CSV) the text gets a leading apostrophe instead.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .xlsx_book import Style

RISKY_FIRST = ("=", "+", "-", "@", "\t", "\r", "\x00")
# The control characters XML 1.0 cannot hold; tab, line feed and carriage return it can.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_risky(text: str) -> bool:
    return text.startswith(RISKY_FIRST)


def clean(text: str) -> str:
    """Drop the control characters XML cannot hold (the file would not open otherwise)."""
    return _ILLEGAL.sub("", text)


def neutralise_csv(text: str) -> str:
    return "'" + text if is_risky(text) else text


def text_cell(text: str, style: Style) -> tuple[str, Style]:
    """The text a cell holds and its style: always text, whatever it starts with (the
    writer stores every str as a string cell, never as a formula)."""
    return clean(text), _quoted(style) if is_risky(text) else style


@cache
def _quoted(style: Style) -> Style:
    """The style with the quote prefix: one object each, not one per cell."""
    return replace(style, quote_prefix=True)
