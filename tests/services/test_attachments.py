"""Attachments: checked by content, photos shrunk with their time and place, stored once."""

from __future__ import annotations

import hashlib
import io
import os
import time
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import ExifTags, Image

from nhao.domain.enums import Role
from nhao.domain.errors import ValidationError
from nhao.models import SupportCase, file_store
from nhao.services import attachments as att
from nhao.services import households as hh
from nhao.services import units, users
from nhao.services.errors import PermissionDenied
from nhao.services.unit_of_work import audit_count, unit_of_work
from nhao.tasks import Cancelled, CancelToken, Progress

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def household(db, actor, hamlet_code: str, name: str = "Hoàng Văn Pảo") -> hh.HouseholdView:
    return hh.create_household(
        db, actor, hh.HouseholdInput(hamlet_code=hamlet_code, head_name=name)
    )


def camera_photo(path: Path, size=(4000, 3000), orientation: int | None = None) -> Path:
    """A JPEG as a phone writes it: time taken and GPS position in EXIF."""
    img = Image.new("RGB", size, (150, 110, 70))
    img.paste((30, 60, 200), (0, 0, size[0] // 2, size[1] // 2))
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2025:03:01 09:30:15"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (21.0, 50.0, 52.08)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (106.0, 45.0, 31.68)
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    img.save(path, "JPEG", exif=exif, quality=95)
    return path


def plain_photo(path: Path, colour=(10, 200, 10), size=(800, 600)) -> Path:
    Image.new("RGB", size, colour).save(path, "JPEG")
    return path


def stored_files(db) -> list[Path]:
    root = db.location.attachment_dir
    found = root.rglob("*")
    return [p for p in found if p.is_file() and not {att.THUMB_DIR, ".staging"} & set(p.parts)]


def audits(db) -> int:
    with db.session() as session:
        return audit_count(session)


def rows_of(db, admin, household_id: str) -> list[att.AttachmentView]:
    return att.list_attachments(db, admin, household_id)


def test_a_camera_photo_is_shrunk_and_keeps_time_and_place(db, admin, hamlet, tmp_path) -> None:
    h = household(db, admin, hamlet.code)
    source = camera_photo(tmp_path / "nha-truoc.jpg")
    [view] = att.add_attachments(db, admin, h.id, [source], caption="Mái dột")
    with Image.open(view.path) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (1600, 1200)
        assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # no EXIF travels
    data = view.path.read_bytes()
    assert view.sha256 == hashlib.sha256(data).hexdigest()
    assert view.size_bytes == len(data) < source.stat().st_size
    assert view.path == db.location.attachment_dir / view.sha256[:2] / view.sha256
    assert view.taken_at is not None and view.taken_at.isoformat() == "2025-03-01T09:30:15"
    assert view.latitude == pytest.approx(21.8478)
    assert view.longitude == pytest.approx(106.7588)
    assert (view.kind, view.kind_label_vi, view.caption) == (
        "photo_before",
        "Ảnh nhà trước khi hỗ trợ",
        "Mái dột",
    )
    assert rows_of(db, admin, h.id) == [view]
    assert not list(db.location.attachment_dir.rglob("*.partial"))


def test_exif_orientation_is_applied(db, admin, hamlet, tmp_path) -> None:
    h = household(db, admin, hamlet.code)
    [view] = att.add_attachments(
        db, admin, h.id, [camera_photo(tmp_path / "doc.jpg", (400, 200), orientation=6)]
    )
    with Image.open(view.path) as stored:
        assert stored.size == (200, 400)


def test_png_with_alpha_is_flattened_on_white(db, admin, hamlet, tmp_path) -> None:
    h = household(db, admin, hamlet.code)
    img = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    img.paste((200, 0, 0, 255), (0, 0, 100, 200))
    img.save(tmp_path / "so-do.png")
    [view] = att.add_attachments(db, admin, h.id, [tmp_path / "so-do.png"])
    assert (view.filename, view.media_type) == ("so-do.jpg", "image/jpeg")
    with Image.open(view.path) as stored:
        assert stored.mode == "RGB"
        assert all(c > 245 for c in stored.getpixel((250, 100)))  # transparent → white
        assert stored.getpixel((50, 100))[0] > 180
    assert view.taken_at is None and view.latitude is None


def test_pdf_is_kept_as_it_is_and_filed_as_a_document(db, admin, hamlet, tmp_path) -> None:
    h = household(db, admin, hamlet.code)
    (tmp_path / "quyet-dinh.pdf").write_bytes(PDF)
    [view] = att.add_attachments(db, admin, h.id, [tmp_path / "quyet-dinh.pdf"])
    assert view.path.read_bytes() == PDF
    assert (view.media_type, view.kind) == ("application/pdf", "document")
    assert att.thumbnail(db, view.id) is None


def test_keep_original_stores_the_exact_bytes(db, admin, hamlet, tmp_path) -> None:
    h = household(db, admin, hamlet.code)
    source = camera_photo(tmp_path / "goc.jpg", (2000, 1000))
    [view] = att.add_attachments(db, admin, h.id, [source], keep_original=True)
    assert view.path.read_bytes() == source.read_bytes()
    assert view.latitude == pytest.approx(21.8478)


def test_a_photo_goes_in_through_the_staging_folder_and_what_a_killed_add_left_is_swept(
    db, admin, hamlet, tmp_path
) -> None:
    """A laptop switched off while a photo was staged keeps the staged copy, never under
    its real name; the next add sweeps it once it is an hour old, not before (another
    window may be adding a photo at this moment)."""
    h = household(db, admin, hamlet.code)
    staging = file_store.staging_dir(db.location.attachment_dir)
    staging.mkdir(parents=True)
    killed, staging_now = staging / "c0ffee.partial", staging / "beef00.partial"
    for left in (killed, staging_now):
        left.write_bytes(bytes(5000))
    two_hours_ago = time.time() - 2 * 3600
    os.utime(killed, (two_hours_ago, two_hours_ago))
    [view] = att.add_attachments(db, admin, h.id, [plain_photo(tmp_path / "a.jpg")])
    assert sorted(p.name for p in staging.iterdir()) == [staging_now.name]
    assert stored_files(db) == [view.path]
    assert hashlib.sha256(view.path.read_bytes()).hexdigest() == view.sha256


def test_a_renamed_text_file_is_refused_naming_it_and_nothing_is_saved(
    db, admin, hamlet, tmp_path
) -> None:
    h = household(db, admin, hamlet.code)
    good = plain_photo(tmp_path / "a.jpg")
    fake = tmp_path / "anh-gia.jpg"
    fake.write_text("đây không phải là ảnh", encoding="utf-8")
    before = audits(db)
    with pytest.raises(ValidationError) as error:
        att.add_attachments(db, admin, h.id, [good, fake])
    assert "anh-gia.jpg" in error.value.message
    assert error.value.field == "files"
    assert rows_of(db, admin, h.id) == []
    assert stored_files(db) == []  # every file is checked before any is stored
    assert audits(db) == before


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("ghi-chu.txt", b"hello", "chỉ nhận"),
        ("trong.jpg", b"", "rỗng"),
        ("hong.jpg", b"\xff\xd8\xff\xe0 broken", "hỏng"),
    ],
)
def test_other_bad_files_are_refused(db, admin, hamlet, tmp_path, name, content, words) -> None:
    h = household(db, admin, hamlet.code)
    (tmp_path / name).write_bytes(content)
    with pytest.raises(ValidationError) as error:
        att.add_attachments(db, admin, h.id, [tmp_path / name])
    assert name in error.value.message and words in error.value.message
    with pytest.raises(ValidationError, match="không tìm thấy"):
        att.add_attachments(db, admin, h.id, [tmp_path / "khong-co.jpg"])


def test_size_limit_names_the_file(db, admin, hamlet, tmp_path) -> None:
    h = household(db, admin, hamlet.code)
    photo = plain_photo(tmp_path / "to.jpg")
    with pytest.raises(ValidationError, match="to.jpg.*quá lớn"):
        att.add_attachments(db, admin, h.id, [photo], max_bytes=100)


def test_same_content_is_stored_once_and_refused_twice_for_one_household(
    db, admin, hamlet, tmp_path
) -> None:
    first = household(db, admin, hamlet.code, "Nông Văn Dìn")
    second = household(db, admin, hamlet.code, "Lục Thị Mai")
    photo = plain_photo(tmp_path / "chung.jpg")
    [a] = att.add_attachments(db, admin, first.id, [photo])
    [b] = att.add_attachments(db, admin, second.id, [photo])
    assert a.sha256 == b.sha256 and a.id != b.id
    assert stored_files(db) == [a.path]
    with pytest.raises(ValidationError, match="trùng") as error:
        att.add_attachments(db, admin, first.id, [plain_photo(tmp_path / "lan-2.jpg")])
    assert "lan-2.jpg" in error.value.message
    with pytest.raises(ValidationError, match="trùng"):  # twice in one batch
        copy = tmp_path / "ban-sao.jpg"
        copy.write_bytes(photo.read_bytes())
        att.add_attachments(db, admin, household(db, admin, hamlet.code, "Ba").id, [photo, copy])
    assert len(rows_of(db, admin, first.id)) == 1


def test_cancel_after_the_first_file_inserts_nothing(db, admin, hamlet, tmp_path) -> None:
    h = household(db, admin, hamlet.code)
    files = [plain_photo(tmp_path / f"{i}.jpg", (i * 40, 0, 0)) for i in range(3)]
    token = CancelToken()
    seen: list[tuple[int, int]] = []

    def on_progress(done: int, total: int, message: str) -> None:
        seen.append((done, total))
        if done >= 1:
            token.cancel()

    with pytest.raises(Cancelled):
        att.add_attachments(
            db, admin, h.id, files, progress=Progress(on_progress, interval=0), cancel=token
        )
    assert seen == [(0, 3), (1, 3)]
    assert rows_of(db, admin, h.id) == []


def test_progress_ends_at_the_total(db, admin, hamlet, tmp_path) -> None:
    h = household(db, admin, hamlet.code)
    seen: list[tuple[int, int, str]] = []
    files = [plain_photo(tmp_path / f"{i}.jpg", (0, i * 50, 0)) for i in range(2)]
    att.add_attachments(db, admin, h.id, files, progress=Progress(lambda *a: seen.append(a)))
    assert seen[0][:2] == (0, 2) and "0.jpg" in seen[0][2]
    assert seen[-1][:2] == (2, 2)


def test_team_leader_only_attaches_to_their_own_hamlet(db, admin, hamlet, tmp_path) -> None:
    other = units.add_hamlets(db, admin, ["Bản Slam Ngà"])[0]
    users.create_user(
        db, admin, username="tt", password="demo", role=Role.team_leader, hamlet_code=other.code
    )
    leader = users.authenticate(db, "tt", "demo")
    h = household(db, admin, hamlet.code)
    photo = plain_photo(tmp_path / "x.jpg")
    with pytest.raises(PermissionDenied):
        att.add_attachments(db, leader, h.id, [photo])
    with pytest.raises(PermissionDenied):
        att.list_attachments(db, leader, h.id)
    [view] = att.add_attachments(db, admin, h.id, [photo])
    with pytest.raises(PermissionDenied):
        att.update_caption(db, leader, view.id, "không được")
    with pytest.raises(PermissionDenied):
        att.remove_attachment(db, leader, view.id, "không được")
    mine = household(db, leader, other.code, "Hộ thôn tôi")
    assert len(att.add_attachments(db, leader, mine.id, [photo])) == 1


def test_viewer_lists_but_cannot_attach(db, admin, hamlet, tmp_path) -> None:
    users.create_user(db, admin, username="xem", password="demo", role=Role.viewer)
    viewer = users.authenticate(db, "xem", "demo")
    h = household(db, admin, hamlet.code)
    photo = plain_photo(tmp_path / "x.jpg")
    with pytest.raises(PermissionDenied):
        att.add_attachments(db, viewer, h.id, [photo])
    att.add_attachments(db, admin, h.id, [photo])
    assert len(att.list_attachments(db, viewer, h.id)) == 1


def test_caption_and_soft_delete(db, admin, hamlet, tmp_path) -> None:
    h = household(db, admin, hamlet.code)
    [view] = att.add_attachments(db, admin, h.id, [plain_photo(tmp_path / "x.jpg")])
    changed = att.update_caption(db, admin, view.id, "  Tường   nứt ")
    assert changed.caption == "Tường nứt"
    with pytest.raises(ValidationError):
        att.update_caption(db, admin, view.id, "x" * 501)
    with pytest.raises(ValidationError):
        att.remove_attachment(db, admin, view.id, " ")
    att.remove_attachment(db, admin, view.id, "Chụp nhầm nhà")
    assert rows_of(db, admin, h.id) == []
    assert view.path.is_file()  # content stays; other rows or bundles may share it
    # Removed, the same photo may be attached again.
    assert len(att.add_attachments(db, admin, h.id, [tmp_path / "x.jpg"])) == 1


def test_thumbnail_is_small_and_cached(db, admin, hamlet, tmp_path) -> None:
    h = household(db, admin, hamlet.code)
    [view] = att.add_attachments(db, admin, h.id, [camera_photo(tmp_path / "lon.jpg")])
    data = att.thumbnail(db, view.id)
    assert data is not None
    with Image.open(io.BytesIO(data)) as thumb:
        assert max(thumb.size) <= 160 and thumb.size == (160, 120)
    cached = list((db.location.attachment_dir / att.THUMB_DIR).iterdir())
    assert len(cached) == 1
    assert att.thumbnail(db, view.id) == data


def test_attachment_path_refuses_anything_but_a_hash(db) -> None:
    with pytest.raises(ValidationError):
        att.attachment_path(db, "../../etc/passwd")
    sha = "ab" * 32
    assert att.attachment_path(db, sha) == db.location.attachment_dir / "ab" / sha


def test_a_scan_can_belong_to_one_of_the_households_cases(db, admin, hamlet, tmp_path) -> None:
    h = household(db, admin, hamlet.code)
    stranger = household(db, admin, hamlet.code, "Hộ khác")
    with unit_of_work(db, admin) as uow:
        case = uow.insert(
            SupportCase(
                unit_code=hamlet.code,
                household_id=uuid.UUID(h.id),
                kind="new_build",
                planned_year=2025,
                status="proposed",
            )
        )
        case_id = str(case.id)
    (tmp_path / "bien-ban.pdf").write_bytes(PDF)
    [view] = att.add_attachments(db, admin, h.id, [tmp_path / "bien-ban.pdf"], case_id=case_id)
    assert view.case_id == case_id and view.household_id == h.id
    with pytest.raises(ValidationError, match="không thuộc hộ này"):
        att.add_attachments(db, admin, stranger.id, [tmp_path / "bien-ban.pdf"], case_id=case_id)


def test_a_file_too_big_says_its_size_with_a_decimal_comma(db, admin, hamlet, tmp_path) -> None:
    """"60.0 MB" read as sixty thousand to a Vietnamese eye ("25,5 m²" elsewhere)."""
    h = household(db, admin, hamlet.code)
    big = tmp_path / "rat-lon.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(int(2.5 * 1048576)))
    with pytest.raises(ValidationError) as error:
        att.add_attachments(db, admin, h.id, [big], max_bytes=2 * 1048576)
    assert error.value.message == "Tệp “rat-lon.png”: tệp quá lớn (2,5 MB, tối đa 2 MB)."


def test_a_household_moved_to_another_hamlet_takes_its_files_along(
    db, admin, hamlet, tmp_path
) -> None:
    """The commune corrects a household's hamlet: its photos are the new hamlet team's to
    caption and remove, as they see them listed; the old team no longer reaches them."""
    other = units.add_hamlets(db, admin, ["Bản Slam Ngà"])[0]
    h = household(db, admin, hamlet.code)
    [view] = att.add_attachments(db, admin, h.id, [plain_photo(tmp_path / "x.jpg")])
    hh.update_household(db, admin, h.id, replace(h.as_input(), hamlet_code=other.code))
    users.create_user(
        db, admin, username="tt", password="demo", role=Role.team_leader, hamlet_code=other.code
    )
    leader = users.authenticate(db, "tt", "demo")
    assert [v.id for v in att.list_attachments(db, leader, h.id)] == [view.id]
    assert att.update_caption(db, leader, view.id, "Mái dột").caption == "Mái dột"
    users.create_user(
        db, admin, username="cu", password="demo", role=Role.team_leader, hamlet_code=hamlet.code
    )
    before = users.authenticate(db, "cu", "demo")
    with pytest.raises(PermissionDenied):
        att.remove_attachment(db, before, view.id, "Không phải hộ thôn này")
    att.remove_attachment(db, leader, view.id, "Chụp nhầm nhà")
    assert rows_of(db, admin, h.id) == []
