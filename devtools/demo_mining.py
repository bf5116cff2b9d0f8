"""Demo step: the sample district's 矿产卫片 batch (2022-07) pre-judged against its mining rights (issue 20).

Kept in a workspace of its own, so the demo's monthly figures stay those of the two land batches.
"""
from __future__ import annotations

import time
from collections import Counter
from pathlib import Path


def mining_step(out: Path, district) -> dict:
    """Import the mining batch, pre-judge it with 采矿权/探矿权 and the approvals; count the suggestions."""
    from qgis import processing
    from qgis.core import QgsVectorLayer

    t0 = time.perf_counter()
    workspace = out / "mining2022.gpkg"
    processing.run("wpzf:importpatches", {"INPUT": str(district.mining_batch), "WORKSPACE": str(workspace),
                                          "BATCH": "2022-07", "RECEIVED": "2022-07-05"})
    covers = [f"{district.mining}|layername={k}" for k in ("CKQ", "TKQ")] + [
        f"{district.approvals}|layername={k}" for k in ("NYDZY", "TDGY")]
    result = processing.run("wpzf:prejudge", {
        "WORKSPACE": str(workspace), "BATCH": "2022-07", "LANDUSE": f"{district.landuse}|layername=DLTB",
        "COVERS": covers, "OUTPUT": str(out / "prejudgement_mining.csv")})
    layer = QgsVectorLayer(result["OUTPUT"], "prejudgement_mining", "ogr")
    counts = Counter("/".join(v for v in (f["YPLX"], f["YPQX"], f["WFLX"]) if v) for f in layer.getFeatures())
    return {"step": "mining patches (矿产卫片 2022-07) against 采矿权/探矿权", "seconds": round(time.perf_counter() - t0, 1),
            "counts": dict(sorted(counts.items())), "report": "prejudgement_mining.csv"}
