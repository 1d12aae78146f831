"""CSV files as communes save them: UTF-8, UTF-8 with BOM, Windows-1258 (whose
Vietnamese letters often come decomposed), or Excel's UTF-16 "Unicode text";
separated by commas, semicolons (Excel with a Vietnamese locale) or tabs."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path

SAMPLE_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t")


def detect_encoding(path: Path) -> str:
    """The codec to read the file with; reads it in chunks, never whole."""
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            # Not UTF-8: the Vietnamese Windows code page is what Excel and old tools write.
            return "cp1258"
    return "utf-8"


def detect_delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines()[:30] if line.strip()]
    counts = {d: sum(line.count(d) for line in lines) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: counts[d]) if any(counts.values()) else ","


class CsvSource:
    """Rows of a CSV file, streamed: row numbers are the rows Excel would show."""

    kind = "csv"

    def __init__(self, path: Path):
        self.path = path
        self.encoding = detect_encoding(path)
        with path.open("r", encoding=self.encoding, errors="replace", newline="") as handle:
            self.delimiter = detect_delimiter(handle.read(SAMPLE_BYTES))

    @property
    def sheet_names(self) -> list[str]:
        return [self.path.stem]

    def hidden(self, name: str) -> bool:
        return False

    def merged(self, name: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        return []

    def height(self, name: str) -> int | None:
        return None  # unknown until read; the row limit is checked while streaming

    def rows(self, name: str) -> Iterator[tuple[int, list[object]]]:
        with self.path.open("r", encoding=self.encoding, errors="replace", newline="") as handle:
            yield from enumerate(csv.reader(handle, delimiter=self.delimiter), 1)  # type: ignore[misc]

    def close(self) -> None:
        pass
