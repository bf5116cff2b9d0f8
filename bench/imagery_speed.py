"""Speed of the imagery screening (issue 22): 2,000 patches on two 0.5 m images, target under a minute.

Writes two tiled, DEFLATE-compressed 0.5 m RGB GeoTIFFs (``--pixels`` square, with
overviews) under ``--out`` once, scatters ``--patches`` round patches of 200–20,000 m²
(the ministry's construction sites) over them, and times opening both images plus
measuring every patch (windowed reads per patch, never the whole raster). In the same run
QGIS's own per-polygon raster algorithm, ``native:zonalstatisticsfb`` (mean and count of
band 1), runs over the same patches on each image; the ratio is printed (the screening
reads three bands of both images, resamples them to one grid and computes six measures). Usage::

    .venv/bin/python bench/imagery_speed.py [--patches 2000 --pixels 12000 --out bench/out/imagery]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "devtools"))
from wpzf_bootstrap import register_plugin_package, start_qgis  # noqa: E402

X0, Y0, PIXEL = 35_500_000.0, 3_300_000.0, 0.5


def write_image(path: Path, size: int, shift: int, seed: int) -> None:
    """A blocky 0.5 m RGB image in EPSG:4523; ``shift`` moves the blocks' colours (the 'change')."""
    import numpy as np
    from osgeo import gdal, osr

    gdal.UseExceptions()
    rng = np.random.default_rng(seed)
    ds = gdal.GetDriverByName("GTiff").Create(str(path), size, size, 3, gdal.GDT_Byte,
                                              ["TILED=YES", "COMPRESS=DEFLATE", "NUM_THREADS=ALL_CPUS"])
    ds.SetGeoTransform((X0, PIXEL, 0.0, Y0 + size * PIXEL, 0.0, -PIXEL))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4523)
    ds.SetProjection(srs.ExportToWkt())
    for r0 in range(0, size, 1024):
        h = min(1024, size - r0)
        base = ((np.arange(size)[None, :] // 200 + np.arange(r0, r0 + h)[:, None] // 200 + shift) % 5) * 30 + 60
        for b in range(3):
            ds.GetRasterBand(b + 1).WriteArray((base + rng.integers(0, 8, (h, size))).astype(np.uint8), 0, r0)
    ds.BuildOverviews("AVERAGE", [2, 4, 8, 16])
    ds = None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patches", type=int, default=2000)
    parser.add_argument("--pixels", type=int, default=12000, help="image width and height (0.5 m pixels)")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "imagery")
    args = parser.parse_args(argv)
    register_plugin_package()
    import numpy as np
    import shapely

    from wpzf.domain.rules import load_named_ruleset
    from wpzf.domain.rules.imagery_rules import imagery_rules
    from wpzf.processing.imagery_io import PatchReader, open_image

    args.out.mkdir(parents=True, exist_ok=True)
    paths = [args.out / f"{name}_{args.pixels}.tif" for name in ("before", "after")]
    for shift, path in enumerate(paths):
        if not path.exists():
            write_image(path, args.pixels, shift, seed=shift)
    rng = np.random.default_rng(22)
    side = args.pixels * PIXEL
    centres = rng.uniform(100, side - 100, (args.patches, 2))
    radius = np.sqrt(np.exp(rng.uniform(np.log(200), np.log(20000), args.patches)) / np.pi)
    geoms = shapely.buffer(shapely.points(X0 + centres[:, 0], Y0 + centres[:, 1]), radius)
    rules = imagery_rules(load_named_ruleset("2022-chongqing").path)
    t0 = time.perf_counter()
    reader = PatchReader(*(open_image(str(p), p.name, 1, None, "EPSG:4523") for p in paths), "EPSG:4523", rules)
    measures = [reader.measure(g) for g in geoms]
    seconds = time.perf_counter() - t0
    cells = sum(m.XSS for m in measures)
    print(f"{args.patches} patches on two {args.pixels}×{args.pixels} 0.5 m images: {seconds:.1f} s "
          f"({cells / 1e6:.1f} M cells measured, {sum(m.scored for m in measures)} scored)")
    baseline = qgis_zonal_seconds(geoms, paths)
    print(f"QGIS native:zonalstatisticsfb (band 1, mean + count) on both images: {baseline:.1f} s; "
          f"screening / QGIS = {seconds / baseline:.2f}")
    return 0 if seconds < 60 else 1


def qgis_zonal_seconds(geoms, paths: list[Path]) -> float:
    """Seconds QGIS's zonal statistics take over ``geoms`` on each image (a memory layer, as a user would)."""
    import shapely

    app = start_qgis()  # noqa: F841 - keeps QGIS alive for the run
    from qgis import processing
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    layer = QgsVectorLayer("Polygon?crs=EPSG:4523", "patches", "memory")
    features = []
    for wkb in shapely.to_wkb(geoms):
        feature = QgsFeature()
        geometry = QgsGeometry()
        geometry.fromWkb(wkb)
        feature.setGeometry(geometry)
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    t0 = time.perf_counter()
    for path in paths:
        processing.run("native:zonalstatisticsfb", {"INPUT": layer, "INPUT_RASTER": str(path), "RASTER_BAND": 1,
                                                    "COLUMN_PREFIX": "z_", "STATISTICS": [0, 2],
                                                    "OUTPUT": "TEMPORARY_OUTPUT"})
    return time.perf_counter() - t0


if __name__ == "__main__":
    sys.exit(main())
