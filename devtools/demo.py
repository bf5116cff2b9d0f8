"""`make demo`: build a sample district and run the main job on it, end to end.

Writes everything under --out (default demo/): the generated district, the
workspace GeoPackage, per-step reports and summary.md / summary.json.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from wpzf_bootstrap import register_plugin_package, start_qgis  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="full", choices=("small", "full"))
    parser.add_argument("--seed", type=int, default=20220513)
    parser.add_argument("--out", type=Path, default=Path("demo"))
    args = parser.parse_args(argv)
    register_plugin_package()
    from wpzf.sampledata import generate

    out: Path = args.out.resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    steps: list[dict] = []

    t0 = time.perf_counter()
    district = generate(out / "district", size=args.size, seed=args.seed)
    manifest = json.loads(Path(district.manifest).read_text(encoding="utf-8"))
    steps.append({"step": "generate sample district", "seconds": round(time.perf_counter() - t0, 1),
                  "counts": manifest.get("counts", {})})

    app = start_qgis()
    from wpzf.i18n import install_translator

    install_translator("zh_CN")  # the demo reads as a Chinese office's QGIS would (explanations, messages)
    from qgis import processing
    from qgis.core import QgsVectorFileWriter  # noqa: F401 - keeps GDAL drivers loaded

    workspace = out / "yongchuan2022.gpkg"
    received = {"2022-05": "2022-05-06", "2022-06": "2022-06-03"}
    for batch, path in sorted(district.batches.items()):
        t0 = time.perf_counter()
        report = out / f"import-report-{batch}.csv"
        result = processing.run("wpzf:importpatches", {
            "INPUT": str(path), "WORKSPACE": str(workspace), "BATCH": batch,
            "RECEIVED": received.get(batch, f"{batch}-05"), "REPORT": str(report),
        })
        steps.append({"step": f"import batch {batch} ({Path(path).name})",
                      "seconds": round(time.perf_counter() - t0, 1),
                      "counts": {k: result[k] for k in ("IMPORTED", "REPAIRED", "REJECTED", "DUPLICATE", "REISSUED")},
                      "report": report.name})

    t0 = time.perf_counter()  # deliveries carry XZQDM = 500118: towns and villages come from the boundaries
    divisions = processing.run("wpzf:importdivisions", {
        "WORKSPACE": str(workspace), "TOWNS": f"{district.xzq}|layername=XZQ",
        "VILLAGES": f"{district.xzq}|layername=CJDCQ"})
    steps.append({"step": "town and village boundaries (XZQ, CJDCQ); patches placed by the largest share",
                  "seconds": round(time.perf_counter() - t0, 1),
                  "counts": {k: divisions[k] for k in ("TOWNS", "VILLAGES", "ASSIGNED", "UNASSIGNED")}})

    patches = f"{workspace}|layername=jctb"
    landuse = f"{district.landuse}|layername=DLTB"
    t0 = time.perf_counter()
    occupation = processing.run("wpzf:farmlandoccupation", {
        "PATCHES": patches, "LANDUSE": landuse, "BASIC_FARMLAND": f"{district.landuse}|layername=YJJBNTTB",
        "OUTPUT": str(out / "farmland_occupation.gpkg"), "BREAKDOWN": str(out / "landclass_breakdown.csv")})
    totals = _farmland_totals(occupation["OUTPUT"])
    steps.append({"step": "farmland occupation (ellipsoidal, official)", "seconds": round(time.perf_counter() - t0, 1),
                  "counts": totals, "report": "farmland_occupation.gpkg"})
    for layer, keys in (("NYDZY", ["PZWH"]), ("TDGY", ["GYWH"]), ("LSYD", ["PZWH"]), ("SSNYD", ["BABH"])):
        t0 = time.perf_counter()
        result = processing.run("wpzf:overlaysummary", {
            "PATCHES": patches, "OVERLAY": f"{district.approvals}|layername={layer}", "KEY_FIELDS": keys,
            "OUTPUT": str(out / f"overlay_{layer}.gpkg"), "DETAIL": str(out / f"overlay_{layer}_detail.csv")})
        covered = _covered_counts(result["OUTPUT"])
        steps.append({"step": f"overlay summary {layer} ({', '.join(keys)})",
                      "seconds": round(time.perf_counter() - t0, 1), "counts": covered})

    t0 = time.perf_counter()
    covers = [f"{district.approvals}|layername={layer}" for layer in ("NYDZY", "TDGY", "LSYD", "SSNYD")]
    prejudge = {"WORKSPACE": str(workspace), "LANDUSE": landuse,
                "BASIC_FARMLAND": f"{district.landuse}|layername=YJJBNTTB", "COVERS": covers,
                "OUTPUT": str(out / "prejudgement.csv")}
    judged = processing.run("wpzf:prejudge", prejudge)
    steps.append({"step": "legality pre-judgement (rule set 2022-chongqing)", "seconds": round(time.perf_counter() - t0, 1),
                  "counts": _suggestion_counts(judged["OUTPUT"]), "report": "prejudgement.csv"})
    t0 = time.perf_counter()  # nothing changed since: the stored overlay is reused, the suggestions are the same
    again = processing.run("wpzf:prejudge", {**prejudge, "OUTPUT": str(out / "prejudgement_rerun.csv")})
    same = _suggestion_counts(again["OUTPUT"]) == _suggestion_counts(judged["OUTPUT"])
    steps.append({"step": "pre-judgement again, inputs unchanged (stored overlay reused)",
                  "seconds": round(time.perf_counter() - t0, 1), "counts": {"same suggestions": same}})
    t0 = time.perf_counter()
    checked = processing.run("wpzf:qualitycheck", {
        "WORKSPACE": str(workspace), "TODAY": "2022-07-15", "OUTPUT": str(out / "quality_check.csv")})
    steps.append({"step": "quality check as of 2022-07-15", "seconds": round(time.perf_counter() - t0, 1),
                  "counts": {k: checked[k] for k in ("ERRORS", "WARNINGS", "CAN_SUBMIT")}, "report": "quality_check.csv"})

    steps += _reporting_steps(workspace, out, district, occupation["OUTPUT"])
    from demo_imagery import imagery_step

    steps.append(imagery_step(workspace, out, district, prejudge))
    from demo_mining import mining_step

    steps.append(mining_step(out, district))

    (out / "summary.json").write_text(json.dumps({"workspace": workspace.name, "steps": steps},
                                                 ensure_ascii=False, indent=2), encoding="utf-8")
    lines = ["# WPZF demo", "", f"Workspace: `{workspace}`", "", "| step | seconds | counts |", "|---|---|---|"]
    lines += [f"| {s['step']} | {s['seconds']} | {s['counts']} |" for s in steps]
    (out / "summary.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    from wpzf.i18n import remove_translator

    remove_translator()  # as the plugin does on unload, before QGIS shuts down
    app.exitQgis()
    return 0


def _reporting_steps(workspace: Path, out: Path, district, occupation_path: str) -> list[dict]:
    """The month's reporting: decisions, 一上, the city's 一下 list, 二上, 锁定, statistics, Excel, sample."""
    from demo_casework import OCCUPATION_FIELDS, city_problem_list, fill_decisions, progress_after_lock
    from qgis import processing
    from qgis.core import QgsVectorLayer

    steps = []
    layer = QgsVectorLayer(occupation_path, "occupation", "ogr")
    occupation = {f["JCBH"]: {n: f[n] for n in OCCUPATION_FIELDS} for f in layer.getFeatures()}
    t0 = time.perf_counter()
    counts = fill_decisions(workspace, "2022-05", occupation, "2022-05-18")
    steps.append({"step": "technicians' decisions for 2022-05 (suggestions accepted)",
                  "seconds": round(time.perf_counter() - t0, 1), "counts": counts})
    t0 = time.perf_counter()  # 层层审查 (工作方案 五(三)): 审核 of every decision, 审定 of the 违法 (立案: 重大) ones
    reviewed = processing.run("wpzf:reviewpatches", {
        "WORKSPACE": str(workspace), "BATCH": "2022-05", "STEP": 0, "REVIEWER": "李审核", "OPINION": "同意",
        "OUTPUT": str(out / "审核_2022-05.csv")})
    approved = processing.run("wpzf:reviewpatches", {
        "WORKSPACE": str(workspace), "BATCH": "2022-05", "EXPRESSION": "\"PDLX\" = '违法'", "STEP": 1,
        "REVIEWER": "王分管", "OPINION": "同意，已参与现场核查", "LEAD": True, "OUTPUT": str(out / "审定_2022-05.csv")})
    steps.append({"step": "review chain: 审核 of every decision, 审定 of the illegal ones",
                  "seconds": round(time.perf_counter() - t0, 1),
                  "counts": {"reviewed": reviewed["SIGNED"], "not_ready": reviewed["REFUSED"],
                             "approved": approved["SIGNED"]}, "report": "审核_2022-05.csv"})
    t0 = time.perf_counter()
    first = processing.run("wpzf:submitstage", {"WORKSPACE": str(workspace), "BATCH": "2022-05", "TODAY": "2022-05-20"})
    steps.append({"step": "submit 2022-05 as 一上 (quality check + snapshot)", "seconds": round(time.perf_counter() - t0, 1),
                  "counts": {"stage": first["STAGE"], "warnings": first["WARNINGS"], "sha256": first["SHA256"][:12]},
                  "report": Path(first["SNAPSHOT"]).relative_to(out).as_posix()})
    t0 = time.perf_counter()
    problems = city_problem_list(workspace, "2022-05", out / "一下问题图斑_2022-05.csv")
    fed = processing.run("wpzf:importfeedback", {"WORKSPACE": str(workspace), "BATCH": "2022-05", "INPUT": str(problems)})
    second = processing.run("wpzf:submitstage", {"WORKSPACE": str(workspace), "BATCH": "2022-05", "TODAY": "2022-06-10"})
    locked = processing.run("wpzf:setstage", {"WORKSPACE": str(workspace), "BATCH": "2022-05", "ACTION": 0})
    steps.append({"step": "city returns problems (一下), resubmit (二上), city locks", "seconds": round(time.perf_counter() - t0, 1),
                  "counts": {"marked": fed["MARKED"], "unknown_ids": fed["UNKNOWN"], "second": second["STAGE"],
                             "final": locked["STAGE"]}, "report": problems.name})
    t0 = time.perf_counter()
    after_lock = progress_after_lock(workspace, "2022-05")
    steps.append({"step": "rectification progress appended after the lock (dated records)",
                  "seconds": round(time.perf_counter() - t0, 1), "counts": after_lock})
    from demo_fieldwork import field_round_trip

    t0 = time.perf_counter()
    field = field_round_trip(workspace, out, "2022-05", district.imagery_after)
    steps.append({"step": "field package for 20 patches out (QField), visits and photos back in after the lock",
                  "seconds": round(time.perf_counter() - t0, 1), "counts": field, "report": "field_import_report.csv"})
    towns = f"{district.xzq}|layername=XZQ"
    t0 = time.perf_counter()
    stats = processing.run("wpzf:townstatistics", {"WORKSPACE": str(workspace), "PERIOD": "2022", "TOWNS": towns,
                                                   "OUTPUT": str(out / "town_statistics.csv")})
    steps.append({"step": f"town statistics 2022 as at {stats['AS_OF']} (ratio and thresholds)",
                  "seconds": round(time.perf_counter() - t0, 1),
                  "counts": {"as_of": stats["AS_OF"], "illegal_farmland_mu": round(stats["ILLEGAL_FARMLAND_MU"], 2),
                             "construction_farmland_mu": round(stats["CONSTRUCTION_FARMLAND_MU"], 2),
                             "legal_construction_mu": round(stats["LEGAL_CONSTRUCTION_MU"], 2),
                             "illegal_construction_mu": round(stats["ILLEGAL_CONSTRUCTION_MU"], 2),
                             "ratio": round(stats["RATIO"] or 0, 4), "ratio_exceeded": stats["RATIO_EXCEEDED"],
                             "after_rectification_mu": round(stats["AFTER_RECTIFICATION_MU"], 2),
                             "interview": stats["INTERVIEW"]}, "report": "town_statistics.csv"})
    print(f"违法占耕比例（截至 {stats['AS_OF']}）= 计入问责的违法占用耕地 {stats['ILLEGAL_FARMLAND_MU']:.2f} 亩 ÷ "
          f"新增建设用地占用耕地 {stats['CONSTRUCTION_FARMLAND_MU']:.2f} 亩（合法 {stats['LEGAL_CONSTRUCTION_MU']:.2f} + "
          f"违法 {stats['ILLEGAL_CONSTRUCTION_MU']:.2f}）= {100 * (stats['RATIO'] or 0):.2f}%")
    for line in stats["FINDINGS"].splitlines():
        print("  " + line)
    t0 = time.perf_counter()
    processing.run("wpzf:exportreport", {"WORKSPACE": str(workspace), "PERIOD": "2022", "TOWNS": towns,
                                         "OUTPUT": str(out / "卫片执法报表_2022.xlsx")})
    sample = processing.run("wpzf:sample", {"WORKSPACE": str(workspace), "PERIOD": "2022", "SIZE": 30, "SEED": 2022,
                                            "OUTPUT": str(out / "spot_check_sample.gpkg"),
                                            "PLAN": str(out / "spot_check_plan.json")})
    steps.append({"step": "Excel workbook and spot-check sample", "seconds": round(time.perf_counter() - t0, 1),
                  "counts": {"sampled": sample["SAMPLED"]}, "report": "卫片执法报表_2022.xlsx"})
    steps.append(_bulletin_step(workspace, out, towns))
    steps.append(_dossier_step(workspace, out))
    return steps


def _dossier_step(workspace: Path, out: Path) -> dict:
    """组卷归档 for 10 patches visited in the field (photos on their pages), then the 市级验收 self-check."""
    import sqlite3

    from qgis import processing

    with sqlite3.connect(workspace) as conn:
        visited = [r[0] for r in conn.execute(
            'SELECT DISTINCT p."JCBH" FROM jctb p JOIN wpzf_field_visit v ON v.patch_fid = p.fid '
            'ORDER BY p."JCBH" LIMIT 10')]
    t0 = time.perf_counter()
    listed = ", ".join(f"'{jcbh}'" for jcbh in visited)
    dossiers = processing.run("wpzf:exportdossier", {
        "WORKSPACE": str(workspace), "BATCH": "2022-05", "EXPRESSION": f'"JCBH" IN ({listed})',
        "OUTPUT_FOLDER": str(out / "卷宗")})
    check = processing.run("wpzf:acceptancecheck", {
        "WORKSPACE": str(workspace), "PERIOD": "2022-05", "OUTPUT": str(out / "验收自查_2022-05.csv"),
        "TOWNS": str(out / "验收自查_镇街合计_2022-05.csv")})
    return {"step": "dossiers of 10 visited patches (组卷归档) and the acceptance self-check (市级验收)",
            "seconds": round(time.perf_counter() - t0, 1),
            "counts": {"dossiers": dossiers["EXPORTED"], "pages": dossiers["PAGES"], "missing_listed": dossiers["MISSING"],
                       "patches_checked": check["PATCHES"], "incomplete": check["INCOMPLETE"],
                       "missing_items": check["ITEMS"], "can_accept": check["CAN_ACCEPT"]},
            "report": "验收自查_2022-05.csv"}


def _bulletin_step(workspace: Path, out: Path, towns: str) -> dict:
    """The leaders' view: the quarter and year bulletins (PDF, charts, map) and the annual summary draft."""
    from qgis import processing

    t0 = time.perf_counter()
    quarter = processing.run("wpzf:bulletin", {"WORKSPACE": str(workspace), "PERIOD": "2022-Q2", "TOWNS": towns,
                                               "OUTPUT": str(out / "工作通报_2022-Q2.pdf")})
    year = processing.run("wpzf:bulletin", {"WORKSPACE": str(workspace), "PERIOD": "2022", "TOWNS": towns,
                                            "OUTPUT": str(out / "工作通报_2022.pdf"),
                                            "OUTPUT_IMAGES": str(out / "通报图片")})
    processing.run("wpzf:annualsummary", {"WORKSPACE": str(workspace), "YEAR": 2022, "TOWNS": towns,
                                          "OUTPUT": str(out / "2022年卫片执法工作书面总结_初稿.docx")})
    return {"step": "bulletins (2022-Q2, 2022) and the annual summary draft", "seconds": round(time.perf_counter() - t0, 1),
            "counts": {"quarter_pages": quarter["PAGES"], "year_pages": year["PAGES"], "as_of": year["AS_OF"]},
            "report": "工作通报_2022.pdf"}


def _farmland_totals(path: str) -> dict:
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(path, "occupation", "ogr")
    rows = [(f["TBMJ"], f["GDMJ"], f["JBNTMJ"], f["XFBZ"]) for f in layer.getFeatures()]
    mu = 10000 / 15
    return {"patches": len(rows), "TBMJ_mu": round(sum(r[0] for r in rows) / mu, 2),
            "GDMJ_mu": round(sum(r[1] for r in rows) / mu, 2), "JBNTMJ_mu": round(sum(r[2] for r in rows) / mu, 2),
            "repaired": sum(r[3] for r in rows)}


def _covered_counts(path: str) -> dict:
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(path, "overlay", "ogr")
    shares = [f["FGBL"] for f in layer.getFeatures()]
    return {"patches": len(shares), "any_cover": sum(s > 0 for s in shares), "cover_ge_95pct": sum(s >= 0.95 for s in shares)}


def _suggestion_counts(path: str) -> dict:
    from collections import Counter

    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(path, "prejudgement", "ogr")
    return dict(Counter(f"{f['YPLX']}/{f['YPQX']}" for f in layer.getFeatures()))


if __name__ == "__main__":
    sys.exit(main())
