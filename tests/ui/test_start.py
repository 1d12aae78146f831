"""What the window says when it cannot open its data: a box, not only a console line.

Started from its shortcut on Windows, nhao has no console a person could read (it
closes with the program): a damaged or unprepared data file was a window that never
came, with no word why."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.message_boxes import answer_the_box

from nhao import app
from nhao.config import resolve_database
from nhao.models.database import Database
from nhao.models.sqlite_profile import DamagedFile


def test_a_damaged_data_file_is_said_in_a_box(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "nhao.sqlite"
    path.write_bytes(bytes(range(256)) * 40)
    seen: list[tuple[str, str]] = []
    answer_the_box(seen)
    with pytest.raises(DamagedFile):  # the command line still says it, and exits 1
        app.run_window(resolve_database(path))
    [(title, text)] = seen
    assert title == "nhao không mở được dữ liệu"
    assert text.startswith("Dữ liệu nhao.sqlite không phải tệp dữ liệu của nhao")


def test_a_data_file_never_set_up_is_said_in_a_box(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "moi.sqlite"
    Database(resolve_database(path)).open()  # made, never set up with nhao init
    seen: list[tuple[str, str]] = []
    answer_the_box(seen)
    assert app.run_window(resolve_database(path)) == 1
    [(_title, text)] = seen
    assert "chưa được khởi tạo" in text and "nhao init" in text
