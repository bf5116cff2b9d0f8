"""The demo's imagery pre-screening step (issue 22): what the screening changed, checked against the generator.

The sample district's images place, per patch, construction, cleared land, unchanged
ground and re-cultivated land (manifest ``imagery.changes``). The step pre-judges the
workspace without imagery, runs wpzf:imagerychange on every batch, pre-judges again,
and counts the suggestions the screening changed and how many of them agree with what
the generator placed.
"""
from __future__ import annotations

import json
import time
from pathlib import Path


def _rows(path: str) -> dict[str, tuple[str, str, str]]:
    """JCBH → (suggested PDLX, JTQX, evidence JSON) of a wpzf:prejudge output."""
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(path, "prejudge", "ogr")
    return {str(f["JCBH"]): (str(f["YPLX"]), str(f["YPQX"]), str(f["YJ"])) for f in layer.getFeatures()}


def imagery_step(workspace: Path, out: Path, district, prejudge: dict) -> dict:
    """Screen every batch, pre-judge again, and compare with the placements; one summary step."""
    from qgis import processing

    placed = json.loads(Path(district.manifest).read_text(encoding="utf-8"))["imagery"]["changes"]
    t0 = time.perf_counter()
    before = _rows(processing.run("wpzf:prejudge", {**prejudge, "OUTPUT": str(out / "prejudgement_no_imagery.csv")})
                   ["OUTPUT"])
    screened = processing.run("wpzf:imagerychange", {
        "WORKSPACE": str(workspace), "BEFORE": str(district.imagery_before), "AFTER": str(district.imagery_after),
        "OUTPUT": str(out / "imagery_change.csv")})
    after = _rows(processing.run("wpzf:prejudge", {**prejudge, "OUTPUT": str(out / "prejudgement_imagery.csv")})
                  ["OUTPUT"])
    findings: dict[str, list[str]] = {}
    for jcbh, (_, _, evidence) in after.items():
        finding = json.loads(evidence or "{}").get("imagery", {}).get("finding")
        if finding:
            findings.setdefault(finding, []).append(jcbh)
    changed = [j for j in after if after[j][:2] != before.get(j, ("", "", ""))[:2]]
    unchanged = findings.get("实地未变化", [])
    regrown = findings.get("可能已复耕", [])
    return {"step": "imagery pre-screening (wpzf:imagerychange) and pre-judgement with it",
            "seconds": round(time.perf_counter() - t0, 1), "report": "imagery_change.csv",
            "counts": {"scored": screened["MEASURED"], "stored": screened["STORED"],
                       "suggestions changed": len(changed),
                       "to 实地未变化": len(unchanged),
                       "of which placed unchanged": sum(placed.get(j) == "unchanged" for j in unchanged),
                       "placed unchanged": sum(v == "unchanged" for v in placed.values()),
                       "违法 backed by change": len(findings.get("变化明显", [])),
                       "可能已复耕 noted": len(regrown),
                       "of which placed recultivated": sum(placed.get(j) == "recultivated" for j in regrown)}}
