"""Photos and scanned papers of a household: checked, shrunk, stored by content.

Files live beside the database in ``<db>-files/<sha[:2]>/<sha256>``; a row in
``attachment`` names the household, the kind and the caption. Identical content is
stored once whoever attaches it, and a file is never half-written: it is written to
a temporary file in the same folder, flushed to disk, then renamed into place.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import select

from nhao.domain.errors import ValidationError
from nhao.domain.numfmt import format_decimal
from nhao.domain.text import nfc
from nhao.models import Attachment, SupportCase, file_store
from nhao.models.database import Database
from nhao.services import photos
from nhao.services.actor import Actor, Permission
from nhao.services.errors import NotFound
from nhao.services.households import load_household
from nhao.services.unit_of_work import unit_of_work
from nhao.tasks import NULL_PROGRESS, CancelToken, Progress, check_cancelled

ACCEPTED = {".jpg", ".jpeg", ".png", ".pdf"}
KINDS = {
    "photo_before": "Ảnh nhà trước khi hỗ trợ",
    "photo_construction": "Ảnh trong khi xây dựng",
    "photo_after": "Ảnh nhà sau khi hoàn thành",
    "document": "Giấy tờ, biên bản",
    "other": "Khác",
}
MAX_FILE_BYTES = 25 * 1024 * 1024
# Above this a photo is not from a phone or camera; decoding it could exhaust the
# 4 GB laptops the communes use.
MAX_PIXELS = 80_000_000
LONG_SIDE = 1600  # small enough for chat apps, sharp enough to judge a roof or a wall
JPEG_QUALITY = 85
MAX_CAPTION = 500
THUMB_DIR = "thumbs"
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)


@dataclass(frozen=True)
class AttachmentView:
    id: str
    household_id: str | None
    case_id: str | None
    kind: str
    caption: str
    filename: str
    media_type: str
    size_bytes: int
    sha256: str
    taken_at: datetime | None  # the camera's clock (local time), as the photo recorded it
    latitude: float | None
    longitude: float | None
    created_at: datetime
    path: Path

    @property
    def kind_label_vi(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")


@dataclass(frozen=True)
class _Checked:
    path: Path
    name: str
    media_type: str


# -- the content store ---------------------------------------------------------


def attachment_path(db: Database, sha256: str) -> Path:
    try:
        return file_store.blob_path(db.location.attachment_dir, sha256)
    except file_store.BadBlobName as error:
        raise ValidationError(message=str(error), field="sha256") from None


# -- checking and preparing files ------------------------------------------------


def _refuse(name: str, why: str) -> ValidationError:
    return ValidationError(message=f"Tệp “{name}”: {why}", field="files")


def _check(path: Path, max_bytes: int) -> _Checked:
    name = nfc(path.name)
    if not path.is_file():
        raise _refuse(name, "không tìm thấy tệp. Hãy chọn lại.")
    if path.suffix.lower() not in ACCEPTED:
        raise _refuse(name, "chỉ nhận ảnh JPG, PNG hoặc tệp PDF.")
    size = path.stat().st_size
    if size == 0:
        raise _refuse(name, "tệp rỗng.")
    if size > max_bytes:
        raise _refuse(
            name,
            f"tệp quá lớn ({format_decimal(size / 1048576)} MB, tối đa {max_bytes // 1048576} MB).",
        )
    with path.open("rb") as f:
        head = f.read(8)
    media_type = next((t for magic, t in _SIGNATURES if head.startswith(magic)), None)
    if media_type is None:
        raise _refuse(name, "nội dung không phải ảnh JPG, PNG hay tệp PDF (có thể chỉ đổi đuôi).")
    if media_type != "application/pdf":
        try:
            with Image.open(path) as img:  # reads the header only
                pixels = img.width * img.height
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            raise _refuse(name, "ảnh bị hỏng, không đọc được.") from None
        if pixels > MAX_PIXELS:
            raise _refuse(name, "ảnh có kích thước quá lớn.")
    return _Checked(path, name, media_type)


def _prepare(db: Database, item: _Checked, keep_original: bool) -> dict[str, Any]:
    """Shrink (or keep) one file, store it, and return its Attachment column values."""
    data = item.path.read_bytes()
    media_type, filename = item.media_type, item.name
    taken_at = lat = lon = None
    if media_type != "application/pdf":
        try:
            with Image.open(io.BytesIO(data)) as img:
                exif = img.getexif()
                taken_at, (lat, lon) = photos.taken_at(exif), photos.position(exif)
                if not keep_original:
                    out = io.BytesIO()
                    # The stored copy carries no EXIF: time and place are kept in the
                    # database, and camera serials need not travel in bundles.
                    photos.shrink(img, LONG_SIDE).save(
                        out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True
                    )
                    data, media_type = out.getvalue(), "image/jpeg"
                    if Path(filename).suffix.lower() not in {".jpg", ".jpeg"}:
                        filename = f"{Path(filename).stem}.jpg"
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            raise _refuse(item.name, "ảnh bị hỏng, không đọc được.") from None
    return {
        "sha256": file_store.store_bytes(db.location.attachment_dir, data),
        "filename": filename[:255],
        "media_type": media_type,
        "size_bytes": len(data),
        "taken_at": taken_at,
        "latitude": lat,
        "longitude": lon,
    }


# -- services --------------------------------------------------------------------


_COPIED = ("kind", "caption", "filename", "media_type", "size_bytes", "sha256", "taken_at")


def _view(db: Database, row: Attachment) -> AttachmentView:
    return AttachmentView(
        id=str(row.id),
        household_id=str(row.household_id) if row.household_id else None,
        case_id=str(row.case_id) if row.case_id else None,
        latitude=row.latitude,
        longitude=row.longitude,
        created_at=row.created_at,
        path=attachment_path(db, row.sha256),
        **{name: getattr(row, name) for name in _COPIED},
    )


def _clean_caption(caption: str) -> str:
    text = nfc(caption)
    if len(text) > MAX_CAPTION:
        raise ValidationError(
            message=f"Chú thích dài quá {MAX_CAPTION} ký tự (đang có {len(text)}).",
            field="caption",
        )
    return text


def add_attachments(
    db: Database,
    actor: Actor,
    household_id: str,
    files: list[Path],
    *,
    kind: str = "photo_before",
    caption: str = "",
    case_id: str | None = None,
    keep_original: bool = False,
    max_bytes: int = MAX_FILE_BYTES,
    progress: Progress = NULL_PROGRESS,
    cancel: CancelToken | None = None,
) -> list[AttachmentView]:
    """Attach files to a household (and optionally one of its cases), all or none."""
    actor.require(Permission.write_households)
    if kind not in KINDS:
        raise ValidationError(message=f"Loại tệp đính kèm “{kind}” không có.", field="kind")
    text = _clean_caption(caption)
    if not files:
        raise ValidationError(message="Hãy chọn ít nhất một tệp.", field="files")
    with db.session() as session:  # scope check before any slow work
        if load_household(session, household_id, actor).deleted_at is not None:
            raise ValidationError(message="Hộ này đã bị xóa.", field=None)
    checked = [_check(Path(f), max_bytes) for f in files]
    file_store.sweep_staging(db.location.attachment_dir)  # left by an add that was killed
    prepared: list[tuple[str, dict[str, Any]]] = []
    for i, item in enumerate(checked):
        check_cancelled(cancel)
        progress.update(i, len(checked), f"Đang xử lý {item.name} ({i + 1}/{len(checked)})")
        prepared.append((item.name, _prepare(db, item, keep_original)))
    check_cancelled(cancel)
    with unit_of_work(db, actor) as uow:
        household = load_household(uow.session, household_id, actor)
        if household.deleted_at is not None:
            raise ValidationError(message="Hộ này đã bị xóa.", field=None)
        case_key = _case_of(uow.session, household.id, case_id) if case_id else None
        taken = dict(
            uow.session.execute(
                select(Attachment.sha256, Attachment.filename).where(
                    Attachment.household_id == household.id,
                    Attachment.deleted_at.is_(None),
                    Attachment.sha256.in_([p["sha256"] for _, p in prepared]),
                )
            ).all()
        )
        rows = []
        for name, p in prepared:
            if p["sha256"] in taken:
                raise _refuse(name, f"trùng với tệp đã có của hộ này (“{taken[p['sha256']]}”).")
            taken[p["sha256"]] = p["filename"]
            # A PDF is never a photo, whatever kind the batch was given.
            pdf = p["media_type"] == "application/pdf"
            row = Attachment(
                unit_code=household.unit_code,
                household_id=household.id,
                case_id=case_key,
                kind="document" if pdf and kind.startswith("photo") else kind,
                caption=text,
                **p,
            )
            summary = f"Đính kèm {p['filename']} cho hộ {household.head_name}"
            rows.append(uow.insert(row, summary=summary))
        views = [_view(db, r) for r in rows]
    progress.update(len(checked), len(checked), f"Đã lưu {len(views)} tệp.")
    return views


def _case_of(session, household_key: uuid.UUID, case_id: str) -> uuid.UUID:  # type: ignore[no-untyped-def]
    case = session.get(SupportCase, _key(case_id, "hồ sơ"))
    if case is None or case.household_id != household_key:
        raise ValidationError(message="Hồ sơ hỗ trợ không thuộc hộ này.", field="case_id")
    return case.id


def _key(value: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound(f"Không tìm thấy {what} {value}.") from None


def _load(session, attachment_id: str, actor: Actor) -> Attachment:  # type: ignore[no-untyped-def]
    row = session.get(Attachment, _key(attachment_id, "tệp đính kèm"))
    if row is None:
        raise NotFound(f"Không tìm thấy tệp đính kèm {attachment_id}.")
    actor.require_unit(row.unit_code)
    return row


def list_attachments(db: Database, actor: Actor, household_id: str) -> list[AttachmentView]:
    """The household's live attachments, in the order they were added."""
    actor.require(Permission.read_households)
    with db.session() as session:
        household = load_household(session, household_id, actor)
        rows = session.scalars(
            select(Attachment)
            .where(Attachment.household_id == household.id, Attachment.deleted_at.is_(None))
            .order_by(Attachment.created_at, Attachment.id)
        )
        return [_view(db, r) for r in rows]


def update_caption(db: Database, actor: Actor, attachment_id: str, caption: str) -> AttachmentView:
    actor.require(Permission.write_households)
    text = _clean_caption(caption)
    with unit_of_work(db, actor) as uow:
        row = _load(uow.session, attachment_id, actor)
        if row.deleted_at is not None:
            raise ValidationError(message="Tệp này đã bị xóa, không sửa được.", field=None)
        uow.update(row, {"caption": text}, summary=f"Sửa chú thích {row.filename}")
        return _view(db, row)


def remove_attachment(db: Database, actor: Actor, attachment_id: str, reason: str) -> None:
    """Soft delete; the stored file stays (other rows and sent bundles may share it)."""
    actor.require(Permission.write_households)
    reason = nfc(reason)
    if not reason:
        raise ValidationError(message="Hãy ghi lý do xóa tệp.", field="reason")
    with unit_of_work(db, actor) as uow:
        row = _load(uow.session, attachment_id, actor)
        if row.deleted_at is None:
            uow.soft_delete(row, reason, summary=f"Xóa tệp {row.filename}: {reason}")


def thumbnail(db: Database, attachment_id: str, size: int = 160) -> bytes | None:
    """A JPEG at most ``size`` px on its long side; None for a PDF or a missing file."""
    size = max(16, min(int(size), 1024))
    with db.session() as session:
        row = session.get(Attachment, _key(attachment_id, "tệp đính kèm"))
        if row is None:
            raise NotFound(f"Không tìm thấy tệp đính kèm {attachment_id}.")
        sha, media_type = row.sha256, row.media_type
    if not media_type.startswith("image/"):
        return None
    cached = db.location.attachment_dir / THUMB_DIR / f"{sha}-{size}.jpg"
    if cached.is_file():
        return cached.read_bytes()
    source = attachment_path(db, sha)
    if not source.is_file():  # content not received yet (a bundle without blobs)
        return None
    try:
        with Image.open(source) as img:
            out = io.BytesIO()
            photos.shrink(img, size).save(out, "JPEG", quality=80)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    data = out.getvalue()
    file_store.write_atomically(cached, data)
    return data
