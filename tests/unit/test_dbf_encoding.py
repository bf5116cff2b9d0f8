"""DBF encoding detection from bytes: declaration first, then strict decoding."""
from __future__ import annotations

import pytest
from deliveries import shapefile_encoding_honoured
from osgeo import ogr, osr

from wpzf.domain.intake.encoding import EncodingError, detect_shapefile_encoding


def _shapefile(folder, values, encoding, keep_cpg=False, ldid=0):
    folder.mkdir(parents=True, exist_ok=True)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4523)
    with shapefile_encoding_honoured():
        ds = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(str(folder / "d.shp"))
        lyr = ds.CreateLayer("d", srs, ogr.wkbPolygon, options=[f"ENCODING={encoding}"])
        lyr.CreateField(ogr.FieldDefn("BZ", ogr.OFTString))
        for value in values:
            f = ogr.Feature(lyr.GetLayerDefn())
            f.SetField("BZ", value)
            lyr.CreateFeature(f)
        ds = None
    if not keep_cpg:
        (folder / "d.cpg").unlink(missing_ok=True)
    dbf = folder / "d.dbf"
    data = bytearray(dbf.read_bytes())
    data[29] = ldid
    dbf.write_bytes(bytes(data))
    return folder / "d.shp"


def test_gbk_without_any_declaration_is_detected(tmp_path):
    assert detect_shapefile_encoding(_shapefile(tmp_path, ["永川区", "临江镇"], "CP936")) == "CP936"


def test_utf8_without_declaration_is_detected(tmp_path):
    assert detect_shapefile_encoding(_shapefile(tmp_path, ["永川区", "临江镇"], "UTF-8")) == "UTF-8"


def test_cpg_declaration_wins(tmp_path):
    assert detect_shapefile_encoding(_shapefile(tmp_path, ["永川区"], "UTF-8", keep_cpg=True)) == "UTF-8"


def test_language_driver_byte_is_read(tmp_path):
    assert detect_shapefile_encoding(_shapefile(tmp_path, ["永川区"], "CP936", ldid=0x4D)) == "CP936"


def test_ascii_only_is_utf8(tmp_path):
    assert detect_shapefile_encoding(_shapefile(tmp_path, ["abc"], "UTF-8")) == "UTF-8"


def test_undecodable_bytes_raise_naming_the_file(tmp_path):
    shp = _shapefile(tmp_path, ["x" * 8], "UTF-8")
    dbf = shp.with_suffix(".dbf")
    data = bytearray(dbf.read_bytes())
    start = data.index(b"xxxxxxxx")
    data[start:start + 4] = b"\xff\xfe\xff\xfe"  # valid in neither UTF-8 nor GBK/GB18030 leading bytes
    dbf.write_bytes(bytes(data))
    with pytest.raises(EncodingError, match="d.dbf"):
        detect_shapefile_encoding(shp)
