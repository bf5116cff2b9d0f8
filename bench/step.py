"""One timed benchmark step in its own process, so its peak memory is its own.

Prints one JSON line: {"step", "seconds", "peak_mb", ...}.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "devtools"))
from wpzf_bootstrap import start_qgis  # noqa: E402

FARMLAND = "\"DLBM\" IN ('0101', '0102', '0103')"


def peak_rss_mb() -> float:
    """This process's own peak resident memory (VmHWM; ru_maxrss would include the parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=("qgis", "wpzf", "prepare"))
    parser.add_argument("data", type=Path)
    args = parser.parse_args()
    _app = start_qgis()  # keeps QGIS and the WPZF provider alive for this process
    from qgis import processing

    data: Path = args.data
    landuse = f"{data / 'district' / 'sandiao.gpkg'}|layername=DLTB"
    basic = f"{data / 'district' / 'sandiao.gpkg'}|layername=YJJBNTTB"
    patches = str(data / "patches.gpkg")
    t0 = time.perf_counter()
    extra: dict = {}
    if args.step == "prepare":  # patches as a projected GeoPackage, like the land use
        delivery = sorted((data / "district" / "batches").glob("2022-05/*.geojson"))[0]
        processing.run("native:reprojectlayer", {"INPUT": str(delivery), "TARGET_CRS": "EPSG:4523",
                                                 "OUTPUT": patches})
    elif args.step == "qgis":  # what a technician does today: skip invalid features or get no result
        from qgis.core import QgsFeatureRequest, QgsProcessingContext, QgsProcessingFeedback

        context = QgsProcessingContext()
        context.setInvalidGeometryCheck(QgsFeatureRequest.GeometrySkipInvalid)
        feedback = QgsProcessingFeedback()
        farmland = processing.run("native:extractbyexpression", {
            "INPUT": landuse, "EXPRESSION": FARMLAND, "OUTPUT": str(data / "farmland.gpkg")},
            context=context, feedback=feedback)["OUTPUT"]
        processing.run("native:calculatevectoroverlaps", {
            "INPUT": patches, "LAYERS": [farmland], "OUTPUT": str(data / "qgis_overlaps.gpkg")},
            context=context, feedback=feedback)
    else:
        result = processing.run("wpzf:farmlandoccupation", {
            "PATCHES": patches, "LANDUSE": landuse, "BASIC_FARMLAND": basic, "AREA_METHOD": 0,
            "OUTPUT": str(data / "wpzf_occupation.gpkg"), "BREAKDOWN": str(data / "wpzf_breakdown.gpkg")})
        extra["rows"] = result["OUTPUT"]
    seconds = time.perf_counter() - t0
    peak_mb = peak_rss_mb()
    # forked overlay workers: the largest one's peak resident memory (it includes the pages it
    # still shares with this process, so parent + worker overstates the machine's total)
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"step": args.step, "seconds": round(seconds, 2), "peak_mb": round(peak_mb),
                      "worker_peak_mb": round(worker_mb), **extra}))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
