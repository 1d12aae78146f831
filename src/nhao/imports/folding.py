"""A fast fold for the hot loop of an import.

domain.text.fold decomposes every character and tests it one by one: right, and
too slow to call several times on each of 100,000 rows. This gives the same key
for Vietnamese and other Latin text through one translate table; tests compare the
two on every letter of the Vietnamese alphabet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from nhao.domain.text import fold, single_spaced


def _table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for code in range(0x00C0, 0x2000):
        char = chr(code)
        base = fold(char)
        if base != char.lower():
            table[code] = base or None
    for code in range(0x0300, 0x0370):  # combining marks NFC could not attach
        table[code] = None
    return table


_TABLE = _table()
# Outside ASCII, anything but a combining mark (U+0338 excepted: "≠" is "=" with it).
_NOT_LATIN_MARK = re.compile("[^\x00-\x7f\u0300-\u0337\u0339-\u036f]")


def fast_fold(text: str) -> str:
    """Equal to domain.text.fold(text) for Latin-script text."""
    if text.isascii():
        return single_spaced(text.lower())
    lowered = unicodedata.normalize("NFC", text).lower()
    # A letter the table maps is, decomposed, its ASCII base and marks: when that is
    # all there is, dropping what is not ASCII gives what the table would, without
    # str.translate's dict lookup and new object for each character.
    decomposed = unicodedata.normalize("NFD", lowered).replace("đ", "d")
    if not _NOT_LATIN_MARK.search(decomposed):
        return single_spaced(decomposed.encode("ascii", "ignore").decode("ascii"))
    return single_spaced(lowered.translate(_TABLE))


@lru_cache(maxsize=4096)
def cached_fold(text: str) -> str:
    """For values that repeat down a column: hamlet names, categories, sex."""
    return fast_fold(text)
