"""Photos as nhao keeps them: shrunk for chat apps, upright, on white, with the
time and place the camera recorded read from EXIF."""

from __future__ import annotations

import math
from datetime import datetime

from PIL import ExifTags, Image, ImageOps


def taken_at(exif: Image.Exif) -> datetime | None:
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    for tag in (ExifTags.Base.DateTimeOriginal, ExifTags.Base.DateTimeDigitized):
        text = str(sub.get(tag) or "").strip("\x00 ")
        try:
            return datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
        except ValueError:
            continue
    return None


def coordinate(parts: object, ref: object, limit: float) -> float | None:
    try:
        d, m, s = (float(x) for x in parts)  # type: ignore[attr-defined]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = d + m / 60 + s / 3600
    if str(ref).upper().startswith(("S", "W")):
        value = -value
    return round(value, 7) if math.isfinite(value) and abs(value) <= limit else None


def position(exif: Image.Exif) -> tuple[float | None, float | None]:
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    lat = coordinate(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef), 90)
    lon = coordinate(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef), 180)
    if lat is None or lon is None or (lat == 0 and lon == 0):  # 0,0: a phone without a fix
        return None, None
    return lat, lon


def flatten(img: Image.Image) -> Image.Image:
    """RGB on a white background: JPEG has no transparency."""
    if img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return img.convert("RGB")


def shrink(img: Image.Image, long_side: int) -> Image.Image:
    img.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)  # draft() for JPEGs
    return flatten(ImageOps.exif_transpose(img))
