"""`make bench`: WPZF's farmland occupation against what users do in QGIS today.

(a) native:extractbyexpression (farmland) + native:calculatevectoroverlaps, planar;
(b) wpzf:farmlandoccupation with every output, ellipsoidal (official areas).
Both run on the same generated files in this run; the ratio b/a is the figure
of merit (target ≤ 0.5). A scale series (1×, 2×, 4×, 8×) prints time and peak
memory per step to show near-linear growth; (b) also shows the peak of its
largest forked overlay worker (which shares most pages with (b)'s own process).
At the small scales each step runs three times, alternating, and the
median counts (one noisy run on a shared machine decides nothing). Data is
cached under bench/out/.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "devtools"))
from wpzf_bootstrap import register_plugin_package  # noqa: E402

BASE_PATCHES, BASE_LANDUSE = 20_000, 200_000


def step(name: str, data: Path) -> dict:
    proc = subprocess.run([sys.executable, str(HERE / "step.py"), name, str(data)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{name} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def median_run(data: Path, runs: int) -> tuple[dict, dict]:
    """(a) and (b), each the run of median time among ``runs`` alternating runs (a shared machine is noisy)."""
    a_runs, b_runs = [], []
    for _ in range(max(runs, 1)):
        a_runs.append(step("qgis", data))
        b_runs.append(step("wpzf", data))

    def median(found: list[dict]) -> dict:
        ordered = sorted(found, key=lambda r: r["seconds"])
        chosen = dict(ordered[len(ordered) // 2])
        chosen["all_seconds"] = [r["seconds"] for r in found]
        return chosen

    return median(a_runs), median(b_runs)


def dataset(scale: int, out: Path, seed: int) -> tuple[Path, float]:
    register_plugin_package()
    from wpzf.sampledata import generate

    data = out / f"x{scale}"
    t0 = time.perf_counter()
    if not (data / "patches.gpkg").exists():
        generate(data / "district", size="bench", seed=seed,
                 n_patches=BASE_PATCHES * scale, n_landuse=BASE_LANDUSE * scale)
        step("prepare", data)
    return data, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="1,2,4,8", help="multiples of 20,000 patches × 200,000 polygons")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--seed", type=int, default=20220513)
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of (a) and (b), alternating, at scales up to --repeat-max-scale; the median counts")
    parser.add_argument("--repeat-max-scale", type=int, default=2)
    args = parser.parse_args(argv)
    rows = []
    print(f"{'scale':>5} {'patches':>8} {'landuse':>9} {'(a) QGIS s':>10} {'MB':>6} "
          f"{'(b) WPZF s':>10} {'MB':>6} {'worker MB':>9} {'b/a':>6}", flush=True)
    for scale in (int(s) for s in args.scales.split(",")):
        data, gen_s = dataset(scale, args.out, args.seed)
        runs = args.repeat if scale <= args.repeat_max_scale else 1
        a, b = median_run(data, runs)
        ratio = b["seconds"] / a["seconds"]
        rows.append({"scale": scale, "patches": BASE_PATCHES * scale, "landuse": BASE_LANDUSE * scale,
                     "generate_s": round(gen_s, 1), "qgis": a, "wpzf": b, "ratio": round(ratio, 3)})
        print(f"{scale:>5} {BASE_PATCHES * scale:>8} {BASE_LANDUSE * scale:>9} {a['seconds']:>10.1f} "
              f"{a['peak_mb']:>6} {b['seconds']:>10.1f} {b['peak_mb']:>6} {b['worker_peak_mb']:>9} {ratio:>6.2f}",
              flush=True)
    (args.out / "results.json").write_text(json.dumps(rows, indent=2))
    base = rows[0]
    for row in rows[1:]:
        growth = row["wpzf"]["seconds"] / base["wpzf"]["seconds"] / (row["scale"] / base["scale"])
        print(f"x{row['scale']}: WPZF time per unit of data vs x{base['scale']}: {growth:.2f} (1.00 = linear)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
