"""EXIF position, bearing and time of real JPEGs written with Pillow."""
from __future__ import annotations

import pytest
from exif_photos import write_photo

from wpzf.domain.evidence.exif import PhotoReadError, read_photo_info


def test_position_bearing_and_time_of_a_field_photo(tmp_path):
    info = read_photo_info(write_photo(tmp_path / "a.jpg", 105.9271234, 29.3512345, bearing=135.5,
                                       taken="2022:05:20 10:31:07"))
    assert info.has_position
    assert info.lon == pytest.approx(105.9271234, abs=1e-7)  # 1e-7° ≈ 1 cm
    assert info.lat == pytest.approx(29.3512345, abs=1e-7)
    assert info.bearing == pytest.approx(135.5)
    assert info.taken_at == "2022-05-20T10:31:07"


def test_southern_and_western_references_give_negative_degrees(tmp_path):
    info = read_photo_info(write_photo(tmp_path / "s.jpg", -70.5, -33.25, taken=None))
    assert (info.lon, info.lat, info.taken_at) == (pytest.approx(-70.5), pytest.approx(-33.25), None)


def test_photo_without_gps_has_no_position_but_keeps_its_time(tmp_path):
    info = read_photo_info(write_photo(tmp_path / "n.jpg", taken="2022:06:01 08:00:00"))
    assert not info.has_position and info.lon is None and info.lat is None and info.bearing is None
    assert info.taken_at == "2022-06-01T08:00:00"


def test_void_fix_zero_island_and_zero_denominators_are_no_position(tmp_path):
    from PIL.TiffImagePlugin import IFDRational

    void = write_photo(tmp_path / "v.jpg", 105.9, 29.3, gps_extra={9: "V"})
    zero = write_photo(tmp_path / "z.jpg", 0.0, 0.0)
    broken = write_photo(tmp_path / "b.jpg", 105.9, 29.3,
                         gps_extra={2: (IFDRational(29, 0), IFDRational(0, 1), IFDRational(0, 1))})
    for path in (void, zero, broken):
        assert read_photo_info(path).has_position is False, path.name


def test_status_active_fix_and_offset_time_are_read(tmp_path):
    path = write_photo(tmp_path / "o.jpg", 105.9, 29.3, gps_extra={9: "A"})
    assert read_photo_info(path).has_position
    from PIL import Image

    with Image.open(path) as image:
        exif = image.getexif()
        exif[0x8769] = {0x9003: "2022:05:20 10:31:00", 0x9011: "+08:00"}
        image.save(tmp_path / "tz.jpg", exif=exif.tobytes())
    assert read_photo_info(tmp_path / "tz.jpg").taken_at == "2022-05-20T10:31:00+08:00"


def test_a_file_that_is_no_image_raises_a_clear_error(tmp_path):
    fake = tmp_path / "fake.jpg"
    fake.write_bytes(b"not a jpeg at all")
    with pytest.raises(PhotoReadError, match="fake.jpg"):
        read_photo_info(fake)
