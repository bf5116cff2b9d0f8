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

    (out / "summary.json").write_text(json.dumps({"workspace": workspace.name, "steps": steps},
                                                 ensure_ascii=False, indent=2), encoding="utf-8")
    lines = ["# WPZF demo", "", f"Workspace: `{workspace}`", "", "| step | seconds | counts |", "|---|---|---|"]
    lines += [f"| {s['step']} | {s['seconds']} | {s['counts']} |" for s in steps]
    (out / "summary.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
