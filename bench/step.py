"""One timed benchmark step in its own process, so the memory the parent samples is this step's alone.

Steps: ``qgis-tmp`` / ``qgis-file`` — native:extractbyexpression (farmland)
then native:calculatevectoroverlaps, both to temporary (memory) layers, as
the Processing dialog's default "[Create temporary layer]" does, or both to
GeoPackage files; ``wpzf-tmp`` / ``wpzf-file`` — wpzf:farmlandoccupation with
OUTPUT and BREAKDOWN temporary, or both GeoPackage files; ``prepare`` — the
patches as a projected GeoPackage. Both steps of (a) run in this one process,
so its memory layers are real ones handed from step to step.

Prints one JSON line: {"step", "seconds", "cpu_s" (all processes), "cpu_main_s" (this process alone),
"rows"}; the parent measures memory.
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
STEPS = ("qgis-tmp", "qgis-file", "wpzf-tmp", "wpzf-file", "prepare")
TEMPORARY = "TEMPORARY_OUTPUT"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=STEPS)
    parser.add_argument("data", type=Path)
    args = parser.parse_args()
    _app = start_qgis()  # keeps QGIS and the WPZF provider alive for this process
    from qgis import processing
    from qgis.core import QgsFeatureRequest, QgsProcessingContext, QgsProcessingFeedback

    data: Path = args.data
    landuse = f"{data / 'district' / 'sandiao.gpkg'}|layername=DLTB"
    basic = f"{data / 'district' / 'sandiao.gpkg'}|layername=YJJBNTTB"
    patches = str(data / "patches.gpkg")
    temporary = args.step.endswith("-tmp")
    context = QgsProcessingContext()
    feedback = QgsProcessingFeedback()

    def out(name: str) -> str:
        return TEMPORARY if temporary else str(data / f"{name}.gpkg")

    t0, cpu0, main0 = time.perf_counter(), _cpu_seconds(), _cpu_seconds(children=False)
    rows = None
    if args.step == "prepare":  # patches as a projected GeoPackage, like the land use
        delivery = sorted((data / "district" / "batches").glob("2022-05/*.geojson"))[0]
        processing.run("native:reprojectlayer", {"INPUT": str(delivery), "TARGET_CRS": "EPSG:4523",
                                                 "OUTPUT": patches})
    elif args.step.startswith("qgis"):  # what a technician does today: skip invalid features or get no result
        context.setInvalidGeometryCheck(QgsFeatureRequest.GeometrySkipInvalid)
        farmland = processing.run("native:extractbyexpression", {
            "INPUT": landuse, "EXPRESSION": FARMLAND, "OUTPUT": out("qgis_farmland")},
            context=context, feedback=feedback)["OUTPUT"]
        result = processing.run("native:calculatevectoroverlaps", {
            "INPUT": patches, "LAYERS": [farmland], "OUTPUT": out("qgis_overlaps")},
            context=context, feedback=feedback)["OUTPUT"]
        rows = _count(result)
    else:
        result = processing.run("wpzf:farmlandoccupation", {
            "PATCHES": patches, "LANDUSE": landuse, "BASIC_FARMLAND": basic, "AREA_METHOD": 0,
            "OUTPUT": out("wpzf_occupation"), "BREAKDOWN": out("wpzf_breakdown")},
            context=context, feedback=feedback)
        rows = _count(result["OUTPUT"])
    seconds = time.perf_counter() - t0
    cpu, main_cpu = _cpu_seconds() - cpu0, _cpu_seconds(children=False) - main0
    print(json.dumps({"step": args.step, "seconds": round(seconds, 2), "cpu_s": round(cpu, 2),
                      "cpu_main_s": round(main_cpu, 2), "rows": rows}))
    sys.stdout.flush()
    return 0


def _cpu_seconds(children: bool = True) -> float:
    """CPU seconds of this process and (``children``) its finished children (the forked overlay workers):
    on a shared machine the wall clock depends on the neighbours, the CPU time much less."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    total = own.ru_utime + own.ru_stime
    if children:
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        total += kids.ru_utime + kids.ru_stime
    return total


def _count(output) -> int:
    """Rows of an output: a layer (temporary outputs come back as layers) or a file path."""
    from qgis.core import QgsVectorLayer

    layer = output if isinstance(output, QgsVectorLayer) else QgsVectorLayer(output, "out", "ogr")
    return int(layer.featureCount())


if __name__ == "__main__":
    sys.exit(main())
