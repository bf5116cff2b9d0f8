"""A returned field package as QField leaves it (tests' helper): wydc rows and jctb edits via the QGIS API.

QField saves with the same OGR provider QGIS desktop uses, so a layer on the
package's ``data.gpkg`` edited and committed here writes what a tablet writes
(DCSJ as a QDateTime, WYBS as QGIS's braced ``uuid()``).
"""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from pathlib import Path


def centres(folder: Path) -> dict[str, tuple[float, float]]:
    """JCBH → (lon, lat) of the patch centre, read back from navigation.gpx as a phone app would."""
    ns = {"g": "http://www.topografix.com/GPX/1/1"}
    root = ET.parse(folder / "navigation.gpx").getroot()
    return {w.find("g:name", ns).text: (float(w.get("lon")), float(w.get("lat"))) for w in root.findall("g:wpt", ns)}


def qfield_edits(folder: Path, visits: list[dict], patch_edits: dict[str, dict] | None = None) -> None:
    """Add wydc rows and change jctb values through the QGIS API on the package's data.gpkg, as QField saves them."""
    from qgis.core import QgsFeature, QgsVectorLayer
    from qgis.PyQt.QtCore import QDateTime

    layer = QgsVectorLayer(f"{folder / 'data.gpkg'}|layername=wydc", "wydc", "ogr")
    assert layer.isValid()
    layer.startEditing()
    for values in visits:
        feature = QgsFeature(layer.fields())
        for name, value in values.items():
            if name == "DCSJ":
                value = QDateTime.fromString(value, "yyyy-MM-dd HH:mm:ss")
            feature.setAttribute(name, value)
        assert layer.addFeature(feature)
    assert layer.commitChanges(), layer.commitErrors()
    patches = QgsVectorLayer(f"{folder / 'data.gpkg'}|layername=jctb", "jctb", "ogr")
    patches.startEditing()
    for feature in patches.getFeatures():
        for name, value in (patch_edits or {}).get(feature["JCBH"], {}).items():
            patches.changeAttributeValue(feature.id(), patches.fields().lookupField(name), value)
    assert patches.commitChanges(), patches.commitErrors()
    del layer, patches


def visit(jcbh: str, *photos: str, when: str = "2022-05-20 10:31:00", who: str = "李四",
          result: str = "实地未变化", note: str = "现场为耕地，未见建设") -> dict:
    """One wydc row's values (PHOTO1… from ``photos``)."""
    values = {"JCBH": jcbh, "DCSJ": when, "DCRY": who, "DCJG": result, "XCQK": note,
              "WYBS": "{" + str(uuid.uuid4()) + "}"}  # QGIS's uuid() is braced
    values.update({f"PHOTO{n}": p for n, p in enumerate(photos, 1)})
    return values


def lonlat(x: float, y: float, epsg: int = 4523) -> tuple[float, float]:
    """A point of the workspace CRS as the (lon, lat) a phone's GPS records (CGCS2000 geographic)."""
    from pyproj import Transformer

    return Transformer.from_crs(epsg, 4490, always_xy=True).transform(x, y)
