"""What kind of file this really is, judged by its bytes rather than its name, and
one clear sentence when it cannot be read: not a spreadsheet, password-protected,
damaged, or too large."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

from xlrd.compdoc import CompDocError

from .errors import ImportRejected
from .xls_errors import workbook_stream

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .xlsx is an OLE container with these streams instead of a zip.
ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
XLS_FILEPASS = 0x002F  # BIFF FILEPASS record: a password-protected .xls
XLS_BOUNDSHEET = 0x0085  # the sheets' list, which comes after FILEPASS
MAX_UNCOMPRESSED = 2 * 1024**3  # beyond this a zip is a bomb, whatever the settings say
_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+[0-9]+:[A-Z]+([0-9]+)"')
BYTES_PER_ROW_FLOOR = 40  # an XML row with real cells is never smaller than this
SAVE_AS_XLSX = "hãy mở bằng Excel rồi lưu lại dưới dạng .xlsx"
HEAD_BYTES = 4096


@dataclass(frozen=True)
class Limits:
    """How big a file nhao agrees to read (settings `import.max_rows`, `import.max_mb`)."""

    max_rows: int = 200_000
    max_megabytes: int = 50


def too_large(path: Path, what: str, limits: Limits) -> ImportRejected:
    rows = f"{limits.max_rows:,}".replace(",", ".")  # 200.000, as Vietnamese write it
    return ImportRejected(
        f"Tệp {path.name} quá lớn ({what}); giới hạn hiện là {rows} dòng và "
        f"{limits.max_megabytes} MB, đổi được ở mục “Giới hạn tệp nhập” trong Cài đặt."
    )


def _checked_size(path: Path, limits: Limits) -> int:
    if path.is_dir():
        raise ImportRejected(f"{path} là một thư mục; hãy chọn một tệp bảng tính trong đó.")
    if not path.is_file():
        raise ImportRejected(f"Không tìm thấy tệp {path}.")
    size = path.stat().st_size
    if size == 0:
        raise ImportRejected(f"Tệp {path.name} trống rỗng (0 byte).")
    if size > limits.max_megabytes * 1024 * 1024:
        raise too_large(path, f"{size / 1024 / 1024:.0f} MB", limits)
    return size


def read_head(path: Path, limits: Limits) -> bytes:
    """The first bytes of a file that is not refused for its size: enough for sniff()
    to tell a text file, which is then streamed (CsvSource)."""
    _checked_size(path, limits)
    with path.open("rb") as handle:
        return handle.read(HEAD_BYTES)


def read_file(path: Path, limits: Limits) -> bytes:
    """A workbook's bytes, read once: what is judged, parsed and hashed (to see later
    whether the file was saved again) is the same. Refused unread when too large."""
    size = _checked_size(path, limits)
    allowed = limits.max_megabytes * 1024 * 1024
    with path.open("rb") as handle:
        # The size it has, and one byte to see it has grown since: a buffer for as
        # much as the limit allows would cost that much for any file.
        data = handle.read(size + 1)
        if len(data) > size:
            data += handle.read(allowed + 1 - len(data))
    if len(data) > allowed:
        raise too_large(path, f"hơn {limits.max_megabytes} MB", limits)
    return data


def is_workbook(head: bytes) -> bool:
    return head.startswith((ZIP_MAGIC, OLE_MAGIC))


def sniff(path: Path, data: bytes, limits: Limits) -> str:
    """"xlsx", "ods", "xls" or "csv" — or ImportRejected with the reason. ``data`` is
    the whole content of a workbook (read_file), the head of anything else (read_head);
    ``path`` names the file in messages."""
    head = data[:HEAD_BYTES]
    if head.startswith(ZIP_MAGIC):
        return _zip_kind(path, data, limits)
    if head.startswith(OLE_MAGIC):
        return _ole_kind(path, data)
    return _text_kind(path, head)


def _zip_kind(path: Path, data: bytes, limits: Limits) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            total = sum(info.file_size for info in archive.infolist())
            if total > MAX_UNCOMPRESSED:
                raise too_large(path, "giải nén ra hơn 2 GB", limits)
            if "xl/workbook.xml" in names:
                _check_sheet_sizes(path, archive, limits)
                return "xlsx"
            if "content.xml" in names and b"spreadsheet" in _member_head(archive, "mimetype"):
                # An .ods saved with a password keeps its parts encrypted, which the
                # manifest says; python-calamine reports it only as an unknown format.
                manifest = _member_head(archive, "META-INF/manifest.xml", 1 << 20)
                if b"encryption-data" in manifest:
                    raise ImportRejected(
                        f"Tệp {path.name} có đặt mật khẩu; hãy mở bằng LibreOffice, lưu lại "
                        "không đặt mật khẩu rồi nhập lại."
                    )
                if archive.getinfo("content.xml").file_size > limits.max_rows * 1000:
                    raise too_large(path, "bảng tính quá nhiều dòng", limits)
                return "ods"
            if "xl/workbook.bin" in names:  # Excel's binary workbook, which nhao cannot read
                raise ImportRejected(
                    f"Tệp {path.name} là bảng tính Excel dạng nhị phân (.xlsb); {SAVE_AS_XLSX}."
                )
            if "word/document.xml" in names:
                raise ImportRejected(
                    f"Tệp {path.name} là văn bản Word, không phải bảng tính; "
                    "hãy chép bảng sang Excel và lưu dạng .xlsx."
                )
    except zipfile.BadZipFile:
        raise ImportRejected(
            f"Tệp {path.name} bị hỏng (không giải nén được); {SAVE_AS_XLSX}, hoặc lấy lại tệp gốc."
        ) from None
    raise ImportRejected(f"Tệp {path.name} không phải là bảng tính (.xlsx, .xls, .ods, .csv).")


def _member_head(archive: zipfile.ZipFile, name: str, size: int = 4096) -> bytes:
    try:
        with archive.open(name) as member:
            return member.read(size)
    except KeyError:
        return b""


def _check_sheet_sizes(path: Path, archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse a sheet with more rows than allowed before python-calamine loads it,
    so memory stays bounded whatever the file holds. The <dimension> element says
    how many rows there are; it may be missing or overstate, so then the rows are
    counted while decompressing, which needs no memory."""
    for info in archive.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        if info.file_size <= limits.max_rows * BYTES_PER_ROW_FLOOR:
            continue  # too small to hold that many rows
        match = _DIMENSION.search(_member_head(archive, info.filename))
        if match and int(match.group(1)) <= limits.max_rows:
            continue
        rows = _count_rows(archive, info.filename, limits.max_rows)
        if rows > limits.max_rows:
            raise too_large(path, f"hơn {limits.max_rows:,} dòng".replace(",", "."), limits)


def _count_rows(archive: zipfile.ZipFile, name: str, stop_after: int) -> int:
    count, tail = 0, b""
    with archive.open(name) as member:
        while chunk := member.read(1 << 20):
            data = tail + chunk
            count += data.count(b"<row ") + data.count(b"<row>")
            if count > stop_after:
                break
            tail = data[-4:]  # a tag split between two chunks is whole in the next one
    return count


def _ole_kind(path: Path, data: bytes) -> str:
    if any(data.find(stream) >= 0 for stream in ENCRYPTED_STREAMS) or _xls_encrypted(data):
        raise ImportRejected(
            f"Tệp {path.name} có đặt mật khẩu; hãy mở bằng Excel, gỡ mật khẩu "
            "(Tệp › Thông tin › Bảo vệ sổ làm việc) rồi lưu lại và nhập lại."
        )
    return "xls"


def _xls_encrypted(data: bytes) -> bool:
    """Whether an .xls is saved with a password (Excel's or LibreOffice's "Save with
    password"): its workbook stream then has a FILEPASS record before the sheets' list.
    python-calamine reports such a file only as one whose format it cannot detect."""
    try:
        stream = workbook_stream(data)
    except (CompDocError, ValueError, IndexError, struct.error):
        return False
    at = 0
    while at + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, at)
        if kind == XLS_FILEPASS:
            return True
        if kind == XLS_BOUNDSHEET:
            return False
        at += 4 + size
    return False


def _text_kind(path: Path, head: bytes) -> str:
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml")):
        raise ImportRejected(
            f"Tệp {path.name} là trang web hoặc XML mang đuôi {path.suffix}, "
            f"không phải bảng tính thật; {SAVE_AS_XLSX}."
        )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"  # UTF-16 text, as Excel's "Unicode text" saves it
    if b"\x00" in head or head.startswith(b"%PDF"):
        raise ImportRejected(
            f"Tệp {path.name} không phải là bảng tính (.xlsx, .xls, .ods, .csv)."
        )
    return "csv"
