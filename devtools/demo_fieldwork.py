"""`make demo` stand-in for the field team: a field package out, visits recorded as QField does, back in.

In the district the technicians carry the exported folder on a tablet; the
demo writes what QField would write into it — rows of ``wydc`` through the
QGIS API on the package's ``data.gpkg`` and JPEGs with EXIF GPS under
``DCIM/`` at each patch's navigation centre — then imports it twice (the
second import adds no visit; asked to, it stores the photo no record names
as evidence of the patch it was taken in).
"""
from __future__ import annotations

import sqlite3
import sys
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "helpers"))
RESULTS = ("实地未变化", "非农违法", "农村道路", "设施农用地")


def _centres(folder: Path) -> dict[str, tuple[float, float]]:
    ns = {"g": "http://www.topografix.com/GPX/1/1"}
    root = ET.parse(folder / "navigation.gpx").getroot()
    return {w.find("g:name", ns).text: (float(w.get("lon")), float(w.get("lat"))) for w in root.findall("g:wpt", ns)}


def simulate_visits(folder: Path, visit_day: str = "2022-06-15") -> dict[str, int]:
    """One visit per patch (a photo each, two on every fifth) and one photo no visit names."""
    from exif_photos import write_photo
    from qgis.core import QgsFeature, QgsVectorLayer
    from qgis.PyQt.QtCore import QDateTime

    layer = QgsVectorLayer(f"{folder / 'data.gpkg'}|layername=wydc", "wydc", "ogr")
    layer.startEditing()
    photos = 0
    for n, (jcbh, (lon, lat)) in enumerate(sorted(_centres(folder).items())):
        feature = QgsFeature(layer.fields())
        when = f"{visit_day} {9 + n // 6:02d}:{(n * 10) % 60:02d}:00"
        names = [f"DCIM/{jcbh}_{k}.jpg" for k in range(1 + (n % 5 == 0))]
        for k, name in enumerate(names):
            write_photo(folder / name, lon, lat, bearing=(45.0 * k) % 360,
                        taken=when.replace("-", ":"), color=(40 + n * 9 % 200, 120, 60 + k * 80))
        photos += len(names)
        values = {"JCBH": jcbh, "DCSJ": QDateTime.fromString(when, "yyyy-MM-dd HH:mm:ss"), "DCRY": "外业组 李四",
                  "DCJG": RESULTS[n % len(RESULTS)], "XCQK": "现场核实", "WYBS": "{" + str(uuid.uuid4()) + "}"}
        values.update({f"PHOTO{k}": name for k, name in enumerate(names, 1)})
        for name, value in values.items():
            feature.setAttribute(name, value)
        layer.addFeature(feature)
    layer.commitChanges()
    any_centre = next(iter(_centres(folder).values()))
    write_photo(folder / "DCIM" / "stray.jpg", *any_centre, color=(0, 0, 0))
    return {"visits": layer.featureCount(), "photos": photos + 1}


def field_round_trip(workspace: Path, out: Path, batch: str, imagery: Path, count: int = 20) -> dict[str, object]:
    """Export ``count`` patches of ``batch``, simulate the visits, import twice; the counts of each step."""
    from qgis import processing
    from qgis.core import QgsRasterLayer

    with sqlite3.connect(workspace) as conn:
        fids = [r[0] for r in conn.execute("SELECT p.fid FROM jctb p JOIN wpzf_batch b ON b.id = p.batch_id "
                                           "WHERE b.PCMC = ? ORDER BY p.fid LIMIT ?", (batch, count))]
    folder = out / "field_package"
    exported = processing.run("wpzf:exportfieldpackage", {
        "WORKSPACE": str(workspace), "BATCH": batch, "EXPRESSION": f'"fid" IN ({", ".join(map(str, fids))})',
        "IMAGERY": [QgsRasterLayer(str(imagery), "后时相影像", "gdal")], "OUTPUT_FOLDER": str(folder)})
    recorded = simulate_visits(folder)
    first = processing.run("wpzf:importfieldpackage", {"WORKSPACE": str(workspace), "PACKAGE": str(folder),
                                                       "OUTPUT": str(out / "field_import_report.csv")})
    again = processing.run("wpzf:importfieldpackage", {"WORKSPACE": str(workspace), "PACKAGE": str(folder),
                                                       "IMPORT_UNREFERENCED": True, "OUTPUT": "memory:"})
    return {"exported": exported["PATCH_COUNT"], "recorded_visits": recorded["visits"],
            "photos_on_device": recorded["photos"], "visits_stored": first["VISITS"],
            "photos_stored": first["PHOTOS"], "second_import_visits": again["VISITS"],
            "second_import_unreferenced_photos": again["UNREFERENCED"]}
