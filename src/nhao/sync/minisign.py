"""minisign's file formats, so anyone can check a bundle with `minisign -V`.

Signatures use the prehashed "ED" algorithm: Ed25519 over BLAKE2b-512 of the
file, then a global signature over that signature and the trusted comment.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

UNTRUSTED = "untrusted comment: "
TRUSTED = "trusted comment: "


class SignatureError(Exception):
    """The signature file is malformed or does not match."""


def _keynum_text(keynum: bytes) -> str:
    # minisign prints the key number as a little-endian 64-bit integer in hex.
    return f"{int.from_bytes(keynum, 'little'):016X}"


def public_key_file(ed_public: bytes, keynum: bytes) -> str:
    blob = base64.b64encode(b"Ed" + keynum + ed_public).decode()
    return f"{UNTRUSTED}minisign public key {_keynum_text(keynum)}\n{blob}\n"


def sign(private: Ed25519PrivateKey, keynum: bytes, data: bytes, trusted_comment: str) -> str:
    if "\n" in trusted_comment or "\r" in trusted_comment:
        raise ValueError("trusted comment must be one line")
    signature = private.sign(hashlib.blake2b(data, digest_size=64).digest())
    global_sig = private.sign(signature + trusted_comment.encode())
    return (
        f"{UNTRUSTED}signature from nhao secret key\n"
        f"{base64.b64encode(b'ED' + keynum + signature).decode()}\n"
        f"{TRUSTED}{trusted_comment}\n"
        f"{base64.b64encode(global_sig).decode()}\n"
    )


def signature_keynum(sig_text: str) -> bytes:
    """The 8-byte key number the signature claims; check the signature itself later."""
    lines = sig_text.split("\n")
    try:
        raw = base64.b64decode(lines[1], validate=True)
    except (IndexError, ValueError):
        raise SignatureError("tệp chữ ký sai định dạng") from None
    if len(raw) != 74 or raw[:2] not in (b"ED", b"Ed"):
        raise SignatureError("tệp chữ ký sai định dạng")
    return raw[2:10]


def verify(ed_public: bytes, keynum: bytes, data: bytes, sig_text: str) -> str:
    """Check both signatures; return the trusted comment."""
    lines = sig_text.split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    if len(lines) != 4 or not lines[0].startswith(UNTRUSTED) or not lines[2].startswith(TRUSTED):
        raise SignatureError("tệp chữ ký sai định dạng")
    try:
        raw = base64.b64decode(lines[1], validate=True)
        global_sig = base64.b64decode(lines[3], validate=True)
    except ValueError:
        raise SignatureError("tệp chữ ký sai định dạng") from None
    if len(raw) != 74 or raw[2:10] != keynum:
        raise SignatureError("chữ ký không phải của khóa này")
    if raw[:2] == b"ED":
        message = hashlib.blake2b(data, digest_size=64).digest()
    elif raw[:2] == b"Ed":
        message = data
    else:
        raise SignatureError("thuật toán chữ ký không được hỗ trợ")
    public = Ed25519PublicKey.from_public_bytes(ed_public)
    comment = lines[2][len(TRUSTED) :]
    try:
        public.verify(raw[10:], message)
        public.verify(global_sig, raw[10:] + comment.encode())
    except Exception:  # noqa: BLE001 - InvalidSignature or a malformed key: both mean "no"
        raise SignatureError("chữ ký không khớp") from None
    return comment
