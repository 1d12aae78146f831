"""`nhao keys` and `nhao bundle` from a hamlet laptop up to its commune."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from nhao import files
from nhao.cli import main


def run(*argv: str) -> int:
    return main(list(argv))


@pytest.fixture
def stations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.setenv("NHAO_PASSWORD", "matkhau")
    commune, hamlet = tmp_path / "xa.sqlite", tmp_path / "thon.sqlite"
    assert run("--db", str(commune), "init", "--unit", "06112", "--admin", "xa") == 0
    assert (
        run(
            "--db",
            str(hamlet),
            "init",
            "--unit",
            "06112",
            "--hamlet",
            "Thôn Nà Pàn",
            "--admin",
            "thon",
        )
        == 0
    )
    return commune, hamlet


def test_keys_and_a_bundle_from_hamlet_to_commune(stations, tmp_path, capsys) -> None:
    commune, hamlet = stations
    capsys.readouterr()
    assert run("--db", str(hamlet), "keys", "show") == 0
    fingerprint = capsys.readouterr().out.split("Mã nhận dạng:")[1].strip()
    key_file = tmp_path / "thon.nhaokey"
    assert run("--db", str(hamlet), "keys", "export", str(key_file)) == 0
    assert run("--db", str(commune), "keys", "trust", str(key_file), "--fingerprint", "XXXX") == 1
    assert (
        run(
            "--db",
            str(commune),
            "keys",
            "trust",
            str(key_file),
            "--fingerprint",
            fingerprint,
            "--role",
            "child",
        )
        == 0
    )
    assert run("--db", str(hamlet), "hamlets", "list") == 0

    bundle = tmp_path / "thon-1.nhao"
    assert run("--db", str(hamlet), "bundle", "export", str(bundle), "--to", "06112") == 0
    capsys.readouterr()
    report_xlsx = tmp_path / "bao-cao.xlsx"
    assert (
        run(
            "--db",
            str(commune),
            "bundle",
            "import",
            str(bundle),
            "--json",
            "--report",
            str(report_xlsx),
        )
        == 0
    )
    [report] = json.loads(capsys.readouterr().out)
    assert report["status"] == "applied"
    assert set(report) >= {"file", "status", "producer", "entities", "possible_duplicates"}
    assert report_xlsx.exists()
    assert run("--db", str(commune), "bundle", "import", str(bundle), "--json") == 0
    [again] = json.loads(capsys.readouterr().out)
    assert again["status"] == "skipped"
    assert run("--db", str(commune), "verify") == 0


def test_a_bundle_from_an_unknown_station_is_refused_with_exit_1(
    stations, tmp_path, capsys
) -> None:
    commune, hamlet = stations
    bundle = tmp_path / "b.nhao"
    assert run("--db", str(hamlet), "bundle", "export", str(bundle), "--to", "06112") == 0
    capsys.readouterr()
    assert run("--db", str(commune), "bundle", "import", str(bundle), "--json") == 1
    out = capsys.readouterr().out
    [report] = json.loads(out)
    assert report["status"] == "refused" and report["reason"]
    # The reason is Vietnamese; as \u escapes it survives PowerShell's code page decoding.
    assert out.isascii() and not report["reason"].isascii()


def test_an_export_with_nothing_new_says_so(stations, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    _, hamlet = stations
    assert run("--db", str(hamlet), "bundle", "export", str(tmp_path / "1.nhao")) == 0
    assert "không có thay đổi nào mới" not in capsys.readouterr().err
    assert run("--db", str(hamlet), "bundle", "export", str(tmp_path / "2.nhao")) == 0
    said = capsys.readouterr()
    assert "(0 thay đổi)" in said.out and "không cần gửi" in said.err


def test_key_certificate_carries_the_fingerprint(stations, tmp_path, capsys) -> None:
    from pypdf import PdfReader

    commune, _ = stations
    capsys.readouterr()
    assert run("--db", str(commune), "keys", "show") == 0
    shown = dict(line.split(": ", 1) for line in capsys.readouterr().out.splitlines())
    fingerprint = shown["Mã nhận dạng"]
    out = tmp_path / "giay-chung-nhan.pdf"
    assert run("--db", str(commune), "keys", "certificate", str(out)) == 0
    [page] = PdfReader(out).pages
    text = page.extract_text()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Bình Gia" in text
    for group in fingerprint.split():
        assert group in text
    # The fingerprint covers the unit and the station: both shown, both printed.
    assert shown["Đơn vị"] == "06112" and shown["Máy trạm"] in text and "06112" in text


def test_a_hamlet_certificate_is_signed_by_the_team_leader_and_stamped_by_the_commune(
    stations, tmp_path, capsys
) -> None:  # type: ignore[no-untyped-def]
    # It asked the "THỦ TRƯỞNG ĐƠN VỊ" of Thôn Nà Pàn to sign and stamp: a thôn has no seal.
    from pypdf import PdfReader

    _, hamlet = stations
    out = tmp_path / "giay-chung-nhan-thon.pdf"
    capsys.readouterr()
    assert run("--db", str(hamlet), "keys", "certificate", str(out)) == 0
    assert "đề nghị UBND xã xác nhận, ký và đóng dấu" in capsys.readouterr().out
    [page] = PdfReader(out).pages
    lines = [line.strip() for line in page.extract_text().splitlines()]
    assert "THỦ TRƯỞNG ĐƠN VỊ" not in lines and "NGƯỜI LẬP" not in lines
    text = " ".join(lines)
    signed = "TỔ TRƯỞNG TỔ CÔNG TÁC (Ký, ghi rõ họ tên) XÁC NHẬN CỦA UBND XÃ BÌNH GIA (Ký, ghi rõ"
    assert text.endswith(f"{signed} họ tên, đóng dấu)"), text  # the commune stamps
    assert "có xác nhận của UBND xã Bình Gia" in text and "Thôn Nà Pàn" in text


def test_a_certificate_or_key_is_not_written_over_the_wrong_file(  # type: ignore[no-untyped-def]
    stations, tmp_path, capsys
) -> None:
    # `nhao keys certificate xa.nhaokey` (the key file taken for the input) replaced the
    # key file with a PDF, and `keys export thon-1.nhao` a bundle received, unimported.
    commune, _ = stations
    key_file, bundle = tmp_path / "xa.nhaokey", tmp_path / "thon-1.nhao"
    assert run("--db", str(commune), "keys", "export", str(key_file)) == 0
    bundle.write_bytes(b"a bundle received")
    kept = key_file.read_bytes()
    capsys.readouterr()
    assert run("--db", str(commune), "keys", "certificate", str(key_file)) == 2
    assert "xa.nhaokey" in capsys.readouterr().err and key_file.read_bytes() == kept
    assert run("--db", str(commune), "keys", "export", str(bundle)) == 2
    assert "thon-1.nhao" in capsys.readouterr().err
    assert bundle.read_bytes() == b"a bundle received"


def test_hamlet_laptop_takes_its_hamlet_from_the_commune_key_file(
    tmp_path, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    from nhao.config import resolve_database
    from nhao.models.database import Database
    from nhao.services import units

    monkeypatch.setenv("NHAO_PASSWORD", "matkhau")
    commune = tmp_path / "xa.sqlite"
    assert run("--db", str(commune), "init", "--unit", "06112", "--admin", "xa") == 0
    key_file = tmp_path / "xa.nhaokey"
    hamlet = tmp_path / "thon.sqlite"
    argv = ["--db", str(hamlet), "init", "--unit", "06112", "--admin", "thon"]
    # The key file written before the commune listed its hamlets says what to do.
    assert run("--db", str(commune), "keys", "export", str(key_file)) == 0
    capsys.readouterr()
    assert run(*argv, "--hamlet", "Nà Pàn", "--commune-key", str(key_file)) == 1
    said = capsys.readouterr().err
    assert "chưa ghi thôn, xóm nào" in said and "xuất lại tệp khóa" in said, said
    assert run("--db", str(commune), "hamlets", "add", "Thôn Nà Pàn", "Xóm Khuổi Hẩu") == 0
    assert run("--db", str(commune), "keys", "export", str(key_file)) == 0
    capsys.readouterr()

    # The team leader types the name as people say it; the commune's list decides.
    assert run(*argv, "--hamlet", "Nà Phai", "--commune-key", str(key_file)) == 1
    said = capsys.readouterr().err
    assert "không có thôn, xóm nào tên “Nà Phai”" in said and "Thôn Nà Pàn" in said
    assert not hamlet.exists()
    assert run(*argv, "--hamlet", "na pan", "--commune-key", str(key_file)) == 0

    listed = {}
    for path in (commune, hamlet):
        db = Database(resolve_database(path))
        db.open()
        listed[path] = {h.code: h.name for h in units.list_hamlets(db)}
        db.dispose()
    (code,) = listed[hamlet]
    assert listed[hamlet] == {code: "Thôn Nà Pàn"} and listed[commune][code] == "Thôn Nà Pàn"
    assert len(listed[commune]) == 2


def test_a_hamlet_laptop_set_up_by_name_is_told_to_spell_it_as_the_commune(
    tmp_path, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    """Without the commune's key file the hamlet's code is made from the name typed: one
    spelt otherwise than the commune's ("Nà Pàn" for "Thôn Nà Pàn") is another hamlet,
    whose bundles the commune refuses. `nhao init` said nothing of it."""
    monkeypatch.setenv("NHAO_PASSWORD", "matkhau")
    commune = tmp_path / "xa.sqlite"
    assert run("--db", str(commune), "init", "--unit", "06112", "--admin", "xa") == 0
    assert "Lưu ý" not in capsys.readouterr().err
    hamlet = ["--db", str(tmp_path / "thon.sqlite"), "init", "--unit", "06112", "--admin", "thon"]
    assert run(*hamlet, "--hamlet", "Nà Pàn") == 0
    said = capsys.readouterr().err
    assert said.startswith("Lưu ý: thôn “Nà Pàn”") and "viết đúng như xã viết" in said, said
    assert "--commune-key" in said, said
    assert run("--db", str(commune), "hamlets", "add", "Thôn Nà Pàn") == 0
    key_file = tmp_path / "xa.nhaokey"
    assert run("--db", str(commune), "keys", "export", str(key_file)) == 0
    capsys.readouterr()
    other = ["--db", str(tmp_path / "thon2.sqlite"), "init", "--unit", "06112", "--admin", "t"]
    assert run(*other, "--hamlet", "Nà Pàn", "--commune-key", str(key_file)) == 0
    assert "Lưu ý" not in capsys.readouterr().err


def _fingerprint(db: Path, capsys) -> str:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert run("--db", str(db), "keys", "show") == 0
    return capsys.readouterr().out.split("Mã nhận dạng:")[1].strip()


def test_trust_keeps_roles_and_revocations(stations, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    commune, hamlet = stations
    hamlet_key, commune_key = tmp_path / "thon.nhaokey", tmp_path / "xa.nhaokey"
    assert run("--db", str(hamlet), "keys", "export", str(hamlet_key)) == 0
    assert run("--db", str(commune), "keys", "export", str(commune_key)) == 0
    hamlet_fp, commune_fp = _fingerprint(hamlet, capsys), _fingerprint(commune, capsys)

    def trust(db: Path, key: Path, fingerprint: str, role: str) -> tuple[int, str]:
        code = run("--db", str(db), "keys", "trust", str(key), "--fingerprint", fingerprint,
                   "--role", role)  # fmt: skip
        return code, capsys.readouterr().err

    # The commune above the hamlet cannot be enrolled there as its child, nor the
    # hamlet at the commune as its parent: either would widen what its bundles may bring.
    code, said = trust(hamlet, commune_key, commune_fp, "child")
    assert code == 1 and "không thể tin cậy là cấp dưới" in said and "là cấp trên của" in said
    code, said = trust(commune, hamlet_key, hamlet_fp, "parent")
    assert code == 1 and "không thể tin cậy là cấp trên" in said
    assert trust(commune, hamlet_key, hamlet_fp, "child")[0] == 0
    assert trust(commune, hamlet_key, hamlet_fp, "child")[0] == 0  # again: no change

    capsys.readouterr()
    key_id = json.loads(hamlet_key.read_text())["key_id"]
    for bad in ("2026-02-30", "30/02/2026", "hôm qua"):
        assert run("--db", str(commune), "keys", "revoke", key_id, "--from", bad) == 1
        said = capsys.readouterr().err
        assert f"Thời điểm thu hồi “{bad}” không đúng" in said and "lỗi không mong đợi" not in said
    assert run("--db", str(commune), "keys", "revoke", key_id, "--from", "23/11/2026") == 0
    code, said = trust(commune, hamlet_key, hamlet_fp, "child")
    assert code == 1 and "đã bị thu hồi; không tin cậy lại được" in said


def test_revocation_times_are_vietnam_time() -> None:
    from datetime import datetime

    from nhao.services.sync.keys import revocation_time

    assert revocation_time("2026-11-23") == datetime(2026, 11, 22, 17, 0)
    assert revocation_time("23/11/2026") == datetime(2026, 11, 22, 17, 0)
    assert revocation_time("2026-11-23T03:36") == datetime(2026, 11, 22, 20, 36)
    assert revocation_time("2026-11-23T03:36+07:00") == datetime(2026, 11, 22, 20, 36)
    assert revocation_time("2026-11-23T03:36Z") == datetime(2026, 11, 23, 3, 36)


def test_a_fingerprint_read_with_digits_for_letters_still_matches() -> None:
    from nhao.sync.crypto import normalize_fingerprint

    assert normalize_fingerprint("abo2 ib7q-0i8z 1x") == "ABO2 IB7Q OIBZ IX"
    assert normalize_fingerprint(" ABO2  IB7Q ") == "ABO2 IB7Q"


def test_every_demo_user_whose_role_may_exchange_bundles_can_sign_one(
    tmp_path, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    """The station key is wrapped for each user allowed to export, not only the admin."""
    db = tmp_path / "demo.sqlite"
    assert run("--db", str(db), "demo", "--no-gui", "--households", "20") == 0
    monkeypatch.setenv("NHAO_PASSWORD", "demo")
    for user in ("admin", "totruong", "ketoan"):
        out = tmp_path / f"{user}.nhao"
        assert run("--db", str(db), "bundle", "export", str(out), "--user", user) == 0, user
        assert out.is_file()
    capsys.readouterr()
    viewer = tmp_path / "xem.nhao"
    assert run("--db", str(db), "bundle", "export", str(viewer), "--user", "xem") == 1
    assert "xem" in capsys.readouterr().err


def test_a_damaged_key_file_is_named_in_one_sentence(stations, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    commune, hamlet = stations
    good = tmp_path / "thon.nhaokey"
    assert run("--db", str(hamlet), "keys", "export", str(good)) == 0
    fingerprint = _fingerprint(hamlet, capsys)
    doc = json.loads(good.read_text(encoding="utf-8"))
    damaged = {
        "so.nhaokey": dict(doc, ed25519=12345),
        "mang.nhaokey": [doc],
        "thieu-don-vi.nhaokey": {k: v for k, v in doc.items() if k != "unit"},
        "don-vi-so.nhaokey": dict(doc, unit=6112),
        "tram-rong.nhaokey": dict(doc, station=None),
        "tram-dai.nhaokey": dict(doc, station=doc["station"] * 2),
    }
    for name, content in damaged.items():
        (tmp_path / name).write_text(json.dumps(content), encoding="utf-8")
        capsys.readouterr()
        code = run("--db", str(commune), "keys", "trust", str(tmp_path / name),
                   "--fingerprint", fingerprint)  # fmt: skip
        said = capsys.readouterr().err
        assert code == 1, (name, said)
        assert name in said and "lỗi không mong đợi" not in said, said
    # Opened and saved in Windows Notepad: a byte-order mark first, CRLF line ends.
    text = good.read_text(encoding="utf-8").replace("\n", "\r\n")
    good.write_bytes("\ufeff".encode() + text.encode("utf-8"))
    assert run("--db", str(commune), "keys", "trust", str(good), "--fingerprint", fingerprint) == 0


def test_files_held_open_by_another_program_are_refusals_not_unexpected_errors(  # type: ignore[no-untyped-def]
    stations, tmp_path, monkeypatch, capsys
) -> None:
    # Windows will not replace a file another program has open (the last bundle still
    # attached in a chat app, the certificate open in a PDF reader, the report in
    # Excel). It was "lỗi không mong đợi" and a crash log; after an import that had
    # been done, too.
    import os

    from nhao.services import sync

    commune, hamlet = stations
    bundle, certificate = tmp_path / "thon-1.nhao", tmp_path / "giay-chung-nhan.pdf"
    for held in (bundle, certificate):
        held.write_bytes(b"open elsewhere")
    real_replace = os.replace

    def replace(src, dst) -> None:  # type: ignore[no-untyped-def]
        if Path(dst) in (bundle, certificate):
            raise PermissionError(13, "The process cannot access the file", str(src))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(Path, "replace", lambda self, target: replace(self, target))
    monkeypatch.setattr(files.time, "sleep", lambda _: None)  # held for good: no waits
    capsys.readouterr()
    assert run("--db", str(hamlet), "bundle", "export", str(bundle), "--to", "06112") == 1
    assert run("--db", str(commune), "keys", "certificate", str(certificate)) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and "không mong đợi" not in err
    assert "thon-1.nhao" in err and "giay-chung-nhan.pdf" in err and "đang mở" in err
    assert bundle.read_bytes() == certificate.read_bytes() == b"open elsewhere"

    sent = tmp_path / "thon-2.nhao"
    assert run("--db", str(hamlet), "bundle", "export", str(sent), "--to", "06112") == 0

    def report_open_in_excel(reports, path, *_names, **_how) -> None:  # type: ignore[no-untyped-def]
        raise PermissionError(13, "The process cannot access the file", str(path))

    monkeypatch.setattr(sync, "write_import_report", report_open_in_excel)
    capsys.readouterr()
    report = tmp_path / "bao-cao.xlsx"
    run("--db", str(commune), "bundle", "import", str(sent), "--report", str(report))
    captured = capsys.readouterr()
    assert "thon-2.nhao" in captured.out  # what the import did is still said
    assert "bao-cao.xlsx" in captured.err and "không mong đợi" not in captured.err


def test_a_revoked_key_is_refused_naming_the_day_given_to_revoke(
    stations, tmp_path, capsys
) -> None:
    """`keys revoke --from 01/01/2026` takes the day in Vietnam time; the refusal
    names that day, not the UTC date of its midnight (31/12/2025)."""
    commune, hamlet = stations
    key_file = tmp_path / "thon.nhaokey"
    assert run("--db", str(hamlet), "keys", "export", str(key_file)) == 0
    capsys.readouterr()
    key = json.loads(key_file.read_text())
    trusted = run("--db", str(commune), "keys", "trust", str(key_file),
                  "--fingerprint", key["fingerprint"], "--role", "child")  # fmt: skip
    assert trusted == 0
    assert run("--db", str(commune), "keys", "revoke", key["key_id"], "--from", "01/01/2026") == 0
    assert "Lưu ý" not in capsys.readouterr().out  # nothing of it taken in yet
    bundle = tmp_path / "b.nhao"
    assert run("--db", str(hamlet), "bundle", "export", str(bundle), "--to", "06112") == 0
    capsys.readouterr()
    assert run("--db", str(commune), "bundle", "import", str(bundle), "--json") == 1
    [report] = json.loads(capsys.readouterr().out)
    assert report["status"] == "refused"
    assert "đã bị thu hồi từ 01/01/2026" in report["reason"], report["reason"]


def _import_one_household(hamlet: Path, tmp_path: Path) -> None:
    """Nguyễn Văn An, of Thôn Nà Pàn, put in at the hamlet from a one-row list."""
    table = tmp_path / "ho.csv"
    table.write_text("Họ và tên chủ hộ,Năm sinh,Hộ nghèo\nNguyễn Văn An,1965,x\n", "utf-8")
    assert run("--db", str(hamlet), "households", "import", str(table),
               "--hamlet", "Thôn Nà Pàn") == 0  # fmt: skip


def _two_bundles(hamlet: Path, tmp_path: Path) -> tuple[Path, Path]:
    """thon-1.nhao, then thon-2.nhao carrying a household put in between."""
    first, second = tmp_path / "thon-1.nhao", tmp_path / "thon-2.nhao"
    assert run("--db", str(hamlet), "bundle", "export", str(first)) == 0
    _import_one_household(hamlet, tmp_path)
    assert run("--db", str(hamlet), "bundle", "export", str(second)) == 0
    return first, second


def _trusted_pair(stations, tmp_path, capsys) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    """The commune and its hamlet laptop, each trusting the other's key."""
    commune, hamlet = stations
    for db, other, role in ((commune, hamlet, "child"), (hamlet, commune, "parent")):
        key_file = tmp_path / f"{other.stem}.nhaokey"
        assert run("--db", str(other), "keys", "export", str(key_file)) == 0
        fingerprint = _fingerprint(other, capsys)
        argv = ["keys", "trust", str(key_file), "--fingerprint", fingerprint, "--role", role]
        assert run("--db", str(db), *argv) == 0
    return commune, hamlet


def test_the_import_says_in_vietnamese_what_became_of_each_file_and_how_many(  # type: ignore[no-untyped-def]
    stations, tmp_path, capsys
) -> None:
    # It printed "thon-1.nhao: applied", in English and without a count: the
    # commune official could not tell from it how many households came in.
    commune, hamlet = _trusted_pair(stations, tmp_path, capsys)
    _import_one_household(hamlet, tmp_path)
    bundle = tmp_path / "thon-1.nhao"
    assert run("--db", str(hamlet), "bundle", "export", str(bundle)) == 0
    said = {}
    for step, extra in (("dry", ["--dry-run"]), ("applied", []), ("again", [])):
        capsys.readouterr()
        assert run("--db", str(commune), "bundle", "import", str(bundle), *extra) == 0
        said[step] = capsys.readouterr().out
    for english in ("dry-run", "applied", "skipped"):
        assert english not in "".join(said.values())
    assert said["dry"].startswith("thon-1.nhao: Đã kiểm tra trước (chưa ghi)")
    assert said["applied"].startswith("thon-1.nhao: Đã nhập\n  Gửi từ: Thôn Nà Pàn (06112-")
    assert "Hộ gia đình: 1 mới, 0 cập nhật, 0 không đổi, 0 xung đột, 0 bị từ chối" in (
        said["applied"]
    )
    assert said["again"].startswith("thon-1.nhao: Đã nhập từ trước")


def test_export_after_the_laptop_was_restored_from_a_backup_says_so(  # type: ignore[no-untyped-def]
    stations, tmp_path, capsys
) -> None:
    # The new numbering started silently: the team leader whose laptop was put back
    # from an older copy was not told, though what was sent after that copy is no
    # longer on the laptop (it is at the commune).
    import shutil

    _, hamlet = stations
    backup = tmp_path / "sao-luu.sqlite"
    assert run("--db", str(hamlet), "bundle", "export", str(tmp_path / "1.nhao")) == 0
    shutil.copyfile(hamlet, backup)
    _import_one_household(hamlet, tmp_path)
    assert run("--db", str(hamlet), "bundle", "export", str(tmp_path / "2.nhao")) == 0
    shutil.copyfile(backup, hamlet)
    capsys.readouterr()
    assert run("--db", str(hamlet), "bundle", "export", str(tmp_path / "3.nhao")) == 0
    said = capsys.readouterr()
    assert "Đã xuất gói" in said.out
    assert "khôi phục từ bản sao lưu" in said.err and "đánh số" in said.err
    capsys.readouterr()
    assert run("--db", str(hamlet), "bundle", "export", str(tmp_path / "4.nhao")) == 0
    assert "khôi phục" not in capsys.readouterr().err  # said once, when it happened


def test_a_bundle_is_not_written_over_a_file_named_as_something_else(  # type: ignore[no-untyped-def]
    stations, tmp_path, capsys
) -> None:
    # `nhao bundle export danh-sach.xlsx` (meant: households export) replaced the
    # commune's spreadsheet with a bundle; the report of an import must be .xlsx, the
    # bundle could be named anything.
    commune, _ = stations
    sheet = tmp_path / "danh-sach.xlsx"
    sheet.write_bytes(b"the commune's list")
    capsys.readouterr()
    assert run("--db", str(commune), "bundle", "export", str(sheet)) == 2
    said = capsys.readouterr().err
    assert "danh-sach.xlsx" in said and ".nhao" in said
    assert sheet.read_bytes() == b"the commune's list"
    assert run("--db", str(commune), "bundle", "export", str(tmp_path / "Xa.NHAO")) == 0


def test_a_receipt_says_what_became_of_the_bundle_when_read(stations, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    # Reading it said only "Đã ghi nhận giấy báo nhận.": not which bundle, nor whether
    # the commune had taken it, so the team leader could not tell whether to resend.
    commune, hamlet = _trusted_pair(stations, tmp_path, capsys)
    bundle, receipt = tmp_path / "thon-1.nhao", tmp_path / "bao-nhan.nhaoack"
    assert run("--db", str(hamlet), "bundle", "export", str(bundle)) == 0
    assert run("--db", str(commune), "bundle", "import", str(bundle)) == 0
    capsys.readouterr()
    assert run("--db", str(commune), "bundle", "ack", str(bundle), str(receipt)) == 0
    assert "gửi" in capsys.readouterr().out  # what to do with it
    assert run("--db", str(hamlet), "bundle", "ack-import", str(receipt)) == 0
    said = capsys.readouterr().out
    assert "bao-nhan.nhaoack" in said and "thon-1.nhao" in said and "06112" in said
    assert "đã nhập" in said
    assert "Xã " in said and "đơn vị 06112" not in said  # named as people know it


def test_a_receipt_read_twice_says_it_was_read_already(stations, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    # Read again it said "đã ghi nhận … gói xuất sau sẽ gửi tiếp" and moved the next
    # export back to what the receipt saw.
    commune, hamlet = _trusted_pair(stations, tmp_path, capsys)
    bundle, receipt = tmp_path / "thon-1.nhao", tmp_path / "bao-nhan.nhaoack"
    assert run("--db", str(hamlet), "bundle", "export", str(bundle)) == 0
    assert run("--db", str(commune), "bundle", "import", str(bundle)) == 0
    assert run("--db", str(commune), "bundle", "ack", str(bundle), str(receipt)) == 0
    assert run("--db", str(hamlet), "bundle", "ack-import", str(receipt)) == 0
    capsys.readouterr()
    assert run("--db", str(hamlet), "bundle", "ack-import", str(receipt)) == 0
    said = capsys.readouterr().out
    assert "bao-nhan.nhaoack" in said and "đã được đọc" in said and "không thay đổi gì" in said


def test_possible_duplicates_say_where_they_are_reviewed(stations, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    # It said "Hộ nghi trùng cần xem lại: 1" and no more: nor which households, nor
    # where a person looks at them and marks them.
    commune, hamlet = _trusted_pair(stations, tmp_path, capsys)
    _import_one_household(hamlet, tmp_path)
    assert run("--db", str(commune), "hamlets", "add", "Thôn Khuổi Hẩu") == 0
    table = tmp_path / "xa.csv"  # the same man, listed at the commune under another hamlet
    table.write_text("Họ và tên chủ hộ,Năm sinh,Hộ nghèo\nNguyễn Văn An,1965,x\n", "utf-8")
    assert run("--db", str(commune), "households", "import", str(table),
               "--hamlet", "Thôn Khuổi Hẩu") == 0  # fmt: skip
    bundle = tmp_path / "thon-1.nhao"
    assert run("--db", str(hamlet), "bundle", "export", str(bundle)) == 0
    capsys.readouterr()
    assert run("--db", str(commune), "bundle", "import", str(bundle)) == 0
    said = capsys.readouterr().out
    assert "Hộ nghi trùng cần xem lại: 1" in said and "Đồng bộ › Có thể trùng" in said, said


def test_conflicts_say_which_value_stands_and_where_to_choose(stations, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    # "0 cập nhật, 0 không đổi, 1 xung đột": nor which value stood, nor where a person
    # chooses the other one.
    from dataclasses import replace

    from nhao.config import resolve_database
    from nhao.models.database import Database
    from nhao.services import households as hh
    from nhao.services import users

    commune, hamlet = _trusted_pair(stations, tmp_path, capsys)
    _import_one_household(hamlet, tmp_path)
    first, second = tmp_path / "thon-1.nhao", tmp_path / "thon-2.nhao"
    assert run("--db", str(hamlet), "bundle", "export", str(first)) == 0
    assert run("--db", str(commune), "bundle", "import", str(first)) == 0
    for path, user, phone in ((hamlet, "thon", "0911111111"), (commune, "xa", "0922222222")):
        db = Database(resolve_database(path))
        db.open()
        actor = users.authenticate(db, user, "matkhau")
        [view] = hh.list_households(db, actor, hh.HouseholdQuery())
        edit = replace(hh.get_household(db, actor, view.id).as_input(), phone=phone)
        hh.update_household(db, actor, view.id, edit)
        db.dispose()
    assert run("--db", str(hamlet), "bundle", "export", str(second)) == 0
    capsys.readouterr()
    assert run("--db", str(commune), "bundle", "import", str(second)) == 0
    said = capsys.readouterr().out
    assert "1 xung đột" in said and "Đồng bộ › Xung đột" in said, said


def test_an_export_that_could_not_be_sealed_says_so(stations, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    # The window says "Không niêm phong …"; the command line said nothing, and the
    # bundle, citizen IDs and all, went into the chat readable by anyone.
    commune, hamlet = stations
    capsys.readouterr()
    assert run("--db", str(hamlet), "bundle", "export", str(tmp_path / "1.nhao")) == 0
    said = capsys.readouterr().err
    assert "không niêm phong" in said.lower() and "06112" in said and "tin cậy" in said
    _trusted_pair(stations, tmp_path, capsys)
    capsys.readouterr()
    assert run("--db", str(hamlet), "bundle", "export", str(tmp_path / "2.nhao")) == 0
    assert "niêm phong" not in capsys.readouterr().err


def test_an_export_without_a_photo_file_names_it(stations, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    # The window names the photos left out (their file gone from the store); the
    # command line said nothing, and the commune got a record without its picture.
    from PIL import Image

    from nhao.config import resolve_database
    from nhao.domain.enums import Category
    from nhao.models.database import Database
    from nhao.services import attachments, units, users
    from nhao.services import households as hh

    _, hamlet = stations
    db = Database(resolve_database(hamlet))
    db.open()
    actor = users.authenticate(db, "thon", "matkhau")
    [hamlet_code] = [h.code for h in units.list_hamlets(db)]
    house = hh.create_household(db, actor, hh.HouseholdInput(
        hamlet_code=hamlet_code, head_name="Nguyễn Văn Ấn", categories=frozenset({Category.poor})
    ))  # fmt: skip
    picture = tmp_path / "Nhà ông Ấn.jpg"
    Image.new("RGB", (64, 48), (200, 90, 40)).save(picture, "JPEG")
    [kept] = attachments.add_attachments(db, actor, house.id, [picture])
    kept.path.unlink()
    db.dispose()
    capsys.readouterr()
    assert run("--db", str(hamlet), "bundle", "export", str(tmp_path / "1.nhao")) == 0
    said = capsys.readouterr().err
    assert "Nhà ông Ấn.jpg" in said and "--full" in said


def test_an_export_is_not_written_over_a_bundle_received_from_another_unit(  # type: ignore[no-untyped-def]
    stations, tmp_path, capsys
) -> None:
    commune, hamlet = stations
    assert run("--db", str(commune), "hamlets", "add", "Thôn Nà Pàn") == 0
    received = tmp_path / "goi.nhao"  # the hamlet's bundle, saved from the chat
    assert run("--db", str(hamlet), "bundle", "export", str(received), "--to", "06112") == 0
    sent = received.read_bytes()
    capsys.readouterr()
    assert run("--db", str(commune), "bundle", "export", str(received)) == 1
    said = capsys.readouterr().err
    assert "goi.nhao là gói Thôn Nà Pàn (06112-" in said and "Hãy đặt tên khác" in said
    assert received.read_bytes() == sent
    # The station's own earlier bundle is written over, as a daily export to one name is.
    assert run("--db", str(hamlet), "bundle", "export", str(received), "--to", "06112") == 0
    assert received.read_bytes() != sent


def test_an_export_is_not_written_over_a_bundle_from_another_computer_of_the_unit(  # type: ignore[no-untyped-def]
    stations, tmp_path, capsys
) -> None:
    # The office and the accountant's laptop of one commune exchange bundles: the
    # laptop's, saved from the chat, is of the office's own unit but not its own bundle.
    commune, _hamlet = stations
    laptop = tmp_path / "ketoan.sqlite"
    assert run("--db", str(laptop), "init", "--unit", "06112", "--admin", "ketoan") == 0
    received = tmp_path / "goi.nhao"
    assert run("--db", str(laptop), "bundle", "export", str(received), "--to", "06112") == 0
    sent = received.read_bytes()
    capsys.readouterr()
    assert run("--db", str(commune), "bundle", "export", str(received)) == 1
    said = capsys.readouterr().err
    assert "một máy khác của" in said and "Hãy đặt tên khác" in said
    assert received.read_bytes() == sent
    # The office's own bundle of that name is written over, as before.
    mine = tmp_path / "cua-xa.nhao"
    assert run("--db", str(commune), "bundle", "export", str(mine)) == 0
    first = mine.read_bytes()
    assert run("--db", str(commune), "bundle", "export", str(mine)) == 0
    assert mine.read_bytes() != first


def test_a_damaged_file_in_the_export_s_place_is_written_over(  # type: ignore[no-untyped-def]
    stations, tmp_path
) -> None:
    # A received bundle spoiled on its way is no bundle to keep; reading it to see whose
    # it was must not stop the export with a stack trace.
    import zipfile

    commune, _hamlet = stations
    damaged = tmp_path / "goi.nhao"
    with zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", b'{"producer": {"unit": "06112-01"}}' * 50)
    data = bytearray(damaged.read_bytes())
    start = 30 + len("manifest.json")
    data[start : start + 8] = b"\xff" * 8
    damaged.write_bytes(bytes(data))
    assert run("--db", str(commune), "bundle", "export", str(damaged)) == 0
    assert zipfile.ZipFile(damaged).read("manifest.json") != b""


def test_a_wildcard_names_every_bundle_it_matches_as_on_windows(
    stations, tmp_path, capsys
) -> None:
    """Neither cmd nor PowerShell expands `D:\\goi\\*.nhao` for a program as a Linux shell
    does: nhao gets the pattern as typed, and takes it for the files it matches."""
    commune, hamlet = stations
    capsys.readouterr()
    assert run("--db", str(hamlet), "keys", "show") == 0
    fingerprint = capsys.readouterr().out.split("Mã nhận dạng:")[1].strip()
    key_file = tmp_path / "thon.nhaokey"
    assert run("--db", str(hamlet), "keys", "export", str(key_file)) == 0
    assert run("--db", str(commune), "keys", "trust", str(key_file),
               "--fingerprint", fingerprint, "--role", "child") == 0  # fmt: skip
    assert "\nĐã tin cậy khóa " in capsys.readouterr().out
    assert run("--db", str(commune), "keys", "trust", str(key_file),
               "--fingerprint", fingerprint, "--role", "child") == 0  # fmt: skip
    assert "đã được tin cậy từ trước" in capsys.readouterr().out  # not "trusted" anew
    folder = tmp_path / "goi [thon]"  # brackets are letters on Windows, not a pattern
    folder.mkdir()
    assert run("--db", str(hamlet), "bundle", "export", str(folder / "thon-1.nhao")) == 0
    assert run("--db", str(hamlet), "bundle", "export", str(folder / "thon-2.nhao"), "--full") == 0
    capsys.readouterr()
    assert run("--db", str(commune), "bundle", "import", str(folder / "*.nhao"), "--json") == 0
    reports = json.loads(capsys.readouterr().out)
    assert [(r["file"], r["status"]) for r in reports] == [
        ("thon-1.nhao", "applied"), ("thon-2.nhao", "skipped")  # nothing new in the second
    ]
    assert run("--db", str(commune), "bundle", "import", str(folder / "*.xlsx")) == 1
    said = capsys.readouterr().out
    assert "Không có tệp nào trong thư mục đó khớp với mẫu *.xlsx." in said  # not "deleted?"


def test_keys_list_shows_the_trusted_keys_and_revoking_a_replaced_one_warns(
    stations, tmp_path, capsys
) -> None:
    """A commune told that a hamlet laptop was stolen revokes the key on its paper
    certificate; the laptop rotated since, so the key it signs with now stays trusted.
    `keys list` shows which key is in use, and the revocation says so."""
    commune, hamlet = stations
    key_file = tmp_path / "thon.nhaokey"
    assert run("--db", str(hamlet), "keys", "export", str(key_file)) == 0
    first = json.loads(key_file.read_text())
    assert run("--db", str(commune), "keys", "trust", str(key_file),
               "--fingerprint", first["fingerprint"], "--role", "child") == 0  # fmt: skip
    assert run("--db", str(hamlet), "keys", "rotate") == 0
    bundle = tmp_path / "b.nhao"
    assert run("--db", str(hamlet), "bundle", "export", str(bundle), "--to", "06112") == 0
    assert run("--db", str(commune), "bundle", "import", str(bundle)) == 0
    assert run("--db", str(hamlet), "keys", "export", str(key_file)) == 0
    current = json.loads(key_file.read_text())["key_id"]
    capsys.readouterr()
    assert run("--db", str(commune), "keys", "list") == 0
    listed = capsys.readouterr().out
    assert first["key_id"] in listed and current in listed
    assert f"thay bằng khóa {current}" in listed, listed
    assert run("--db", str(commune), "keys", "revoke", first["key_id"], "--reason", "mất máy") == 0
    said = capsys.readouterr().out
    assert f"nhao keys revoke {current}" in said, said


def test_revoking_from_a_day_gone_by_says_what_was_taken_in_since(
    stations, tmp_path, capsys
) -> None:  # type: ignore[no-untyped-def]
    """The laptop went missing before the commune heard of it: what came in from it
    since that day is said, to be looked at again."""
    commune, hamlet = _trusted_pair(stations, tmp_path, capsys)
    bundle = tmp_path / "truoc.nhao"
    assert run("--db", str(hamlet), "bundle", "export", str(bundle), "--to", "06112") == 0
    assert run("--db", str(commune), "bundle", "import", str(bundle)) == 0
    capsys.readouterr()
    key = json.loads((tmp_path / f"{hamlet.stem}.nhaokey").read_text())["key_id"]
    assert run("--db", str(commune), "keys", "revoke", key, "--from", "01/01/2026") == 0
    said = capsys.readouterr().out
    assert "Lưu ý: máy này đã nhận" in said and "từ 01/01/2026 00:00" in said, said
    # The hamlet learns from the receipt why its next bundle was refused.
    _import_one_household(hamlet, tmp_path)
    after = tmp_path / "sau.nhao"
    assert run("--db", str(hamlet), "bundle", "export", str(after), "--to", "06112") == 0
    assert run("--db", str(commune), "bundle", "import", str(after)) == 1
    receipt = tmp_path / "sau.nhaoack"
    assert run("--db", str(commune), "bundle", "ack", str(after), str(receipt)) == 0
    capsys.readouterr()
    assert run("--db", str(hamlet), "bundle", "ack-import", str(receipt)) == 0
    said = capsys.readouterr().out
    assert "đã từ chối gói sau.nhao" in said and "Lý do nơi nhận ghi: " in said, said
    assert "thu hồi" in said.split("Lý do nơi nhận ghi: ")[1], said


def test_a_read_receipt_names_the_changes_the_commune_would_not_take(
    stations, tmp_path, capsys
) -> None:  # type: ignore[no-untyped-def]
    """The hamlet deleted a household whose case the commune had approved meanwhile:
    the commune keeps it, and the hamlet reads so from the receipt."""
    from datetime import date

    from nhao.config import resolve_database
    from nhao.domain.enums import CaseStatus, FundSource, SupportKind
    from nhao.models.database import Database
    from nhao.services import cases, units, users
    from nhao.services import households as hh

    commune, hamlet = _trusted_pair(stations, tmp_path, capsys)

    def acting(path: Path, username: str):  # type: ignore[no-untyped-def]
        db = Database(resolve_database(path))
        db.open()
        return db, users.authenticate(db, username, "matkhau")

    db, actor = acting(hamlet, "thon")
    [hamlet_code] = [h.code for h in units.list_hamlets(db)]
    house = hh.create_household(db, actor, hh.HouseholdInput(hamlet_code, "Nguyễn Văn Ấn"))
    case = cases.propose_case(db, actor, house.id, SupportKind.new_build, 2026)
    db.dispose()
    first = tmp_path / "1.nhao"
    assert run("--db", str(hamlet), "bundle", "export", str(first)) == 0
    assert run("--db", str(commune), "bundle", "import", str(first)) == 0
    db, actor = acting(commune, "xa")
    today = date.today()
    cases.transition(db, actor, case.id, CaseStatus.reviewed, on=today)
    cases.transition(db, actor, case.id, CaseStatus.approved, on=today, decision_no="7/QĐ-UBND",
                     decision_date=today,
                     support={FundSource.state_budget: 40_000_000})  # fmt: skip
    db.dispose()
    db, actor = acting(hamlet, "thon")
    cases.transition(db, actor, case.id, CaseStatus.cancelled, on=today, reason="Tự làm")
    hh.delete_household(db, actor, house.id, "Chuyển đi nơi khác")
    db.dispose()
    second = tmp_path / "2.nhao"
    assert run("--db", str(hamlet), "bundle", "export", str(second)) == 0
    assert run("--db", str(commune), "bundle", "import", str(second)) == 0
    receipt = tmp_path / "2.nhaoack"
    assert run("--db", str(commune), "bundle", "ack", str(second), str(receipt)) == 0
    capsys.readouterr()
    assert run("--db", str(hamlet), "bundle", "ack-import", str(receipt)) == 0
    said = capsys.readouterr().out
    assert "Nơi nhận không nhận 3 thay đổi trong gói:" in said, said
    [deletion] = [line for line in said.splitlines() if "xóa hộ" in line]
    assert deletion.startswith("  • Hộ Nguyễn Văn Ấn") and "“đã phê duyệt”" in deletion


def test_a_bundle_down_goes_to_a_hamlet_named_as_people_write_it(  # type: ignore[no-untyped-def]
    stations, tmp_path, capsys
) -> None:
    """A hamlet has no official code to type: `--to` takes its name as an imported list
    does (case and diacritics aside); a name the commune does not have lists those it has."""
    commune, hamlet = _trusted_pair(stations, tmp_path, capsys)
    up = tmp_path / "len.nhao"
    assert run("--db", str(hamlet), "bundle", "export", str(up), "--to", "06112") == 0
    assert run("--db", str(commune), "bundle", "import", str(up)) == 0
    capsys.readouterr()
    down = tmp_path / "xuong.nhao"
    assert run("--db", str(commune), "bundle", "export", str(down), "--to", "thon na pan") == 0
    with zipfile.ZipFile(down) as zf:
        recipient = json.loads(zf.read("manifest.json"))["recipient"]
    assert recipient.startswith("06112-")
    assert run("--db", str(hamlet), "bundle", "import", str(down)) == 0
    capsys.readouterr()
    assert run("--db", str(commune), "bundle", "export", str(down), "--to", "Thôn Khác") == 1
    err = capsys.readouterr().err
    assert "“Thôn Khác”" in err and "Thôn Nà Pàn" in err


def test_a_check_of_a_bundle_with_nothing_new_says_so(stations, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """The commune's first bundle down has nothing for the laptop yet: checked first, it
    says so, as the window does, not only "checked (nothing written)"."""
    commune, hamlet = _trusted_pair(stations, tmp_path, capsys)
    up, down = tmp_path / "len.nhao", tmp_path / "xuong.nhao"
    assert run("--db", str(hamlet), "bundle", "export", str(up)) == 0
    assert run("--db", str(commune), "bundle", "import", str(up)) == 0
    assert run("--db", str(commune), "bundle", "export", str(down), "--to", "Thôn Nà Pàn") == 0
    capsys.readouterr()
    assert run("--db", str(hamlet), "bundle", "import", str(down), "--dry-run") == 0
    assert "Đã kiểm tra trước: không có gì mới cho máy này" in capsys.readouterr().out


def _province_trusting(commune: Path, tmp_path: Path, capsys, role: str = "child") -> Path:  # type: ignore[no-untyped-def]
    """A province office set up, trusting the commune's key (no bundle of it yet), or
    (role "parent") trusted by the commune."""
    province = tmp_path / "tinh.sqlite"
    assert run("--db", str(province), "init", "--unit", "20", "--admin", "tinh") == 0
    at, other = (province, commune) if role == "child" else (commune, province)
    key_file = tmp_path / f"{other.stem}.nhaokey"
    assert run("--db", str(other), "keys", "export", str(key_file)) == 0
    fingerprint = _fingerprint(other, capsys)
    argv = ["keys", "trust", str(key_file), "--fingerprint", fingerprint, "--role", role]
    assert run("--db", str(at), *argv) == 0
    capsys.readouterr()
    return province


def test_a_bundle_down_to_a_commune_known_by_its_key_alone(  # type: ignore[no-untyped-def]
    stations, tmp_path, capsys
) -> None:
    """A province trusts a commune's key before any bundle of it came in: no row of the
    commune yet, and `--to` takes its code all the same (the trusted key names the
    unit), not "the commune has no hamlet 06112"."""
    province = _province_trusting(stations[0], tmp_path, capsys)
    down = tmp_path / "xuong.nhao"
    assert run("--db", str(province), "bundle", "export", str(down), "--to", "06112") == 0, (
        capsys.readouterr().err
    )
    with zipfile.ZipFile(down) as zf:
        assert json.loads(zf.read("manifest.json"))["recipient"] == "06112"


def test_a_bundle_down_to_a_commune_named_or_mistyped_at_the_province(  # type: ignore[no-untyped-def]
    stations, tmp_path, capsys
) -> None:
    """At the province `--to "Xã Bình Gia"`, or a code mistyped, said only "this
    computer is not a commune's, so it has no hamlets": not what to type."""
    province = _province_trusting(stations[0], tmp_path, capsys)
    down = tmp_path / "xuong.nhao"
    assert run("--db", str(province), "bundle", "export", str(down), "--to", "06113") == 1
    said = capsys.readouterr().err
    assert "“06113”" in said and "Xã Bình Gia (--to 06112)" in said, said
    assert not down.exists()
    assert run("--db", str(province), "bundle", "export", str(down), "--to", "xa binh gia") == 0
    with zipfile.ZipFile(down) as zf:
        assert json.loads(zf.read("manifest.json"))["recipient"] == "06112"


def test_a_bundle_up_to_the_province_named_at_the_commune(  # type: ignore[no-untyped-def]
    stations, tmp_path, capsys
) -> None:
    """At the commune `--to "Tỉnh Lạng Sơn"` said the commune had no such hamlet."""
    commune, _ = stations
    _province_trusting(commune, tmp_path, capsys, role="parent")
    up = tmp_path / "len.nhao"
    assert run("--db", str(commune), "bundle", "export", str(up), "--to", "Tỉnh Lạng Sơn") == 0
    with zipfile.ZipFile(up) as zf:
        assert json.loads(zf.read("manifest.json"))["recipient"] == "20"
    capsys.readouterr()
    assert run("--db", str(commune), "bundle", "export", str(up), "--to", "Lạng Sơ") == 1
    said = capsys.readouterr().err
    assert "Tỉnh Lạng Sơn (--to 20)" in said and "thôn, xóm" in said, said


def test_a_commune_whose_name_begins_like_a_level_word_is_named_without_its_level(  # type: ignore[no-untyped-def]
    stations, tmp_path, capsys
) -> None:
    """The level word is optional in `--to`, but "Tịnh Khê" (Quảng Ngãi) was refused:
    the "Tịnh" folded to the province's word "tinh" and was dropped from what was typed
    alone, leaving "khê", no commune's name; and a commune named "Xã Khê" would have
    been picked instead."""
    province, commune = tmp_path / "quang-ngai.sqlite", tmp_path / "tinh-khe.sqlite"
    assert run("--db", str(province), "init", "--unit", "51", "--admin", "tinh") == 0
    assert run("--db", str(commune), "init", "--unit", "21211", "--admin", "xa") == 0
    key_file = tmp_path / "tinh-khe.nhaokey"
    assert run("--db", str(commune), "keys", "export", str(key_file)) == 0
    fingerprint = _fingerprint(commune, capsys)
    argv = ["keys", "trust", str(key_file), "--fingerprint", fingerprint, "--role", "child"]
    assert run("--db", str(province), *argv) == 0
    down = tmp_path / "xuong.nhao"
    for typed in ("Tịnh Khê", "Xã Tịnh Khê", "tinh khe"):
        capsys.readouterr()
        assert run("--db", str(province), "bundle", "export", str(down), "--to", typed) == 0, (
            typed, capsys.readouterr().err
        )
        with zipfile.ZipFile(down) as zf:
            assert json.loads(zf.read("manifest.json"))["recipient"] == "21211"
        down.unlink()


def test_two_communes_whose_names_differ_by_a_mark_are_told_apart(  # type: ignore[no-untyped-def]
    stations, tmp_path, capsys
) -> None:
    """Quảng Ngãi has a "Xã Sơn Hà" and a "Xã Sơn Hạ": both fold to "son ha", so at the
    province `--to "Xã Sơn Hà"`, typed as it is written, was refused as "Không có đơn
    vị nhận", though the province sends to it."""
    province = tmp_path / "quang-ngai.sqlite"
    assert run("--db", str(province), "init", "--unit", "51", "--admin", "tinh") == 0
    for code in ("21289", "21292"):  # Xã Sơn Hà, Xã Sơn Hạ
        commune = tmp_path / f"{code}.sqlite"
        assert run("--db", str(commune), "init", "--unit", code, "--admin", "xa") == 0
        key_file = tmp_path / f"{code}.nhaokey"
        assert run("--db", str(commune), "keys", "export", str(key_file)) == 0
        fingerprint = _fingerprint(commune, capsys)
        argv = ["keys", "trust", str(key_file), "--fingerprint", fingerprint, "--role", "child"]
        assert run("--db", str(province), *argv) == 0
    down = tmp_path / "xuong.nhao"
    for typed, code in (("Xã Sơn Hà", "21289"), ("Sơn Hạ", "21292"), ("sơn hà", "21289")):
        capsys.readouterr()
        assert run("--db", str(province), "bundle", "export", str(down), "--to", typed) == 0, (
            typed, capsys.readouterr().err
        )
        with zipfile.ZipFile(down) as zf:
            assert json.loads(zf.read("manifest.json"))["recipient"] == code
        down.unlink()
    # Without the marks, either: both are named, not "none".
    capsys.readouterr()
    assert run("--db", str(province), "bundle", "export", str(down), "--to", "son ha") == 1
    said = capsys.readouterr().err
    assert "Không có" not in said and "Xã Sơn Hà (--to 21289)" in said, said
    assert "Xã Sơn Hạ (--to 21292)" in said and not down.exists(), said


def test_a_hamlet_named_as_the_province_is_not_taken_for_it(  # type: ignore[no-untyped-def]
    stations, tmp_path, capsys
) -> None:
    """At a commune with a "Thôn Lạng Sơn", `--to "Lạng Sơn"` found that hamlet until
    the province's name was looked for first: the bundle went up, sealed to the
    province, with nothing said. Either may be meant: both are named, nothing written."""
    commune, _ = stations
    _province_trusting(commune, tmp_path, capsys, role="parent")
    assert run("--db", str(commune), "hamlets", "add", "Thôn Lạng Sơn") == 0
    up = tmp_path / "len.nhao"
    capsys.readouterr()
    assert run("--db", str(commune), "bundle", "export", str(up), "--to", "Lạng Sơn") == 1
    said = capsys.readouterr().err
    assert "Tỉnh Lạng Sơn (--to 20)" in said and "Thôn Lạng Sơn (--to 06112-" in said, said
    assert not up.exists()
    for typed, recipient in (("Tỉnh Lạng Sơn", "20"), ("Thôn Lạng Sơn", "06112-")):
        assert run("--db", str(commune), "bundle", "export", str(up), "--to", typed) == 0
        with zipfile.ZipFile(up) as zf:
            assert json.loads(zf.read("manifest.json"))["recipient"].startswith(recipient)
        up.unlink()


def test_a_receipt_is_not_written_over_a_bundle_or_a_list(  # type: ignore[no-untyped-def]
    stations, tmp_path, capsys
) -> None:
    # `nhao bundle ack thon-1.nhao thon-2.nhao` (the next file on the USB stick, not
    # imported yet) replaced that bundle with the receipt, and `… danh-sach.xlsx` the
    # commune's list: export refuses both, the receipt wrote over anything.
    commune, hamlet = _trusted_pair(stations, tmp_path, capsys)
    first, second = _two_bundles(hamlet, tmp_path)
    assert run("--db", str(commune), "bundle", "import", str(first)) == 0
    sheet = tmp_path / "danh-sach.xlsx"
    sheet.write_bytes(b"the commune's list")
    kept = second.read_bytes()
    for over in (second, sheet):
        capsys.readouterr()
        assert run("--db", str(commune), "bundle", "ack", str(first), str(over)) == 1
        said = capsys.readouterr().err
        assert over.name in said and "thon-1.nhaoack" in said, said
    assert second.read_bytes() == kept and sheet.read_bytes() == b"the commune's list"
    # A receipt written again over the receipt of before is what it is for.
    receipt = tmp_path / "thon-1.nhaoack"
    assert run("--db", str(commune), "bundle", "ack", str(first), str(receipt)) == 0
    assert run("--db", str(commune), "bundle", "ack", str(first), str(receipt)) == 0
    assert run("--db", str(commune), "bundle", "import", str(second)) == 0


def test_a_bundle_given_to_ack_import_is_named_as_a_bundle(  # type: ignore[no-untyped-def]
    stations, tmp_path, capsys
) -> None:
    # `bundle import` of a receipt says "this is a receipt: use ack-import"; the other
    # way round said only "unreadable or in the wrong format".
    commune, hamlet = _trusted_pair(stations, tmp_path, capsys)
    up, down = tmp_path / "len.nhao", tmp_path / "xuong.nhao"
    assert run("--db", str(hamlet), "bundle", "export", str(up)) == 0
    assert run("--db", str(commune), "bundle", "import", str(up)) == 0
    assert run("--db", str(commune), "bundle", "export", str(down), "--to", "Thôn Nà Pàn") == 0
    capsys.readouterr()
    assert run("--db", str(hamlet), "bundle", "ack-import", str(down)) == 1
    said = capsys.readouterr().err
    assert "xuong.nhao" in said and "nhao bundle import" in said, said


def test_a_dry_run_of_bundles_waiting_for_one_another_says_they_go_in_together(  # type: ignore[no-untyped-def]
    stations, tmp_path, capsys
) -> None:
    # `bundle import thon-1.nhao thon-2.nhao --dry-run` said thon-2 waited for a missing
    # bundle, "if it is lost, ask for a full bundle", though thon-1 was given with it and
    # the import takes both (the window says each file is checked on its own).
    commune, hamlet = _trusted_pair(stations, tmp_path, capsys)
    first, second = _two_bundles(hamlet, tmp_path)
    capsys.readouterr()
    report = tmp_path / "kiem-tra.xlsx"
    assert run("--db", str(commune), "bundle", "import", str(first), str(second),
               "--dry-run", "--report", str(report)) == 0  # fmt: skip
    said = capsys.readouterr().out
    assert "thon-2.nhao: Gói chờ" in said, said
    assert "Mỗi tệp được kiểm tra riêng" in said and "ngay sau gói thon-1.nhao" in said, said
    # The report kept to show the commune's chairman says it as well.
    import openpyxl

    cells = [str(c) for row in openpyxl.load_workbook(report).active.iter_rows(values_only=True)
             for c in row if c]  # fmt: skip
    assert cells[0] == "KẾT QUẢ KIỂM TRA GÓI DỮ LIỆU (CHƯA GHI)"
    assert any("ngay sau gói thon-1.nhao" in c for c in cells), cells
    # A check of the second alone: it waits, and the heading still says nothing was written.
    assert run("--db", str(commune), "bundle", "import", str(second), "--dry-run",
               "--report", str(report)) == 0  # fmt: skip
    cells = [str(c) for row in openpyxl.load_workbook(report).active.iter_rows(values_only=True)
             for c in row if c]  # fmt: skip
    assert cells[0] == "KẾT QUẢ KIỂM TRA GÓI DỮ LIỆU (CHƯA GHI)"
    assert not any("ngay sau gói" in c for c in cells)
    # Alone, it does wait for a bundle not given.
    capsys.readouterr()
    assert run("--db", str(commune), "bundle", "import", str(second), "--dry-run") == 0
    assert "Mỗi tệp được kiểm tra riêng" not in capsys.readouterr().out
    assert run("--db", str(commune), "bundle", "import", str(first), str(second)) == 0
    assert "Mỗi tệp được kiểm tra riêng" not in capsys.readouterr().out


def test_trust_without_a_role_takes_the_one_the_units_say(  # type: ignore[no-untyped-def]
    stations, tmp_path, capsys
) -> None:
    # README step 2 at the hamlet: `keys trust xa.nhaokey --fingerprint …` without
    # --role took "child" and was refused ("the commune is above this hamlet"); the
    # window chooses the unit above for it.
    commune, hamlet = stations
    key_file = tmp_path / "xa.nhaokey"
    assert run("--db", str(commune), "keys", "export", str(key_file)) == 0
    commune_print = _fingerprint(commune, capsys).replace(" ", "").lower()
    assert run("--db", str(hamlet), "keys", "trust", str(key_file),
               "--fingerprint", commune_print) == 0  # fmt: skip
    assert "cấp trên" in capsys.readouterr().out
    assert run("--db", str(hamlet), "keys", "list") == 0
    assert "Xã Bình Gia (06112), cấp trên" in capsys.readouterr().out
    key_file = tmp_path / "thon.nhaokey"
    assert run("--db", str(hamlet), "keys", "export", str(key_file)) == 0
    fingerprint = _fingerprint(hamlet, capsys)
    assert run("--db", str(commune), "keys", "trust", str(key_file),
               "--fingerprint", fingerprint) == 0  # fmt: skip
    assert "cấp dưới" in capsys.readouterr().out
    # Said the wrong way round, it is refused with what to type instead.
    province = tmp_path / "tinh.sqlite"
    assert run("--db", str(province), "init", "--unit", "20", "--admin", "tinh") == 0
    capsys.readouterr()
    assert run("--db", str(province), "keys", "trust", str(tmp_path / "xa.nhaokey"),
               "--fingerprint", commune_print, "--role", "parent") == 1  # fmt: skip
    assert "--role child" in capsys.readouterr().err


def test_a_bundle_sealed_to_the_hamlet_s_other_laptop_says_what_to_do(  # type: ignore[no-untyped-def]
    stations, tmp_path, capsys
) -> None:
    # The hamlet's second laptop, given the commune's bundle down sealed to the first
    # one, said only "sealed to another computer (key …); this one cannot open it".
    commune, hamlet = _trusted_pair(stations, tmp_path, capsys)
    second = tmp_path / "thon-2.sqlite"
    assert run("--db", str(second), "init", "--unit", "06112", "--hamlet", "Thôn Nà Pàn",
               "--admin", "thon2") == 0  # fmt: skip
    commune_print = _fingerprint(commune, capsys)
    assert run("--db", str(second), "keys", "trust", str(tmp_path / "xa.nhaokey"),
               "--fingerprint", commune_print, "--role", "parent") == 0  # fmt: skip
    up, down = tmp_path / "len.nhao", tmp_path / "xuong.nhao"
    assert run("--db", str(hamlet), "bundle", "export", str(up)) == 0
    assert run("--db", str(commune), "bundle", "import", str(up)) == 0
    assert run("--db", str(commune), "bundle", "export", str(down), "--to", "Thôn Nà Pàn") == 0
    capsys.readouterr()
    assert run("--db", str(second), "bundle", "import", str(down)) == 1
    said = capsys.readouterr().out
    assert "niêm phong cho máy khác" in said and "nhao keys export" in said, said
    assert "Xã Bình Gia (06112)" in said and "xuất lại" in said, said
    # At the province the bundle down to the hamlet names where it goes.
    province = tmp_path / "tinh.sqlite"
    assert run("--db", str(province), "init", "--unit", "20", "--admin", "tinh") == 0
    argv = ["--fingerprint", commune_print, "--role", "child"]
    assert run("--db", str(province), "keys", "trust", str(tmp_path / "xa.nhaokey"), *argv) == 0
    capsys.readouterr()
    assert run("--db", str(province), "bundle", "import", str(down)) == 1
    said = capsys.readouterr().out
    assert "hãy chuyển gói cho" in said and "06112-68ebdbb1" in said, said


def test_a_hamlet_laptop_makes_no_other_hamlet_that_would_block_its_bundles(  # type: ignore[no-untyped-def]
    stations, tmp_path, capsys
) -> None:
    # On the hamlet's laptop (its team leader is its administrator), `households import
    # --create-hamlets` of the commune's list made "Thôn Pác Bó" with its households, and
    # `hamlets add` another hamlet: records outside the hamlet, which the commune refuses,
    # so every bundle of the laptop from then on was refused whole.
    commune, hamlet = _trusted_pair(stations, tmp_path, capsys)
    table = tmp_path / "ds.csv"
    table.write_text(
        "Họ và tên chủ hộ,Năm sinh,Thôn,Hộ nghèo\n"
        "Nguyễn Văn An,1965,Thôn Nà Pàn,x\nLò Văn Bình,1970,Thôn Pác Bó,x\n",
        "utf-8",
    )
    capsys.readouterr()
    assert run("--db", str(hamlet), "hamlets", "add", "Thôn Mới") == 1
    assert "Thôn Nà Pàn" in capsys.readouterr().err
    # Nor renames its own: names are the commune's, which would refuse the rename.
    assert run("--db", str(hamlet), "hamlets", "rename", "Nà Pàn", "Thôn Nà Pàn Trên") == 1
    assert "tên thôn, xóm do văn phòng xã đặt" in capsys.readouterr().err
    assert run("--db", str(hamlet), "households", "import", str(table), "--create-hamlets") == 1
    capsys.readouterr()
    assert run("--db", str(hamlet), "households", "import", str(table)) == 0
    said = capsys.readouterr().out
    [row] = [line for line in said.splitlines() if "Pác Bó" in line]
    assert "tạo thôn mới" not in row and "Thôn Nà Pàn" in row, said
    assert run("--db", str(hamlet), "hamlets", "list") == 0
    assert "Pác Bó" not in capsys.readouterr().out and "Mới" not in capsys.readouterr().out
    bundle = tmp_path / "thon.nhao"
    assert run("--db", str(hamlet), "bundle", "export", str(bundle)) == 0
    capsys.readouterr()
    assert run("--db", str(commune), "bundle", "import", str(bundle)) == 0, capsys.readouterr()


def test_a_receipt_after_a_lost_bundle_gets_its_changes_sent_again(  # type: ignore[no-untyped-def]
    stations, tmp_path, capsys
) -> None:
    # The commune's bundle to the province carrying the hamlet's households was lost on
    # the way; its next bundle carried only the commune's own changes, in sequence, so
    # the province saw no gap, and the receipt of it spoke only of those. The hamlet's
    # households never reached the province, and nobody was told.
    commune, hamlet = _trusted_pair(stations, tmp_path, capsys)
    province = tmp_path / "tinh.sqlite"
    assert run("--db", str(province), "init", "--unit", "20", "--admin", "tinh") == 0
    for db, other, role in ((province, commune, "child"), (commune, province, "parent")):
        key_file = tmp_path / f"{other.stem}.nhaokey"
        assert run("--db", str(other), "keys", "export", str(key_file)) == 0
        argv = ["--fingerprint", _fingerprint(other, capsys), "--role", role]
        assert run("--db", str(db), "keys", "trust", str(key_file), *argv) == 0
    first = tmp_path / "xa-1.nhao"
    assert run("--db", str(commune), "bundle", "export", str(first)) == 0
    assert run("--db", str(province), "bundle", "import", str(first)) == 0
    table = tmp_path / "ho.csv"
    table.write_text("Họ và tên chủ hộ,Năm sinh,Hộ nghèo\nNguyễn Văn An,1965,x\n", "utf-8")
    assert run("--db", str(hamlet), "households", "import", str(table)) == 0
    up = tmp_path / "thon-1.nhao"
    assert run("--db", str(hamlet), "bundle", "export", str(up)) == 0
    assert run("--db", str(commune), "bundle", "import", str(up)) == 0
    lost = tmp_path / "xa-2.nhao"
    assert run("--db", str(commune), "bundle", "export", str(lost)) == 0
    lost.unlink()  # the chat never delivered it
    assert run("--db", str(commune), "hamlets", "add", "Thôn Mới") == 0
    third = tmp_path / "xa-3.nhao"
    assert run("--db", str(commune), "bundle", "export", str(third)) == 0
    assert run("--db", str(province), "bundle", "import", str(third)) == 0
    receipt = tmp_path / "xa-3.nhaoack"
    assert run("--db", str(province), "bundle", "ack", str(third), str(receipt)) == 0
    capsys.readouterr()
    assert run("--db", str(commune), "bundle", "ack-import", str(receipt)) == 0
    assert "gửi lại" in capsys.readouterr().out
    fourth = tmp_path / "xa-4.nhao"
    assert run("--db", str(commune), "bundle", "export", str(fourth)) == 0
    assert run("--db", str(province), "bundle", "import", str(fourth)) == 0
    capsys.readouterr()
    assert run("--db", str(province), "households", "export", str(tmp_path / "tinh.xlsx")) == 0
    assert "Đã xuất 1 hộ" in capsys.readouterr().out


def test_a_bundle_made_for_another_unit_says_to_carry_it_there(  # type: ignore[no-untyped-def]
    stations, tmp_path, capsys
) -> None:
    # The commune's bundle up to the province, given to the hamlet's laptop, said only
    # "ask the sender to export again choosing this hamlet": not that the file was
    # the province's, to be carried there.
    commune, hamlet = _trusted_pair(stations, tmp_path, capsys)
    up = tmp_path / "xa-len-tinh.nhao"
    assert run("--db", str(commune), "bundle", "export", str(up)) == 0
    capsys.readouterr()
    assert run("--db", str(hamlet), "bundle", "import", str(up)) == 1
    said = capsys.readouterr().out
    assert "hãy chuyển gói cho Tỉnh Lạng Sơn (20)" in said, said
    assert "xuất lại gói" in said, said  # or it was meant for here, sent the wrong way


def test_a_hamlet_laptop_sending_to_another_hamlet_is_told_it_sends_only_to_its_commune(
    stations, tmp_path, capsys
) -> None:
    """It said the commune had no such hamlet, listing its own as the commune's only one."""
    _, hamlet = stations
    capsys.readouterr()
    out = tmp_path / "goi.nhao"
    assert run("--db", str(hamlet), "bundle", "export", str(out), "--to", "Khuổi Khỉn") == 1
    said = capsys.readouterr().err
    assert "Máy này là máy của Thôn Nà Pàn: gói chỉ gửi lên" in said and "(--to 06112)" in said
    assert "Xã không có thôn" not in said
    assert not out.exists()


def test_no_receipt_is_written_at_the_sender_for_its_own_bundle(  # type: ignore[no-untyped-def]
    stations, tmp_path, capsys
) -> None:
    # `bundle ack` on the hamlet laptop for the bundle it made wrote a receipt that,
    # read there, said the commune had it all.
    _, hamlet = _trusted_pair(stations, tmp_path, capsys)
    sent = tmp_path / "thon-1.nhao"
    assert run("--db", str(hamlet), "bundle", "export", str(sent)) == 0
    capsys.readouterr()
    receipt = tmp_path / "thon-1.nhaoack"
    assert run("--db", str(hamlet), "bundle", "ack", str(sent), str(receipt)) == 1
    assert "là gói máy này xuất ra" in capsys.readouterr().err
    assert not receipt.exists()


def test_revoke_takes_the_fingerprint_and_says_a_key_revoked_before_keeps_its_day(
    stations, tmp_path, capsys
) -> None:
    """The commune holds the hamlet's signed certificate, not its key id: the fingerprint
    on it was "no such key". Revoked a second time, it said "Đã thu hồi" as if anew,
    while the first day stands."""
    commune, hamlet = stations
    key_file = tmp_path / "thon.nhaokey"
    assert run("--db", str(hamlet), "keys", "export", str(key_file)) == 0
    key = json.loads(key_file.read_text())
    assert run("--db", str(commune), "keys", "trust", str(key_file),
               "--fingerprint", key["fingerprint"], "--role", "child") == 0  # fmt: skip
    capsys.readouterr()
    typed = key["fingerprint"].lower().replace(" ", "")
    assert run("--db", str(commune), "keys", "revoke", typed, "--from", "01/01/2026") == 0
    assert f"Đã thu hồi khóa {key['key_id']} từ 01/01/2026 00:00." in capsys.readouterr().out
    assert run("--db", str(commune), "keys", "revoke", key["key_id"]) == 0
    assert (
        f"Khóa {key['key_id']} đã bị thu hồi từ 01/01/2026 00:00 trước đây; giữ ngày đó."
        in capsys.readouterr().out
    )
    assert run("--db", str(commune), "keys", "revoke", "abcd1234") == 1
    assert "nhao keys list" in capsys.readouterr().err
