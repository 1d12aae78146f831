"""Key material: Ed25519 for signing, X25519 for sealing, and how the private
halves are kept (sealed under a data key that a user's password unwraps).

A copied data folder holds only ciphertext: without the password of a user the
data key was wrapped for, nobody can sign a bundle in this station's name.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from nhao.domain.text import password_forms

RAW = serialization.Encoding.Raw
# scrypt N=2^15, r=8: 32 MiB and ~0.1 s — affordable on a 4 GB laptop, costly to guess.
DEFAULT_KDF = {"alg": "scrypt", "n": 2**15, "r": 8, "p": 1}


class CryptoError(Exception):
    """A key cannot be opened or a sealed member cannot be read."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def key_id(ed_public: bytes) -> str:
    """16 hex digits; its bytes are also minisign's 8-byte key number."""
    return hashlib.blake2b(b"nhao-key-id/v1" + ed_public, digest_size=8).hexdigest()


FINGERPRINT_CONTEXT = b"nhao-fpr/v2\0"


def fingerprint(ed_public: bytes, x_public: bytes, *, unit: str, station: str) -> str:
    """What a person compares on the key certificate: 24 base32 characters in
    groups of 4 (no 0/1/8/9, so O, I, B cannot be misread as digits).

    It covers both public keys and the unit code and station id the key file says
    they belong to: a key file edited to name another unit (and so to bring that
    unit's records) no longer matches the certificate of the genuine one. Each field
    is length-prefixed, so no two different (keys, unit, station) hash the same bytes.
    The station id is the one the station has now: a laptop restored from a backup or
    copied takes a new one (a new epoch), and so a new fingerprint for the units that
    enrol its key from then on; units that trusted it before are not affected."""
    fields = (ed_public, x_public, unit.encode("utf-8"), station.encode("utf-8"))
    data = FINGERPRINT_CONTEXT + b"".join(len(f).to_bytes(4, "big") + f for f in fields)
    return _grouped(hashlib.sha256(data).digest())


def legacy_fingerprint(ed_public: bytes, x_public: bytes) -> str:
    """The fingerprint nhao printed before it covered the unit and station ("v1").
    Never accepted any more; known only to tell a person that the certificate they
    typed it from is an old one."""
    return _grouped(hashlib.sha256(b"nhao-fpr/v1\0" + ed_public + x_public).digest())


def _grouped(digest: bytes) -> str:
    text = base64.b32encode(digest).decode("ascii")[:24]
    return " ".join(text[i : i + 4] for i in range(0, 24, 4))


# Base32 has no 0, 1 or 8: a person who typed one of them read O, I or B.
_MISREAD = str.maketrans({"0": "O", "1": "I", "8": "B"})


def normalize_fingerprint(text: str) -> str:
    bare = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_MISREAD)
    return " ".join(bare[i : i + 4] for i in range(0, len(bare), 4))


@dataclass(frozen=True)
class KeyPair:
    ed: Ed25519PrivateKey
    x: X25519PrivateKey

    @classmethod
    def generate(cls) -> KeyPair:
        return cls(Ed25519PrivateKey.generate(), X25519PrivateKey.generate())

    @property
    def ed_public(self) -> bytes:
        return self.ed.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)

    @property
    def x_public(self) -> bytes:
        return self.x.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)

    @property
    def key_id(self) -> str:
        return key_id(self.ed_public)

    def private_bytes(self) -> bytes:
        fmt = (RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
        return self.ed.private_bytes(*fmt) + self.x.private_bytes(*fmt)

    @classmethod
    def from_private_bytes(cls, data: bytes) -> KeyPair:
        return cls(
            Ed25519PrivateKey.from_private_bytes(data[:32]),
            X25519PrivateKey.from_private_bytes(data[32:64]),
        )


# -- sealing private keys under the data key, wrapping the data key -----------


def seal_private(data_key: bytes, pair: KeyPair) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(data_key).encrypt(nonce, pair.private_bytes(), pair.key_id.encode())
    return b64(nonce + sealed)


def open_private(data_key: bytes, kid: str, sealed: str) -> KeyPair:
    raw = unb64(sealed)
    try:
        plain = AESGCM(data_key).decrypt(raw[:12], raw[12:], kid.encode())
    except InvalidTag:
        raise CryptoError("khóa riêng không mở được") from None
    return KeyPair.from_private_bytes(plain)


def password_key(password: str, kdf: dict) -> bytes:
    if kdf.get("alg") != "scrypt":
        raise CryptoError(f"không biết cách dẫn xuất khóa {kdf.get('alg')!r}")
    return Scrypt(salt=unb64(kdf["salt"]), length=32, n=kdf["n"], r=kdf["r"], p=kdf["p"]).derive(
        password.encode("utf-8")
    )


def wrap_data_key(data_key: bytes, password: str, user_id: str) -> tuple[dict, str]:
    kdf = dict(DEFAULT_KDF, salt=b64(os.urandom(16)))
    nonce = os.urandom(12)
    key = password_key(password_forms(password)[0], kdf)
    wrapped = AESGCM(key).encrypt(nonce, data_key, user_id.encode())
    return kdf, b64(nonce + wrapped)


def unwrap_data_key(kdf: dict, wrapped: str, password: str, user_id: str) -> bytes:
    raw = unb64(wrapped)
    for form in password_forms(password):
        try:
            key = password_key(form, kdf)
            return AESGCM(key).decrypt(raw[:12], raw[12:], user_id.encode())
        except InvalidTag:
            continue
    raise CryptoError("mật khẩu không mở được khóa ký")


# -- signatures over small statements (key rotation, receipts) ----------------


def sign_statement(pair: KeyPair, context: str, statement: dict) -> str:
    message = context.encode() + b"\0" + canonical_bytes(statement)
    return b64(pair.ed.sign(message))


def verify_statement(ed_public: bytes, context: str, statement: dict, signature: str) -> bool:
    message = context.encode() + b"\0" + canonical_bytes(statement)
    try:
        Ed25519PublicKey.from_public_bytes(ed_public).verify(unb64(signature), message)
    except Exception:  # noqa: BLE001 - any failure means "not signed by this key"
        return False
    return True


def canonical_bytes(data: object) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


# -- sealing bundle members to a recipient's X25519 key -----------------------


@dataclass(frozen=True)
class Sealer:
    """Ephemeral X25519 → HKDF-SHA256 → ChaCha20-Poly1305, one nonce per member."""

    key: bytes
    ephemeral_public: bytes

    @classmethod
    def to(cls, recipient_x_public: bytes) -> Sealer:
        ephemeral = X25519PrivateKey.generate()
        eph_pub = ephemeral.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_x_public))
        return cls(_derive(shared, eph_pub, recipient_x_public), eph_pub)

    @classmethod
    def opener(cls, own: KeyPair, ephemeral_public: bytes) -> Sealer:
        shared = own.x.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        return cls(_derive(shared, ephemeral_public, own.x_public), ephemeral_public)

    def seal(self, name: str, index: int, plain: bytes) -> bytes:
        return ChaCha20Poly1305(self.key).encrypt(_nonce(index), plain, name.encode())

    def open(self, name: str, index: int, sealed: bytes) -> bytes:
        try:
            return ChaCha20Poly1305(self.key).decrypt(_nonce(index), sealed, name.encode())
        except InvalidTag:
            raise CryptoError("không giải mã được") from None


@dataclass(frozen=True)
class SealedFor:
    """The bundle's content key sealed to one recipient key (one entry per computer
    of the recipient unit: the office and the accountant's laptop, or a hamlet's two)."""

    key_id: str
    ephemeral_public: bytes
    wrapped: bytes


_CONTENT_KEY_CONTEXT = b"nhao-seal/content-key/"


def seal_to_many(recipients: list[tuple[str, bytes]]) -> tuple[Sealer, list[SealedFor]]:
    """A Sealer under a random content key, and that key sealed to each (key id, X25519
    public key) as Sealer.to seals a member; the key id is bound to its entry."""
    content = Sealer(os.urandom(32), b"")
    entries = []
    for key_id, x_public in recipients:
        wrap = Sealer.to(x_public)
        sealed = ChaCha20Poly1305(wrap.key).encrypt(
            _nonce(0), content.key, _CONTENT_KEY_CONTEXT + key_id.encode()
        )
        entries.append(SealedFor(key_id, wrap.ephemeral_public, sealed))
    return content, entries


def open_sealed_for(own: KeyPair, entry: SealedFor) -> Sealer:
    """The content Sealer from the entry sealed to `own`."""
    wrap = Sealer.opener(own, entry.ephemeral_public)
    try:
        key = ChaCha20Poly1305(wrap.key).decrypt(
            _nonce(0), entry.wrapped, _CONTENT_KEY_CONTEXT + entry.key_id.encode()
        )
    except InvalidTag:
        raise CryptoError("không giải mã được") from None
    return Sealer(key, b"")


def _derive(shared: bytes, eph_pub: bytes, recipient_pub: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=eph_pub + recipient_pub, info=b"nhao-seal/v1"
    ).derive(shared)


def _nonce(index: int) -> bytes:
    return index.to_bytes(12, "big")
