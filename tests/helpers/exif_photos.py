"""Write real JPEG field photos with EXIF GPS, bearing and time (Pillow), for tests.

The GPS block is built like a phone writes it: latitude and longitude as
three rationals (degrees, minutes, seconds) with N/S and E/W references,
GPSImgDirection as a rational with reference 'T', DateTimeOriginal in the
Exif sub-IFD.
"""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

GPS_IFD, EXIF_IFD = 0x8825, 0x8769


def dms(value: float) -> tuple:
    """|value| degrees as (deg, min, sec) rationals, seconds to 1/10000."""
    from PIL.TiffImagePlugin import IFDRational

    value = abs(value)
    degrees = int(value)
    minutes_float = (value - degrees) * 60
    minutes = int(minutes_float)
    seconds = Fraction(round((minutes_float - minutes) * 60 * 10000), 10000)
    return (IFDRational(degrees, 1), IFDRational(minutes, 1), IFDRational(seconds.numerator, seconds.denominator))


def write_photo(path: Path, lon: float | None = None, lat: float | None = None, *, bearing: float | None = None,
                taken: str | None = "2022:05:20 10:31:00", size=(160, 120), color=(90, 140, 60),
                gps_extra: dict | None = None) -> Path:
    """A JPEG at ``path``; GPS only when ``lon``/``lat`` are given."""
    from PIL import Image
    from PIL.TiffImagePlugin import IFDRational

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[0x010F] = "WPZF test camera"
    if taken is not None:
        exif[EXIF_IFD] = {0x9003: taken}
    if lon is not None and lat is not None:
        gps = {0: b"\x02\x03\x00\x00", 1: "N" if lat >= 0 else "S", 2: dms(lat), 3: "E" if lon >= 0 else "W",
               4: dms(lon)}
        if bearing is not None:
            frac = Fraction(bearing).limit_denominator(100)
            gps.update({16: "T", 17: IFDRational(frac.numerator, frac.denominator)})
        gps.update(gps_extra or {})
        exif[GPS_IFD] = gps
    image.save(path, "JPEG", exif=exif.tobytes(), quality=85)
    return path
