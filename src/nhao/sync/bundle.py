"""The bundle file (*.nhao): a zip of manifest.json, manifest.sig (minisign),
changes.jsonl and blobs/<sha256>; writing it, and reading it back with the
checks of DESIGN.md §5 up to the schema version, in that order.

Reading never trusts the file: sizes, names and layout are checked before any
member is inflated, the signature before the manifest is parsed, and every
member's hash before its content is used.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import orjson

from nhao.files import put_in_place
from nhao.sync import crypto, minisign

FORMAT = "nhao-bundle"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BUNDLE_SUFFIX = ".nhao"
SIGNATURE = "manifest.sig"
CHANGES = "changes.jsonl"
MEMBER_NAME = re.compile(r"^(manifest\.json|manifest\.sig|changes\.jsonl|blobs/[0-9a-f]{64})$")
SEAL_SCHEME = "x25519-hkdf-chacha20poly1305/v1"
# For a unit of several computers: a content key, sealed to each computer's key as
# v1 seals a member. A unit of one computer keeps v1, which nhao has always read.
SEAL_SCHEME_MANY = "x25519-hkdf-chacha20poly1305-many/v1"


@dataclass(frozen=True)
class Limits:
    """Generous for real bundles (a commune's year with photos), fatal for bombs."""

    max_file: int = 2 * 1024**3
    max_members: int = 100_000
    max_total: int = 8 * 1024**3
    max_member: int = 2 * 1024**3
    max_manifest: int = 8 * 1024**2
    max_ratio: int = 200  # inflated / compressed, for members over 64 KiB


class BundleRefused(Exception):
    """One sentence for people, in Vietnamese, naming the file and the problem."""

    def __init__(self, message: str, *, stage: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.stage = stage


def canonical_line(data: object) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- writing -------------------------------------------------------------------


@dataclass
class BundleContent:
    manifest: dict
    lines: list[bytes] = field(default_factory=list)
    blobs: dict[str, Path] = field(default_factory=dict)
    # The change lines already written to a file, each ending in a newline, in place of
    # `lines`: a province's full bundle has hundreds of thousands.
    changes: BinaryIO | None = None

    def change_chunks(self) -> Iterator[bytes]:
        if self.changes is None:
            yield b"".join(line + b"\n" for line in self.lines)
            return
        self.changes.seek(0)
        while chunk := self.changes.read(_CHUNK):
            yield chunk

    def changes_size(self) -> int:
        if self.changes is None:
            return sum(len(line) + 1 for line in self.lines)
        return self.changes.seek(0, os.SEEK_END)


def write_bundle(
    path: Path,
    content: BundleContent,
    *,
    signer: crypto.KeyPair,
    recipients: Sequence[tuple[str, bytes]] = (),
) -> str:
    """Write the zip atomically (temp file, then rename); return the file's sha256.

    One member at a time: each blob is read (and sealed) just before it is written, so
    a bundle takes the memory of its largest file, not of all of them (a commune's
    photos and scans of a year are gigabytes; holding them, and the zip beside them,
    ran a 4 GB laptop out of memory). The manifest lists every member's hash, so it and
    its signature are written after the members; readers find members by name.
    `recipients`: (key id, X25519 public key) of each computer the bundle is sealed to;
    none, in the clear."""
    sealer, seal_entry = _sealing(list(recipients))
    manifest = dict(content.manifest)
    members: dict[str, dict] = {}

    def write(fh: BinaryIO) -> None:
        with zipfile.ZipFile(fh, "w") as zf:
            if sealer is not None:  # sealed whole: only its compressed form is held
                packer = zlib.compressobj(6)
                packed = [packer.compress(chunk) for chunk in content.change_chunks()]
                sealed = sealer.seal(CHANGES, 0, b"".join([*packed, packer.flush()]))
                del packed
                members[CHANGES] = _add(zf, CHANGES, sealed, zipfile.ZIP_STORED, 0)
                del sealed
            else:
                members[CHANGES] = _stream(
                    zf, CHANGES, content.change_chunks(), content.changes_size(),
                    zipfile.ZIP_DEFLATED, 0,
                )  # fmt: skip
            for index, (sha, src) in enumerate(sorted(content.blobs.items()), start=1):
                name = f"blobs/{sha}"
                if sealer is not None:
                    sealed = sealer.seal(name, index, zlib.compress(src.read_bytes(), 6))
                    members[name] = _add(zf, name, sealed, zipfile.ZIP_STORED, index)
                    del sealed
                else:
                    members[name] = _copy(zf, name, src, index)
            manifest["members"] = members
            manifest["sealed"] = seal_entry
            manifest_bytes = canonical_line(manifest)
            comment = f"nhao-bundle/{FORMAT_VERSION} bundle={manifest['bundle_id']}"
            signature = minisign.sign(
                signer.ed, bytes.fromhex(signer.key_id), manifest_bytes, comment
            )
            _add(zf, MANIFEST, manifest_bytes, zipfile.ZIP_STORED, None)
            _add(zf, SIGNATURE, signature.encode(), zipfile.ZIP_STORED, None)

    return _write_atomically(path, write)


def _sealing(recipients: list[tuple[str, bytes]]) -> tuple[crypto.Sealer | None, dict | None]:
    """The members' sealer and the manifest's "sealed" entry."""
    if not recipients:
        return None, None
    if len(recipients) == 1:
        [(key_id, x_public)] = recipients
        sealer = crypto.Sealer.to(x_public)
        return sealer, {
            "scheme": SEAL_SCHEME,
            "recipient_key": key_id,
            "ephemeral": crypto.b64(sealer.ephemeral_public),
        }
    sealer, entries = crypto.seal_to_many(recipients)
    return sealer, {
        "scheme": SEAL_SCHEME_MANY,
        "recipients": [
            {"key": e.key_id, "ephemeral": crypto.b64(e.ephemeral_public),
             "wrapped": crypto.b64(e.wrapped)}
            for e in entries
        ],
    }  # fmt: skip


_CHUNK = 1024 * 1024


def _info(name: str, method: int, size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.compress_type = method
    info.external_attr = 0o644 << 16
    info.file_size = size  # zipfile decides on ZIP64 from it before the data comes
    return info


def _add(zf: zipfile.ZipFile, name: str, data: bytes, method: int, index: int | None) -> dict:
    zf.writestr(_info(name, method, len(data)), data)
    return {"sha256": sha256_hex(data), "size": len(data), "n": index}


def _copy(zf: zipfile.ZipFile, name: str, src: Path, index: int) -> dict:
    """A file stored as it is, read and hashed a chunk at a time."""
    with src.open("rb") as fh:
        chunks = iter(lambda: fh.read(_CHUNK), b"")
        return _stream(zf, name, chunks, src.stat().st_size, zipfile.ZIP_STORED, index)


def _stream(  # noqa: PLR0913 - a member: its name, content, size, method and number
    zf: zipfile.ZipFile, name: str, chunks: Iterable[bytes], size: int, method: int, index: int
) -> dict:
    """A member written and hashed a chunk at a time."""
    digest, written = hashlib.sha256(), 0
    with zf.open(_info(name, method, size), "w") as dest:
        for chunk in chunks:
            digest.update(chunk)
            dest.write(chunk)
            written += len(chunk)
    return {"sha256": digest.hexdigest(), "size": written, "n": index}


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read a chunk at a time (a bundle may be gigabytes)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_atomically(path: Path, data: bytes) -> None:
    _write_atomically(path, lambda fh: fh.write(data))


def _write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> str:
    """`write` fills a temporary file beside `path`, which is flushed to disk and renamed
    into place; the sha256 of what was written is returned."""
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w+b") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        sha = file_sha256(partial)
        # Windows refuses to replace a file another program has open: no partial
        # file stays behind on the stick then.
        put_in_place(partial, path)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise
    return sha


# -- reading -------------------------------------------------------------------


@dataclass
class OpenedBundle:
    """A bundle whose layout, signature, member hashes and version have been checked.

    `members` names them; each is read from the bundle's bytes when it is used, one at
    a time (held all at once, the photos of a big bundle took its size again)."""

    name: str
    sha256: str
    manifest: dict
    manifest_bytes: bytes
    key_id: str
    members: tuple[str, ...]
    archive: zipfile.ZipFile  # over the checked bytes, which do not change

    def changes(self, opener: Callable[[str, int, bytes], bytes] | None = None) -> Iterable[dict]:
        # orjson: a province reads millions of these lines; its result equals json's
        # for everything nhao writes (it refuses NaN and lone surrogates, which nhao
        # never writes, with the same ValueError).
        for raw in self.member_text(CHANGES, opener).splitlines():
            if raw:
                yield orjson.loads(raw)

    def member_text(self, name: str, opener: Callable[[str, int, bytes], bytes] | None) -> bytes:
        return self.member(name, opener)

    def member(self, name: str, opener: Callable[[str, int, bytes], bytes] | None) -> bytes:
        if name not in self.members:
            raise KeyError(name)
        data = _read(self.archive, name, self.name)
        if self.manifest.get("sealed"):
            if opener is None:
                raise BundleRefused(f"Gói {self.name} được niêm phong; cần khóa của máy nhận.")
            index = self.manifest["members"][name]["n"]
            return _inflate(opener(name, index, data), self.name)
        return data


def _inflate(data: bytes, file_name: str, limit: int = 2 * 1024**3) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, limit)
    except zlib.error:
        raise BundleRefused(f"Gói {file_name} có phần dữ liệu hỏng.") from None
    if inflater.unconsumed_tail:
        raise BundleRefused(f"Gói {file_name} bung ra quá lớn (nghi là bom nén).")
    return out


def _damaged(name: str) -> str:
    # Most often cut short on the way (a copy stopped, a chat app's download): sent
    # again, it comes whole.
    return (
        f"Tệp {name} bị cắt cụt hoặc hỏng, không mở được; hãy nhờ nơi gửi chép hoặc gửi "
        "lại tệp này."
    )


def _text(value: object) -> bool:
    return type(value) is str


def _number(value: object) -> bool:
    return type(value) is int  # not a boolean


# A station's id, as nhao makes it (str of a UUID): the change log keeps 36 characters.
STATION_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Sequence numbers and epochs are kept in 32-bit integer columns (PostgreSQL's integer).
NUMBER_LIMIT = 2**31


def _span(station: object, span: object) -> bool:
    return (
        _text(station)
        and STATION_ID.fullmatch(station) is not None
        and isinstance(span, dict)
        and _number(span.get("from"))
        and _number(span.get("to"))
        and 1 <= span["from"] <= span["to"] < NUMBER_LIMIT
        and _text(span.get("unit"))
    )


def _misshapen(manifest: dict) -> str | None:
    """The first field of a signed manifest that the checks read and that is not of the
    shape nhao writes, None when all are: a trusted station with a fault (or another
    version) signs what it wrote, and a field of another type stopped the import with
    an error out of the checks instead of a refusal."""
    members = manifest.get("members")
    origins = manifest.get("origins")
    producer = manifest.get("producer")
    shapes = {
        "format_version": _number(manifest.get("format_version", 0)),
        "members": members is None
        or (isinstance(members, dict) and all(isinstance(m, dict) for m in members.values())),
        "producer": isinstance(producer, dict)
        and _text(producer.get("station"))
        and _text(producer.get("unit")),
        "origins": origins is None
        or (isinstance(origins, dict) and all(map(_span, origins, origins.values()))),
        "recipient": manifest.get("recipient") is None or _text(manifest["recipient"]),
        "sealed": not manifest.get("sealed") or isinstance(manifest["sealed"], dict),
        "rotation": manifest.get("rotation") is None or isinstance(manifest["rotation"], dict),
        "rotations": manifest.get("rotations") is None or isinstance(manifest["rotations"], list),
    }
    return next((field for field, right in shapes.items() if not right), None)


MANIFEST_PEEK_LIMIT = 1_000_000  # a manifest is a few kB; a bigger one is no bundle of ours


def peek_manifest(source: Path | bytes) -> dict | None:
    """A file's manifest read as it stands, unverified: to name its sender or order files
    before the checks. None for whatever is no readable bundle; a file damaged on its way
    fails to inflate (zlib, EOFError), another program's zip may use a method or a
    password zipfile lacks — check_layout says why when the file is taken."""
    try:
        opened = io.BytesIO(source) if isinstance(source, bytes) else source
        with zipfile.ZipFile(opened) as zf:
            if zf.getinfo(MANIFEST).file_size > MANIFEST_PEEK_LIMIT:
                return None
            manifest = json.loads(zf.read(MANIFEST))
    except (
        OSError, zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
        KeyError, ValueError,
    ):  # fmt: skip
        return None
    return manifest if isinstance(manifest, dict) else None


def check_layout(data: bytes, name: str, limits: Limits) -> zipfile.ZipFile:
    """Safe unpacking: size, junk before/after, member count, names, duplicates, ratios."""
    if len(data) > limits.max_file:
        raise BundleRefused(f"Tệp {name} quá lớn để là một gói dữ liệu nhao.", stage="unpack")
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and b"nhao-ack" in data[:4096]:
        # Receipts come back through the same chat as bundles (`nhao bundle ack`).
        raise BundleRefused(
            f"Tệp {name} là giấy báo nhận của nơi nhận, không phải gói dữ liệu: hãy đọc nó "
            "bằng nhao bundle ack-import (nhận giấy báo nhận).",
            stage="unpack",
        )
    if len(data) < 22 or not data.startswith(b"PK\x03\x04"):
        raise BundleRefused(
            f"Tệp {name} không phải gói dữ liệu nhao (có dữ liệu lạ ở đầu tệp hoặc tệp rỗng).",
            stage="unpack",
        )
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BundleRefused(_damaged(name), stage="unpack") from None
    if len(infos) > limits.max_members:
        raise BundleRefused(f"Gói {name} có quá nhiều tệp bên trong.", stage="unpack")
    names = [i.filename for i in infos]
    inner = [n.rsplit("/", 1)[-1] for n in names if n.lower().endswith(BUNDLE_SUFFIX)]
    if MANIFEST not in names and inner:
        # Bundles zipped again to send by e-mail ("Send to → Compressed folder").
        listed = ", ".join(inner[:3]) + ("…" if len(inner) > 3 else "")
        raise BundleRefused(
            f"Tệp {name} là tệp nén chứa gói dữ liệu ({listed}), không phải một gói: hãy giải "
            "nén (chuột phải vào tệp → Extract All / Giải nén tất cả) rồi nhập các tệp .nhao "
            "bên trong.",
            stage="unpack",
        )
    if MANIFEST not in names:  # an .xlsx or .docx is a zip too: say so, not "unsafe name"
        raise BundleRefused(
            f"Tệp {name} không phải gói dữ liệu nhao (không có tệp kê khai bên trong; có thể "
            "là một tệp Excel, Word hay tệp nén khác).",
            stage="unpack",
        )
    for member in names:
        if not MEMBER_NAME.match(member):
            raise BundleRefused(
                f"Gói {name} chứa tệp có tên không an toàn hoặc không được phép ({member!r}).",
                stage="unpack",
            )
    if len(set(names)) != len(names):
        raise BundleRefused(f"Gói {name} chứa hai tệp trùng tên.", stage="unpack")
    total = 0
    pos = 0
    for info in sorted(infos, key=lambda i: i.header_offset):
        if info.flag_bits & 0x1 or info.compress_type not in (
            zipfile.ZIP_STORED,
            zipfile.ZIP_DEFLATED,
        ):
            raise BundleRefused(f"Gói {name} dùng kiểu nén không được phép.", stage="unpack")
        total += info.file_size
        big = info.file_size > 64 * 1024
        if (
            info.file_size > limits.max_member
            or total > limits.max_total
            or (big and info.file_size > limits.max_ratio * max(info.compress_size, 1))
        ):
            raise BundleRefused(
                f"Gói {name} bung ra quá lớn so với kích thước tệp (nghi là bom nén).",
                stage="unpack",
            )
        if info.header_offset != pos:
            raise BundleRefused(f"Gói {name} có dữ liệu lạ chen giữa các tệp.", stage="unpack")
        head = data[info.header_offset : info.header_offset + 30]
        if len(head) < 30 or head[:4] != b"PK\x03\x04":
            raise BundleRefused(_damaged(name), stage="unpack")
        n, e = struct.unpack("<HH", head[26:30])
        pos = info.header_offset + 30 + n + e + info.compress_size
        if info.flag_bits & 0x8:
            raise BundleRefused(f"Gói {name} dùng kiểu nén không được phép.", stage="unpack")
    if pos != zf.start_dir or data[-22:-18] != b"PK\x05\x06" or zf.comment:
        raise BundleRefused(f"Tệp {name} có dữ liệu lạ ở cuối tệp.", stage="unpack")
    return zf


def _read(zf: zipfile.ZipFile, member: str, file_name: str) -> bytes:
    try:
        return zf.read(member)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError):
        raise BundleRefused(f"Gói {file_name} có tệp {member} bị hỏng.", stage="hash") from None


def _member_hash(zf: zipfile.ZipFile, member: str, file_name: str) -> tuple[int, str]:
    """A member's size and sha256, inflated a chunk at a time."""
    digest, size = hashlib.sha256(), 0
    try:
        with zf.open(member) as fh:
            while chunk := fh.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError):
        raise BundleRefused(f"Gói {file_name} có tệp {member} bị hỏng.", stage="hash") from None
    return size, digest.hexdigest()


def open_bundle(
    data: bytes,
    name: str,
    *,
    find_key: Callable[[str, bytes], bytes],
    known_schema: Callable[[str], bool],
    limits: Limits | None = None,
) -> OpenedBundle:
    """Run the checks in DESIGN.md's order up to the schema version.

    `find_key(key_id, manifest_bytes)` returns the Ed25519 public key of a trusted,
    unrevoked key or raises BundleRefused; it sees the unverified manifest bytes only
    so it can follow a key rotation that the signature then has to confirm.
    """
    zf = check_layout(data, name, limits or Limits())
    names = set(zf.namelist())
    if MANIFEST not in names or SIGNATURE not in names:
        raise BundleRefused(f"Gói {name} thiếu tệp kê khai hoặc chữ ký.", stage="signature")
    limits = limits or Limits()
    if zf.getinfo(MANIFEST).file_size > limits.max_manifest:
        raise BundleRefused(f"Tệp kê khai trong gói {name} quá lớn.", stage="unpack")
    manifest_bytes = _read(zf, MANIFEST, name)
    try:
        sig_text = _read(zf, SIGNATURE, name).decode("ascii")
        keynum = minisign.signature_keynum(sig_text)
    except (UnicodeDecodeError, minisign.SignatureError):
        raise BundleRefused(f"Chữ ký của gói {name} sai định dạng.", stage="signature") from None
    key_id = keynum.hex()
    ed_public = find_key(key_id, manifest_bytes)
    try:
        minisign.verify(ed_public, keynum, manifest_bytes, sig_text)
    except minisign.SignatureError:
        raise BundleRefused(
            f"Chữ ký của gói {name} không khớp: tệp kê khai đã bị sửa sau khi ký.",
            stage="signature",
        ) from None
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError:
        raise BundleRefused(
            f"Tệp kê khai của gói {name} không đọc được.", stage="signature"
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleRefused(f"Tệp {name} không phải gói dữ liệu nhao.", stage="signature")
    if (wrong := _misshapen(manifest)) is not None:
        raise BundleRefused(
            f"Tệp kê khai của gói {name} ghi sai dạng ({wrong}); không có gì được ghi. Máy "
            "gửi có lẽ dùng phiên bản nhao khác hoặc bị lỗi; hãy báo cán bộ kỹ thuật.",
            stage="hash",
        )
    listed = manifest.get("members") or {}
    extra = names - {MANIFEST, SIGNATURE} - set(listed)
    if extra:
        raise BundleRefused(
            f"Gói {name} chứa tệp không có trong bản kê khai ({sorted(extra)[0]}).", stage="hash"
        )
    for member, meta in listed.items():
        if member not in names:
            raise BundleRefused(f"Gói {name} thiếu tệp {member} đã kê khai.", stage="hash")
        if _member_hash(zf, member, name) != (meta.get("size"), meta.get("sha256")):
            raise BundleRefused(
                f"Tệp {member} trong gói {name} đã bị thay đổi (mã băm không khớp).", stage="hash"
            )
    if manifest.get("format_version", 0) > FORMAT_VERSION or not known_schema(
        str(manifest.get("schema", ""))
    ):
        raise BundleRefused(
            f"Gói {name} do phiên bản nhao mới hơn tạo ra; hãy cập nhật nhao để nhập gói này.",
            stage="schema",
        )
    return OpenedBundle(
        name, sha256_hex(data), manifest, manifest_bytes, key_id, tuple(listed), zf
    )
