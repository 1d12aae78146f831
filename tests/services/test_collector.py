"""The cycle collector is paused for a bulk pass and resumes after the last one."""

from __future__ import annotations

import gc
import threading

import pytest

from nhao.services.collector import collector_paused


@pytest.fixture(autouse=True)
def _collector_on():  # type: ignore[no-untyped-def]
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_paused_during_a_pass_and_back_after_it_even_when_it_fails() -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("the pass failed")
    assert gc.isenabled()


def test_overlapping_passes_resume_it_when_the_last_one_ends() -> None:
    first_inside, second_done = threading.Event(), threading.Event()

    def second_pass() -> None:
        first_inside.wait()
        with collector_paused():
            pass
        second_done.set()

    other = threading.Thread(target=second_pass)
    other.start()
    with collector_paused():
        first_inside.set()
        second_done.wait()
        assert not gc.isenabled()  # the other pass ended first: still paused for this one
    other.join()
    assert gc.isenabled()


def test_left_off_when_it_was_off_before() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_the_import_pass_runs_with_it_paused(db, admin, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from nhao.services import household_import_pass
    from nhao.services.household_import import ImportOptions, import_file

    seen: list[bool] = []
    real = household_import_pass.ImportPass._go

    def spy(self):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return real(self)

    monkeypatch.setattr(household_import_pass.ImportPass, "_go", spy)
    path = tmp_path / "ho.csv"
    path.write_text("Họ và tên chủ hộ,Năm sinh,Thôn\nLò Văn A,1960,Thôn 1\n", encoding="utf-8")
    import_file(db, admin, path, ImportOptions(), dry_run=True)
    assert seen == [False] and gc.isenabled()
