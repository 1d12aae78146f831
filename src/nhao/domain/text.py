"""Text normalisation: what is stored (NFC) and what is searched (folded key)."""

from __future__ import annotations

import unicodedata


def _collapse(s: str) -> str:
    # str.split() without arguments splits on every Unicode space, NBSP included.
    return " ".join(s.split())


def nfc(s: str) -> str:
    """NFC form with outer spaces removed and inner runs of spaces made single."""
    return _collapse(unicodedata.normalize("NFC", s))


def fold(s: str) -> str:
    """Search key: lower case, no diacritics, đ→d, single spaces.

    Both "Nguyễn Văn Ấn" and "nguyen van an" fold to "nguyen van an", whether the
    input came in composed (NFC) or decomposed (NFD, common from macOS and some
    web forms) form.
    """
    decomposed = unicodedata.normalize("NFD", s.lower())
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    # đ is a letter of its own, not d plus a mark, so NFD leaves it alone.
    bare = bare.replace("đ", "d").replace("Đ", "d")
    return _collapse(unicodedata.normalize("NFC", bare))
