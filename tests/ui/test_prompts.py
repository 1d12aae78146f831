"""The real file dialogs: where they open."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from nhao.ui.prompts import Prompts


def test_a_suggested_name_alone_opens_the_dialog_in_documents_not_the_program_folder(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A bare name ("so-ho-xa-binh-gia-05-02-2025.xlsx") is taken by Qt relative to the
    # working directory: on Windows, started from its shortcut, the program's folder
    # under C:\Program Files, where nobody may save.
    program_folder = tmp_path / "Program Files" / "nhao"
    program_folder.mkdir(parents=True)
    documents = tmp_path / "Nguyễn Văn A" / "Documents"
    documents.mkdir(parents=True)
    monkeypatch.chdir(program_folder)
    monkeypatch.setattr("nhao.ui.prompts.documents_folder", lambda: documents)
    asked: list[str] = []
    answers: list[str] = []  # what the person picks; nothing (Cancel) when empty

    def dialog(parent, title, where, filters):  # type: ignore[no-untyped-def]
        asked.append(where)
        return (answers.pop(0) if answers else ""), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", dialog)
    prompts = Prompts()
    assert prompts.save_file(None, "Lưu", "so-ho-xa-binh-gia.xlsx", "Excel (*.xlsx)") is None
    assert not prompts.open_files(None, "Mở", "nhao (*.nhao)")
    assert asked == [str(documents / "so-ho-xa-binh-gia.xlsx"), str(documents)]
    # A suggestion with its folder (the folder of the last bundle, say) is kept, and
    # the folder chosen is where the next dialog starts.
    elsewhere = tmp_path / "USB" / "nhao-06112.nhao"
    chosen = tmp_path / "USB" / "goi-thang-5.nhao"
    answers.append(str(chosen))
    assert prompts.save_file(None, "Lưu", str(elsewhere), "nhao (*.nhao)") == chosen
    assert asked[-1] == str(elsewhere)
    prompts.save_file(None, "Lưu", "nhao-06112.nhaokey", "nhao (*.nhaokey)")
    assert asked[-1] == str(chosen.parent / "nhao-06112.nhaokey")
