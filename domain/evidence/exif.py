"""Position, bearing and time of a field photo from its EXIF block (Pillow).

Phones and cameras write GPS latitude/longitude as three rationals (degrees,
minutes, seconds) with N/S and E/W references, the bearing the camera faced
as ``GPSImgDirection`` and the shutter time as ``DateTimeOriginal`` in local
time. A photo without a usable fix (no GPS block, zero denominators, status
'V' void, or the 0°/0° a receiver writes before its first fix) has no
position: it is reported, never guessed.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

from ..messages import QT_TRANSLATE_NOOP, WpzfError

PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".jpe", ".tif", ".tiff", ".png", ".heic", ".heif"})
"""Files a photo import considers; unreadable formats are listed, not skipped."""

_GPS_IFD = 0x8825
_EXIF_IFD = 0x8769
_DATETIME = 0x0132
_DATETIME_ORIGINAL = 0x9003
_OFFSET_TIME_ORIGINAL = 0x9011
_GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON = 1, 2, 3, 4
_GPS_STATUS = 9
_GPS_IMG_DIRECTION = 17


class PhotoReadError(WpzfError, OSError):
    """The file is not an image Pillow can read (or it is damaged)."""


@dataclass(frozen=True)
class PhotoInfo:
    """What a photo says about where and when it was taken; None when unknown."""

    lon: float | None = None
    lat: float | None = None
    bearing: float | None = None  # degrees from north, clockwise
    taken_at: str | None = None  # ISO 8601, local time as recorded (offset when known)

    @property
    def has_position(self) -> bool:
        return self.lon is not None and self.lat is not None


def _number(value) -> float | None:
    """A rational as Pillow hands it over (IFDRational, (num, den), int) → float; None if invalid."""
    try:
        if isinstance(value, tuple) and len(value) == 2:
            num, den = value
            result = float(num) / float(den) if float(den) else math.nan
        else:
            result = float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return result if math.isfinite(result) else None


def _text(value) -> str:
    if isinstance(value, bytes):
        value = value.split(b"\x00", 1)[0].decode("ascii", errors="replace")
    return str(value or "").strip("\x00 ").upper()


def _degrees(value, ref, positive: str, negative: str, limit: float) -> float | None:
    """Degrees from a (d, m, s) triple (or a single number) and its hemisphere reference."""
    parts = tuple(value) if isinstance(value, (tuple, list)) else (value,)
    if not 1 <= len(parts) <= 3:
        return None
    numbers = [n for n in (_number(p) for p in parts) if n is not None and n >= 0]
    if len(numbers) != len(parts):  # a part that is no number, or negative
        return None
    result = sum(n / 60.0 ** i for i, n in enumerate(numbers))
    reference = _text(ref)
    if reference == negative:
        result = -result
    elif reference not in (positive, ""):
        return None
    return result if abs(result) <= limit else None


def _taken_at(exif) -> str | None:
    """DateTimeOriginal (else DateTime) as ISO 8601; None when absent or malformed."""
    sub = exif.get_ifd(_EXIF_IFD)
    raw = _text(sub.get(_DATETIME_ORIGINAL) or exif.get(_DATETIME))
    if len(raw) < 19 or raw[4] != ":" or raw[7] != ":":
        return None
    date, time = raw[:10].replace(":", "-"), raw[11:19]
    try:
        dt.datetime.fromisoformat(f"{date}T{time}")
    except ValueError:
        return None
    offset = _text(sub.get(_OFFSET_TIME_ORIGINAL))
    return f"{date}T{time}{offset if len(offset) == 6 and offset[0] in '+-' else ''}"


def _pillow():
    """Pillow's Image module and error class, or a clear instruction when it is missing."""
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError as exc:
        raise PhotoReadError(QT_TRANSLATE_NOOP(
            "domain", "Reading photo EXIF needs Pillow; install it with: python -m pip install pillow")) from exc
    return Image, UnidentifiedImageError


def require_pillow() -> None:
    """Raise :class:`PhotoReadError` before a photo import starts if Pillow is missing."""
    _pillow()


def read_photo_info(path: Path | str) -> PhotoInfo:
    """Position, bearing and time recorded in ``path``'s EXIF; fields None when missing."""
    pil_image, _ = _pillow()
    try:
        with pil_image.open(path) as image:
            return _info(image.getexif())
    except Exception as exc:  # noqa: BLE001 - damaged files fail in many ways; one must not stop an import
        raise PhotoReadError(
            QT_TRANSLATE_NOOP("domain", "Cannot read the image {path}: {reason}"), path=str(path), reason=str(exc)
        ) from exc


def _info(exif) -> PhotoInfo:
    taken_at = _taken_at(exif)
    gps = exif.get_ifd(_GPS_IFD)
    if not gps or _text(gps.get(_GPS_STATUS)) == "V":
        return PhotoInfo(taken_at=taken_at)
    lat = _degrees(gps.get(_GPS_LAT), gps.get(_GPS_LAT_REF), "N", "S", 90.0) if _GPS_LAT in gps else None
    lon = _degrees(gps.get(_GPS_LON), gps.get(_GPS_LON_REF), "E", "W", 180.0) if _GPS_LON in gps else None
    if lat is None or lon is None or (lat == 0.0 and lon == 0.0):
        lat = lon = None
    bearing = _number(gps.get(_GPS_IMG_DIRECTION)) if _GPS_IMG_DIRECTION in gps else None
    if bearing is not None:
        bearing = bearing % 360.0 if bearing >= 0 else None
    return PhotoInfo(lon=lon, lat=lat, bearing=bearing, taken_at=taken_at)
