"""Overlay layers of few, huge polygons: town boundaries, ecological red lines, development boundaries.

Real 三调 town boundaries (XZQ) and red lines (STBHHX) hold 10^4–10^6 vertices per
polygon, where the benchmark district's land use has about 12. Every patch then meets
a polygon that is big, and a predicate with the small patch prepared walks all of the
big one's vertices, patch after patch. This writes the sample district's towns with a
vertex every ``--step`` metres (22,000 per town at 2 m) and, in one run, times:

- (a) QGIS's ``native:calculatevectoroverlaps`` of the patches on those towns, and
- (b) ``wpzf:overlaysummary`` of the same (area, share, count, keys; official ellipsoidal areas),
- (c) placing every patch in its town by the largest share (what ``wpzf:importdivisions`` does).

Both outputs are temporary layers; b/a and c/a are printed. Usage::

    .venv/bin/python bench/big_features.py [--data bench/out/x1 --step 2]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "devtools"))
from wpzf_bootstrap import start_qgis  # noqa: E402


def dense_towns(data: Path, step: float) -> Path:
    """The district's towns with a vertex every ``step`` metres, as a GeoPackage (written once)."""
    import numpy as np
    import shapely
    from osgeo import ogr, osr

    target = data / f"towns_every_{step:g}m.gpkg"
    if target.exists():
        return target
    xzq = ogr.Open(str(data / "district" / "xzq.gpkg"))  # kept: its layers die with it
    source = xzq.GetLayerByName("XZQ")
    rows = [(f.GetField("XZQDM"), f.GetField("XZQMC"), bytes(f.GetGeometryRef().ExportToWkb())) for f in source]
    geoms = shapely.segmentize(shapely.from_wkb([r[2] for r in rows]), step)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4523)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(target))
    layer = ds.CreateLayer("towns", srs, ogr.wkbMultiPolygon)
    for name in ("XZQDM", "XZQMC"):
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    for (code, name, _), geom in zip(rows, geoms):
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("XZQDM", code)
        feature.SetField("XZQMC", name)
        multi = geom if shapely.get_type_id(geom) == 6 else shapely.multipolygons([geom])
        feature.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(multi)))
        layer.CreateFeature(feature)
    ds = None
    print(f"{len(rows)} towns, {int(np.mean(shapely.get_num_coordinates(geoms)))} vertices each on average")
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=HERE / "out" / "x1", help="a bench/run.py data folder")
    parser.add_argument("--step", type=float, default=2.0, help="metres between boundary vertices")
    args = parser.parse_args()
    if not (args.data / "patches.gpkg").exists():
        parser.error(f"{args.data} has no patches.gpkg: run bench/run.py --scales 1 first")
    _app = start_qgis()  # keeps QGIS and the WPZF provider alive
    import numpy as np
    import shapely
    from osgeo import ogr
    from qgis import processing

    from wpzf.domain.workspace.division_shares import Division, place

    towns = str(dense_towns(args.data, args.step))
    patches = str(args.data / "patches.gpkg")
    from qgis.core import QgsFeatureRequest, QgsProcessingContext

    context = QgsProcessingContext()  # as bench/step.py: QGIS refuses the planted invalid patches otherwise
    context.setInvalidGeometryCheck(QgsFeatureRequest.GeometrySkipInvalid)
    t0 = time.perf_counter()
    a = processing.run("native:calculatevectoroverlaps", {"INPUT": patches, "LAYERS": [towns],
                                                           "OUTPUT": "TEMPORARY_OUTPUT"}, context=context)["OUTPUT"]
    a_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    b = processing.run("wpzf:overlaysummary", {"PATCHES": patches, "OVERLAY": towns, "KEY_FIELDS": ["XZQDM"],
                                               "OUTPUT": "TEMPORARY_OUTPUT"})["OUTPUT"]
    b_s = time.perf_counter() - t0
    town_ds, patch_ds = ogr.Open(towns), ogr.Open(patches)  # kept: their layers die with them
    layer = town_ds.GetLayer(0)
    divisions = [Division(f.GetField("XZQDM"), f.GetField("XZQMC"),
                          shapely.from_wkb(bytes(f.GetGeometryRef().ExportToWkb()))) for f in layer]
    geoms = shapely.from_wkb([bytes(f.GetGeometryRef().ExportToWkb()) for f in patch_ds.GetLayer(0)])
    t0 = time.perf_counter()
    placed = place(np.asarray(geoms, dtype=object), [None] * len(geoms), divisions, [])
    c_s = time.perf_counter() - t0
    print(f"{'step':>6} {'patches':>8} {'(a) QGIS overlaps s':>20} {'(b) overlaysummary s':>21} {'b/a':>6} "
          f"{'(c) place s':>12} {'c/a':>6}")
    print(f"{args.step:>6g} {a.featureCount():>8} {a_s:>20.2f} {b_s:>21.2f} {b_s / a_s:>6.2f} {c_s:>12.2f} "
          f"{c_s / a_s:>6.2f}")
    assert b.featureCount() >= a.featureCount() and sum(p is not None for p in placed) > 0  # (a) skips invalid ones
    return 0


if __name__ == "__main__":
    sys.exit(main())
