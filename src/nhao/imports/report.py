"""What an import did with every source row: the report people read (xlsx) and
the JSON other tools read. The JSON keys are a contract: keep them stable."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .headers import column_letter


class RowStatus(StrEnum):
    ok = "ok"
    warning = "warning"
    error = "error"  # not imported; the messages say why
    duplicate = "duplicate"  # matched another household, imported as chosen (update or new)
    skipped = "skipped"  # a duplicate the person chose to skip, a totals or title row

    @property
    def label_vi(self) -> str:
        return _LABELS[self]


_LABELS = {
    RowStatus.ok: "Hợp lệ",
    RowStatus.warning: "Cần xem lại",
    RowStatus.error: "Lỗi",
    RowStatus.duplicate: "Trùng",
    RowStatus.skipped: "Bỏ qua",
}


@dataclass(frozen=True, slots=True)
class RowOutcome:
    row: int  # as Excel shows it
    status: RowStatus
    messages: tuple[str, ...] = ()
    head_name: str = ""
    duplicate: bool = False  # matched another household, whatever was done with it
    # Matched a household on the register that already has every value of the row: a
    # register imported back (skipped, whatever the choice for duplicates but "new").
    unchanged: bool = False


@dataclass
class ImportReport:
    file: str
    sheet: str
    header_row: int
    mapping: dict[int, str]  # column index → field
    headers: dict[int, str]  # column index → header text
    rows: list[RowOutcome] = field(default_factory=list)
    imported: int = 0  # households added or updated
    updated: int = 0  # of which updated
    dry_run: bool = False
    created_hamlets: list[str] = field(default_factory=list)
    unknown_hamlets: list[str] = field(default_factory=list)  # named by rows, not in the commune
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)  # about the file as a whole

    def summary(self) -> dict[str, int]:
        counts = {status.value: 0 for status in RowStatus}
        for outcome in self.rows:
            counts[outcome.status.value] += 1
        counts["imported"] = self.imported
        counts["unchanged"] = sum(o.unchanged for o in self.rows)
        return counts

    def to_dict(self) -> dict[str, object]:
        """The object `nhao households import --json` prints."""
        return {
            "file": self.file,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "mapping": {column_letter(c): f for c, f in sorted(self.mapping.items())},
            "summary": self.summary(),
            "rows": [
                {"row": o.row, "status": o.status.value, "messages": list(o.messages)}
                for o in self.rows
            ],
            "dry_run": self.dry_run,
            # What the file as a whole says (rows hidden, an old font converted, …).
            "notes": list(self.notes),
        }

    def not_imported(self) -> str:
        """The header's columns left out ("Hiện trạng nhà ở", "Nhu cầu hỗ trợ"), said where
        the mapping is not shown: the person should not look for them on the register."""
        columns = ", ".join(
            f"{column_letter(c)} “{h}”" for c, h in sorted(self.headers.items())
            if c not in self.mapping
        )
        return f"Các cột không được nhập: {columns}." if columns else ""

    def describe(self) -> str:
        """One line for the command line."""
        s = self.summary()
        done = "Kiểm tra trước (chưa ghi)" if self.dry_run else f"Đã nhập {s['imported']} hộ"
        if self.updated and not self.dry_run:  # an update is not one household more
            done += f" ({s['imported'] - self.updated} hộ mới, cập nhật {self.updated} hộ đã có)"
        same = f" (có {s['unchanged']} hộ đã có sẵn đúng như trong tệp)" if s["unchanged"] else ""
        return (
            f"{done}: {s['ok']} dòng hợp lệ, {s['warning']} cần xem lại, {s['error']} lỗi, "
            f"{s['duplicate']} trùng, {s['skipped']} bỏ qua{same}."
        )
