"""Why a file cannot be imported at all (as opposed to a row that has an error)."""

from __future__ import annotations

from nhao.domain.errors import DomainError


class ImportRejected(DomainError):
    """One sentence for the person, naming the file; the command exits with code 1."""

    def __init__(self, message: str, *, wants_hamlet: bool = False) -> None:
        super().__init__(message)
        self.message = message
        # Refused for want of a hamlet, which one chosen for the whole file would give:
        # the window offers the choice, the command line names its option.
        self.wants_hamlet = wants_hamlet

    def __str__(self) -> str:
        return self.message


def file_changed(name: str) -> ImportRejected:
    return ImportRejected(
        f"Tệp {name} đã thay đổi sau khi mở (có thể vừa được sửa và lưu lại), nên chưa "
        "nhập gì; hãy chọn lại tệp để kiểm tra rồi nhập."
    )
