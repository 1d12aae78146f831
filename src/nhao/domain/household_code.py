"""The household code ("Mã hộ"): what a list names a household by, so that a register
corrected in Excel comes back onto the same households, whatever was corrected.

A list may bring its own codes ("BG-012", "0412"); a household without one has the
code derived from its record id, the same on every laptop that has the record, so
no two stations need to agree on a counter. The id is a UUIDv7 whose first 48 bits
are the millisecond it was made, so its bits are not taken as they are: the code is
50 bits of the id's sha256, written in Crockford's base32 (no I, L, O, U: nothing
read as 1, 0 or another letter when typed back from paper), 10 characters in two
groups of 5, "7K2MQ-9QX3P": short, for the register prints it in a column of its own.
Among a million households the chance that any two share a code is about 1 in 2,000;
among a province's 100,000, 1 in 200,000.
"""

from __future__ import annotations

import base64
import hashlib
import re
import uuid
from collections.abc import Iterable

from .text import nfc, visible

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_BITS = 50  # ten characters of five bits
MAX_LENGTH = 40  # the column's; a list's own codes are short


def derived_household_code(record_id: uuid.UUID) -> str:
    """The code of a household that no list gave one: 10 base32 characters, "7K2MQ-9QX3P"."""
    digest = int.from_bytes(hashlib.sha256(record_id.bytes).digest()[:8], "big")
    bits = digest >> (64 - _BITS)
    chars = "".join(_CROCKFORD[(bits >> shift) & 31] for shift in range(_BITS - 5, -1, -5))
    return f"{chars[:5]}-{chars[5:]}"


# RFC 4648's base32 letters for Crockford's: base64.b32encode then writes the same bits.
_FROM_RFC4648 = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", _CROCKFORD.encode())


def derived_codes(id_bytes: Iterable[bytes]) -> list[str]:
    """derived_household_code of many ids (their 16 bytes) without the dash, in one
    base32 pass: a search looks among 100,000 of them."""
    # 10 bytes of each digest are 16 characters; its first 10 hold the code's 50 bits.
    digests = b"".join([hashlib.sha256(raw).digest()[:10] for raw in id_bytes])
    text = base64.b32encode(digests).translate(_FROM_RFC4648).decode()
    return [text[at : at + 10] for at in range(0, len(text), 16)]


def clean_household_code(raw: str) -> str:
    """A code as stored: NFC, single-spaced, without invisible characters."""
    return nfc(visible(raw))


# A derived code as typed back from the printed register: the dash left out, a space for
# it or around it, O for 0, I or L for 1 (Crockford's reading of the letters it leaves out).
_DERIVED_TYPED = re.compile(r"([0-9a-z]{5})(?: ?- ?| )?([0-9a-z]{5})")
_READ_AS_DIGITS = str.maketrans("oil", "011")


def household_code_key(code: str) -> str:
    """How two codes are compared: " 7k2mq-9qx3p" is "7K2MQ-9QX3P", and so are
    "7K2MQ9QX3P" and "7K2MQ 9QX3P"; a code of digits is one whatever zeros lead it:
    "0412" typed back where Excel took it for a number is 412."""
    key = clean_household_code(code).casefold()
    if key.isascii() and key.isdigit():
        return key.lstrip("0") or key
    if (typed := _DERIVED_TYPED.fullmatch(key)) and "u" not in key:
        return "-".join(typed.groups()).translate(_READ_AS_DIGITS)
    return key


# A derived code as household_code_key leaves it, with or without its dash.
_DERIVED_KEY = re.compile(f"([{_CROCKFORD.lower()}]{{5}})-?([{_CROCKFORD.lower()}]{{5}})")


def derived_code_forms(key: str) -> tuple[str, ...]:
    """The keys a code key stands for: a key shaped as a derived code is that code
    with and without its dash ("7k2mq9qx3p" is what "7K2MQ-9QX3P" is typed as from
    paper), any other key itself."""
    shape = _DERIVED_KEY.fullmatch(key)
    if shape is None:
        return (key,)
    return (f"{shape[1]}-{shape[2]}", f"{shape[1]}{shape[2]}")


def spelled_every_way(key: str, most: int = 1024) -> bool:
    """Whether code_spellings(key, most) gives every spelling of the key's letters."""
    return 2 ** sum(char != char.upper() for char in key) <= most


def code_spellings(key: str, most: int = 1024) -> list[str]:
    """The stored codes whose key is ``key``, every letter in either case ("bg-01":
    "bg-01", "BG-01", "Bg-01", "bG-01"), so that an index on the codes as stored
    finds them by equality. A key with more than ``most`` spellings (more than ten
    letters) gets the usual three: as it is, in capitals, and capitalised. A key of
    digits, its leading zeros left out, is the code with up to three of them."""
    if key.isascii() and key.isdigit():
        return [f"{'0' * zeros}{key}" for zeros in range(4)]
    spellings = [""]
    for char in key:
        cases = dict.fromkeys((char, char.upper()))
        spellings = [s + c for s in spellings for c in cases]
        if len(spellings) > most:
            return list(dict.fromkeys((key, key.upper(), key.capitalize())))
    return spellings
