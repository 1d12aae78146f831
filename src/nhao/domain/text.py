"""Text normalisation: what is stored (NFC) and what is searched (folded key)."""

from __future__ import annotations

import re
import unicodedata

# Outside ASCII, anything but a combining mark of U+0300–U+036F (all category Mn).
_NOT_LATIN_MARK = re.compile("[^\x00-\x7f\u0300-\u036f]")


def single_spaced(s: str) -> str:
    """Outer spaces removed, inner runs of spaces made single: every Unicode space,
    NBSP included, as str.split() sees them."""
    # A printable string has no space but " " (no tab, newline, NBSP…), so most text,
    # already single-spaced, is returned as it is without being split and joined.
    if s.isprintable() and "  " not in s and s[:1] != " " and s[-1:] != " ":
        return s
    return " ".join(s.split())


# Control, format and direction characters that show nothing (a zero-width space, a
# byte-order mark, a left-to-right mark): pasted in from web pages and chat apps, and
# dropped from an xlsx cell. Line breaks and tabs are not among them.
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)


def visible(s: str) -> str:
    """Each invisible character made the space it looks like (nfc() then trims it)."""
    return s if s.isprintable() else INVISIBLE.sub(" ", s)


def nfc(s: str) -> str:
    """NFC form with outer spaces removed and inner runs of spaces made single."""
    return single_spaced(unicodedata.normalize("NFC", s))


def password_forms(password: str) -> list[str]:
    """The ways one password may have been typed, the form nhao keeps first (NFC). A
    Vietnamese keyboard tool set to "Unicode dựng sẵn" on one laptop and to "Unicode
    tổ hợp" on another types "Mật khẩu" as two different strings; as typed and fully
    decomposed follow for hashes and keys made before passwords were kept in NFC."""
    if password.isascii():
        return [password]
    forms = (
        unicodedata.normalize("NFC", password),
        password,
        unicodedata.normalize("NFD", password),
    )
    return list(dict.fromkeys(forms))


def nfc_lines(s: str) -> str:
    """nfc() for each line of a multi-line note: its line breaks kept (\r\n and \r made
    \n), blank lines at the ends dropped and runs of blank lines made one."""
    if "\n" not in s and "\r" not in s:
        return nfc(s)
    lines = [nfc(line) for line in unicodedata.normalize("NFC", s).splitlines()]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept)


def fold(s: str) -> str:
    """Search key: lower case, no diacritics, đ→d, single spaces.

    Both "Nguyễn Văn Ấn" and "nguyen van an" fold to "nguyen van an", whether the
    input came in composed (NFC) or decomposed (NFD, common from macOS and some
    web forms) form.
    """
    if s.isascii():  # nothing to decompose or strip
        return single_spaced(s.lower())
    # đ is a letter of its own, not d plus a mark, so NFD leaves it alone.
    decomposed = unicodedata.normalize("NFD", s.lower()).replace("đ", "d").replace("Đ", "d")
    if not _NOT_LATIN_MARK.search(decomposed):
        # Latin letters with accents, as Vietnamese is written: the marks are all that
        # is not ASCII, so dropping them is dropping non-ASCII (and ASCII is NFC already).
        return single_spaced(decomposed.encode("ascii", "ignore").decode("ascii"))
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return single_spaced(unicodedata.normalize("NFC", bare))


_NUMBERS = re.compile(r"([0-9]+)")


def natural_key(name: str) -> tuple[object, ...]:
    """Sorts "Thôn 2" before "Thôn 10", as people count, not as text compares."""
    parts = _NUMBERS.split(fold(name))
    return tuple(int(p) if n % 2 else p for n, p in enumerate(parts))
