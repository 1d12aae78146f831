"""CSV files as communes save them: UTF-8, UTF-8 with BOM, Windows-1258 (whose
Vietnamese letters often come decomposed), or Excel's UTF-16 "Unicode text";
separated by commas, semicolons (Excel with a Vietnamese locale) or tabs."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import ImportRejected, file_changed

SAMPLE_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t")
# A quoted cell and the separators on either side of it. A cell with a line break in it
# is quoted, and the lines it is cut into would mislead the count below.
_QUOTED_CELL = re.compile(r'(?:^|([,;\t]))"(?:[^"]|"")*"(?:([,;\t])|\r?$)', re.MULTILINE)
# "sep=;" alone on the first line: the separator named, for Excel, which splits the file
# at it and does not show the line (the header below it is row 1 there).
_SEP_LINE = re.compile(r'"?sep=([^\r\n])"?[ \t]*(?:\r\n|\r|\n)', re.IGNORECASE)


def detect_encoding(path: Path) -> tuple[str, bytes, bytes]:
    """The codec to read the file with, the sha256 of its content and its first
    SAMPLE_BYTES, from one reading in chunks, never whole."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    head = b""
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            if len(head) < SAMPLE_BYTES:
                head += chunk[: SAMPLE_BYTES - len(head)]
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif utf8 and _complete(decoder):
        encoding = "utf-8"
    else:
        # Not UTF-8: the Vietnamese Windows code page is what Excel and old tools write.
        _refuse_mixed(path)
        encoding = "cp1258"
    return encoding, digest.digest(), head


def _complete(decoder: codecs.IncrementalDecoder) -> bool:
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


class _Hashed(io.RawIOBase):
    """A binary file that hashes every byte read through it."""

    def __init__(self, raw: BinaryIO):
        self._raw = raw
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def, override]
        count = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        if count:
            self.digest.update(memoryview(buffer)[:count])
        return count


def _refuse_mixed(path: Path) -> None:
    """A file not UTF-8 as a whole whose other lines are: two files pasted together,
    one saved each way. Read as Windows-1258, the UTF-8 names would come out garbled
    ("Nguyá»…n") and be imported as they look."""
    utf8: list[int] = []
    other: list[int] = []
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            if line.isascii():
                continue
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                other.append(number)
            else:
                utf8.append(number)
            if utf8 and other and len(utf8) + len(other) > 6:
                break
    if utf8 and other:
        raise ImportRejected(
            f"Tệp {path.name} trộn hai kiểu mã chữ: dòng {_lines(utf8)} ghi theo UTF-8, dòng "
            f"{_lines(other)} theo Windows-1258, nên tên người sẽ bị sai chữ. Hãy mở tệp "
            "bằng Excel, sửa lại các dòng đó, rồi lưu thành CSV UTF-8 hoặc .xlsx."
        )


def _lines(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers[:3])) + ("…" if len(numbers) > 3 else "")


def detect_delimiter(sample: str) -> str:
    """The separator that splits the most lines into the same number of columns (more
    than one): counting separators alone, addresses full of commas in a file
    separated by semicolons would win for the comma. A quoted cell says it outright:
    the separator is what stands beside its quotes."""
    beside = Counter(
        d for m in _QUOTED_CELL.finditer(sample) for d in m.groups() if d is not None
    )
    if beside:
        return beside.most_common(1)[0][0]
    lines = [line for line in sample.splitlines()[:30] if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths = Counter(len(row) for row in csv.reader(lines, delimiter=delimiter))
        width, times = widths.most_common(1)[0] if widths else (0, 0)
        if width > 1 and (times, width) > best_score:
            best, best_score = delimiter, (times, width)
    return best


class CsvSource:
    """Rows of a CSV file, streamed: row numbers are the rows Excel would show."""

    kind = "csv"

    def __init__(self, path: Path):
        self.path = path
        self.encoding, self.digest, head = detect_encoding(path)
        # The sample from the same reading that was hashed; a character cut at its end
        # comes out as a replacement mark, which no separator is.
        sample = head.decode(self.encoding, errors="replace")
        named = _SEP_LINE.match(sample)
        self._sep_line = named is not None  # not a row: rows are numbered from the next
        self.delimiter = named.group(1) if named else detect_delimiter(sample)

    @property
    def sheet_names(self) -> list[str]:
        return [self.path.stem]

    def hidden(self, name: str) -> bool:
        return False

    def merged(self, name: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        return []

    def height(self, name: str) -> int | None:
        return None  # unknown until read; the row limit is checked while streaming

    def hidden_rows(self, name: str) -> frozenset[int]:
        return frozenset()  # a text file shows every row

    def rows(self, name: str) -> Iterator[tuple[int, list[object]]]:
        """The rows, read anew. A pass read to its end has hashed what it read: content
        other than the one opened (the file saved again meanwhile) is refused then,
        before the import that read it commits."""
        with self.path.open("rb") as raw, _Hashed(raw) as hashed:
            handle = io.TextIOWrapper(
                io.BufferedReader(hashed), encoding=self.encoding, errors="replace", newline=""
            )
            reader = csv.reader(handle, delimiter=self.delimiter)
            number = 0
            if self._sep_line:
                next(reader, None)
            try:
                for number, cells in enumerate(reader, 1):  # noqa: B007 - used after
                    yield number, cells  # type: ignore[misc]
            except csv.Error as error:
                raise self._unreadable(number + 1, error) from None
            if hashed.digest.digest() != self.digest:
                raise file_changed(self.path.name)

    def _unreadable(self, row: int, error: csv.Error) -> ImportRejected:
        if "field larger than field limit" in str(error):
            why = (
                f"một ô dài hơn {csv.field_size_limit():,} ký tự; thường là do một dấu "
                "ngoặc kép (\") mở mà không đóng ở dòng này hoặc dòng trên"
            ).replace(",", ".")
        else:
            why = f"dòng không đúng dạng CSV ({error})"
        return ImportRejected(f"Tệp {self.path.name} không đọc được ở dòng {row}: {why}.")

    def close(self) -> None:
        pass
