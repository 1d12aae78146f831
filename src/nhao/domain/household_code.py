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

import hashlib
import uuid

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


def clean_household_code(raw: str) -> str:
    """A code as stored: NFC, single-spaced, without invisible characters."""
    return nfc(visible(raw))


def household_code_key(code: str) -> str:
    """How two codes are compared: " 7k2mq-9qx3p" is "7K2MQ-9QX3P"."""
    return clean_household_code(code).casefold()
