"""The everyday steps at district size: patch list, pre-judgement (fresh and reused), statistics, Excel, maps.

`make bench` runs bench/run.py for the overlay; this script times what a
technician waits for on a 20,000-patch workspace (issue 16):

- ``wpzf:prejudge`` on the batch, first run (overlays and stores the overlay)
  and second run (inputs unchanged: reuses it) — suggestions must be equal;
- the patch list: the dock's rows (``load_rows``) into its table model and
  filter proxy, sorted by 监测编号, first screen of cells rendered;
- ``wpzf:townstatistics`` for 2022 (decisions filled as the demo does);
- ``wpzf:exportreport``: the real .xlsx workbook;
- ``wpzf:imagerychange`` on the batch with the district's images (0.5 m: ``bench/imagery_speed.py``);
- ``wpzf:printpatchmaps`` for ``--maps`` patches, one PDF each (seconds per page).

Data: the seed-reproducible sample district (``size="bench"``), cached under
``--out`` with a prepared workspace copied afresh for every run. Prints a
table and writes ``<out>/workflow.json``. Usage::

    .venv/bin/python bench/workflow.py [--patches 20000 --maps 100]
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "devtools"))
from wpzf_bootstrap import register_plugin_package, start_qgis  # noqa: E402

BATCH = "2022-05"
COVERS = ("NYDZY", "TDGY", "LSYD", "SSNYD")


class District:
    """Paths of a generated district (as wpzf.sampledata.generate lays them out)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.xzq, self.landuse, self.approvals = root / "xzq.gpkg", root / "sandiao.gpkg", root / "approvals.gpkg"
        self.before, self.after = root / "imagery" / "before.tif", root / "imagery" / "after.tif"
        self.batch = root / "batches" / BATCH / f"{BATCH}.geojson"


def district(data: Path, patches: int, landuse: int, seed: int) -> District:
    if not (data / "district" / "manifest.json").exists():
        register_plugin_package()
        from wpzf.sampledata import generate

        t0 = time.perf_counter()
        generate(data / "district", size="bench", seed=seed, n_patches=patches, n_landuse=landuse)
        print(f"generated {patches} patches × {landuse} land-use polygons in {time.perf_counter() - t0:.0f} s",
              flush=True)
    return District(data / "district")


def prepared_workspace(data: Path, d: District) -> Path:
    """Import, towns and villages, decisions accepted as the demo does — once; the runs use a copy."""
    base = data / "workspace_base.gpkg"
    if base.exists():
        return base
    from demo_casework import OCCUPATION_FIELDS, fill_decisions
    from qgis import processing
    from qgis.core import QgsVectorLayer

    t0 = time.perf_counter()
    work = data / "workspace_prepare.gpkg"
    for path in (work, data / "occupation.gpkg"):
        path.unlink(missing_ok=True)
    processing.run("wpzf:importpatches", {"INPUT": str(d.batch), "WORKSPACE": str(work), "BATCH": BATCH,
                                          "RECEIVED": "2022-05-06"})
    processing.run("wpzf:importdivisions", {"WORKSPACE": str(work), "TOWNS": f"{d.xzq}|layername=XZQ",
                                            "VILLAGES": f"{d.xzq}|layername=CJDCQ"})
    occupation = processing.run("wpzf:farmlandoccupation", {
        "PATCHES": f"{work}|layername=jctb", "LANDUSE": f"{d.landuse}|layername=DLTB",
        "BASIC_FARMLAND": f"{d.landuse}|layername=YJJBNTTB", "OUTPUT": str(data / "occupation.gpkg")})["OUTPUT"]
    prejudge(work, d, reuse=False)  # the suggestions the decisions accept …
    layer = QgsVectorLayer(occupation, "occupation", "ogr")
    figures = {f["JCBH"]: {n: f[n] for n in OCCUPATION_FIELDS} for f in layer.getFeatures()}
    fill_decisions(work, BATCH, figures, "2022-05-18")
    _forget_overlays(work)  # … but the timed first run must overlay
    shutil.move(str(work), str(base))
    print(f"prepared the workspace in {time.perf_counter() - t0:.0f} s", flush=True)
    return base


def _forget_overlays(workspace: Path) -> None:
    from wpzf.domain.workspace import overlay_cache
    from wpzf.domain.workspace.store import Workspace

    with Workspace.open(workspace) as ws:
        overlay_cache.forget(ws, BATCH)


def prejudge(workspace: Path, d: District, reuse: bool = True) -> dict:
    from qgis import processing

    result = processing.run("wpzf:prejudge", {
        "WORKSPACE": str(workspace), "BATCH": BATCH, "LANDUSE": f"{d.landuse}|layername=DLTB",
        "BASIC_FARMLAND": f"{d.landuse}|layername=YJJBNTTB", "REUSE_OVERLAY": reuse,
        "COVERS": [f"{d.approvals}|layername={n}" for n in COVERS], "OUTPUT": "memory:"})
    rows = {f["JCBH"]: (f["YPLX"], f["YPQX"], f["GZ"], f["YJ"]) for f in result["OUTPUT"].getFeatures()}
    return rows


def patch_list(workspace: Path) -> int:
    """What the dock does on opening a workspace: rows → model → proxy, sorted, first screen drawn."""
    from qgis.PyQt.QtCore import Qt

    from wpzf.adapters.workspaces import open_workspace
    from wpzf.domain.workbench.patch_rows import load_rows
    from wpzf.ui.patch_list.model import PatchFilterProxy, PatchTableModel

    with open_workspace(str(workspace)) as ws:
        rows = load_rows(ws.conn)
    model, proxy = PatchTableModel(), PatchFilterProxy()
    proxy.setSourceModel(model)
    model.set_rows(rows)
    proxy.refilter()
    proxy.sort(0, Qt.AscendingOrder)
    for r in range(min(40, proxy.rowCount())):
        for c in range(proxy.columnCount()):
            proxy.data(proxy.index(r, c))
    return proxy.rowCount()


def timed(label: str, fn, results: list, **extra):
    t0 = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - t0
    results.append({"step": label, "seconds": round(seconds, 2), **extra})
    print(f"  {label}: {seconds:.2f} s", flush=True)
    return value, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--patches", type=int, default=20_000, help="patches in the batch")
    parser.add_argument("--landuse", type=int, default=0, help="land-use polygons (default 10 × patches)")
    parser.add_argument("--maps", type=int, default=100, help="patch maps to print")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "workflow")
    parser.add_argument("--seed", type=int, default=20220513)
    args = parser.parse_args(argv)
    landuse = args.landuse or 10 * args.patches
    data = args.out / f"p{args.patches}_l{landuse}"
    d = district(data, args.patches, landuse, args.seed)
    app = start_qgis()
    from qgis import processing

    base = prepared_workspace(data, d)
    workspace = data / "workspace.gpkg"
    shutil.copyfile(base, workspace)
    run = data / "run"
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir()
    results: list[dict] = []
    print(f"workflow at {args.patches} patches × {landuse} land-use polygons, {args.maps} maps:", flush=True)
    fresh, fresh_s = timed("prejudge, first run (overlay)", lambda: prejudge(workspace, d), results)
    reused, reuse_s = timed("prejudge, inputs unchanged (reuse)", lambda: prejudge(workspace, d), results)
    if reused != fresh:
        raise SystemExit("the reused pre-judgement differs from the fresh one")
    results[-1]["identical"] = True
    timed("patch list (rows, model, proxy, sort)", lambda: patch_list(workspace), results, rows=args.patches)
    towns = f"{d.xzq}|layername=XZQ"
    timed("statistics (wpzf:townstatistics 2022)", lambda: processing.run("wpzf:townstatistics", {
        "WORKSPACE": str(workspace), "PERIOD": "2022", "TOWNS": towns, "OUTPUT": str(run / "statistics.csv")}),
        results)
    xlsx = run / "report_2022.xlsx"
    timed("Excel export (wpzf:exportreport)", lambda: processing.run("wpzf:exportreport", {
        "WORKSPACE": str(workspace), "PERIOD": "2022", "TOWNS": towns, "OUTPUT": str(xlsx)}), results)
    results[-1]["bytes"] = xlsx.stat().st_size
    screened, _ = timed("imagery screening (wpzf:imagerychange)", lambda: processing.run("wpzf:imagerychange", {
        "WORKSPACE": str(workspace), "BATCH": BATCH, "BEFORE": str(d.before), "AFTER": str(d.after),
        "OUTPUT": "memory:"}), results)
    results[-1]["scored"] = int(screened["MEASURED"])  # 0.5 m images: bench/imagery_speed.py
    printed, print_s = timed(f"patch maps, {args.maps} (wpzf:printpatchmaps)", lambda: processing.run(
        "wpzf:printpatchmaps", {
            "WORKSPACE": str(workspace), "BATCH": BATCH, "EXPRESSION": f"$id <= {args.maps}",
            "BEFORE": str(d.before), "AFTER": str(d.after), "LANDUSE": f"{d.landuse}|layername=DLTB",
            "BASIC_FARMLAND": f"{d.landuse}|layername=YJJBNTTB",
            "APPROVALS": [f"{d.approvals}|layername={n}" for n in ("NYDZY", "TDGY")],
            "TOWNS": towns, "VILLAGES": f"{d.xzq}|layername=CJDCQ", "OFFICE": "重庆市永川区规划和自然资源局",
            "OUTPUT_FOLDER": str(run / "maps")}), results)
    pages = int(printed["PAGES"] or 0)
    results[-1].update(maps=int(printed["PRINTED"] or 0), pages=pages,
                       seconds_per_page=round(print_s / max(pages, 1), 3),
                       seconds_per_map=round(print_s / max(int(printed["PRINTED"] or 0), 1), 3))
    print(f"\n{'step':<46} {'seconds':>8}  note")
    for r in results:
        note = ""
        if "pages" in r:
            note = f"{r['maps']} maps, {r['pages']} pages, {r['seconds_per_page']} s/page"
        elif "identical" in r:
            note = f"{fresh_s / max(reuse_s, 1e-9):.0f}× faster, suggestions identical"
        elif "rows" in r:
            note = f"{r['rows']} rows"
        elif "bytes" in r:
            note = f"{r['bytes'] / 1e6:.1f} MB .xlsx"
        elif "scored" in r:
            note = f"{r['scored']} patches scored"
        print(f"{r['step']:<46} {r['seconds']:>8.2f}  {note}")
    summary = {"patches": args.patches, "landuse": landuse, "maps": args.maps, "steps": results}
    (args.out / "workflow.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nwritten {args.out / 'workflow.json'}")
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
