"""`make bench`: WPZF's farmland occupation against what users do in QGIS today.

(a) native:extractbyexpression (farmland) + native:calculatevectoroverlaps, planar;
(b) wpzf:farmlandoccupation with every output (net per class, basic farmland on
both bases, ellipsoidal areas, BREAKDOWN). Each side runs twice: with
temporary layers (the Processing dialog's default, "[Create temporary layer]")
and with GeoPackage files; b/a is taken tmp against tmp and file against file
(target ≤ 0.5). A scale series (1×, 2×, 4×, 8× of 20,000 patches × 200,000
land-use polygons) and a "district" row (100,000 × 2,000,000) show growth:
"per unit" is seconds per (patch + land-use polygon) relative to the first
scale (1.00 = linear).

Memory: the peak over the run of the summed PSS (proportional set size,
/proc/PID/smaps_rollup) of the step's process and all its descendants (the
forked overlay workers), sampled every 0.1 s. PSS splits pages that parent
and forked workers share, so the sum is what the processes really occupy
together (summing each one's own peak RSS would count shared pages twice).

Memory is sampled in a separate run of each step, never in a timed one:
reading smaps_rollup walks a process's page tables under its memory-map lock
(5–9 ms per 1 GB process, measured), so sampling every 0.1 s took about a
sixth of a core from three-process (b) on two cores and stalled its
allocations — 17.44 s against 15.37 s for the same 8× step timed alone.

At scales up to --repeat-max-scale each of the four steps runs --repeat times,
alternating, and the median counts (one noisy run on a shared machine decides
nothing). Data is cached under bench/out/.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "devtools"))
from wpzf_bootstrap import register_plugin_package  # noqa: E402

BASE_PATCHES, BASE_LANDUSE = 20_000, 200_000
DISTRICT_PATCHES, DISTRICT_LANDUSE = 100_000, 2_000_000
VARIANTS = ("qgis-tmp", "qgis-file", "wpzf-tmp", "wpzf-file")
SAMPLE_SECONDS = 0.1


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (via /proc/PID/task/TID/children)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            pass
    return found


class TreeMemory:
    """Samples the summed PSS of a process tree in a thread; ``peak_mb`` once stopped."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_kb, self.peak_processes = pid, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            pids = _tree(self.pid)
            total = sum(_pss_kb(p) for p in pids)
            if total > self.peak_kb:
                self.peak_kb, self.peak_processes = total, len(pids)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> int:
        return round(self.peak_kb / 1024)


def step(name: str, data: Path, timeout: float | None = None, memory: bool = False) -> dict:
    """Run one step in its own process; its seconds and row count, and (``memory``) the tree's peak PSS.

    Sampling slows the step it samples (see the module's docstring): a run
    is either timed or sampled for memory.
    """
    proc = subprocess.Popen([sys.executable, str(HERE / "step.py"), name, str(data)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = TreeMemory(proc.pid) if memory else None
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:  # only timed runs have a timeout: no memory to report
        proc.kill()
        proc.communicate()
        return {"step": name, "seconds": None, "timeout": timeout, "peak_mb": None}
    finally:
        if sampler is not None:
            sampler.stop()
    if proc.returncode != 0:
        raise RuntimeError(f"{name} failed:\n{stdout[-3000:]}\n{stderr[-3000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    if sampler is not None:
        result.update(peak_mb=sampler.peak_mb, processes=sampler.peak_processes)
    return result


def median(found: list[dict]) -> dict:
    timed = [r for r in found if r["seconds"] is not None]
    if not timed:
        return found[0]
    ordered = sorted(timed, key=lambda r: r["seconds"])
    chosen = dict(ordered[len(ordered) // 2])
    chosen["all_seconds"] = [r["seconds"] for r in found]
    return chosen


def measure(data: Path, runs: int, variants, timeout: float | None = None) -> dict:
    """Each variant's median run among ``runs`` alternating timed runs (a shared machine is noisy),
    with the peak memory of one more run of it, sampled."""
    found: dict[str, list] = {v: [] for v in variants}
    for _ in range(max(runs, 1)):
        for variant in variants:
            found[variant].append(step(variant, data, timeout if variant.startswith("qgis") else None))
    chosen = {v: median(found[v]) for v in variants}
    for variant in variants:
        if chosen[variant]["seconds"] is None:  # timed out: not run again
            continue
        sampled = step(variant, data, memory=True)
        chosen[variant].update(peak_mb=sampled["peak_mb"], processes=sampled["processes"],
                               sampled_seconds=sampled["seconds"])
    return chosen


def dataset(name: str, patches: int, landuse: int, out: Path, seed: int) -> tuple[Path, float]:
    register_plugin_package()
    from wpzf.sampledata import generate

    data = out / name
    t0 = time.perf_counter()
    if not (data / "patches.gpkg").exists():
        generate(data / "district", size="bench", seed=seed, n_patches=patches, n_landuse=landuse)
        step("prepare", data)
    return data, time.perf_counter() - t0


def _s(result: dict | None) -> str:
    if result is None:
        return "-"
    if result["seconds"] is None:
        return f">{result['timeout']:.0f}"
    return f"{result['seconds']:.2f}"


def _ratio(b: dict | None, a: dict | None, key: str = "seconds") -> str:
    if not a or not b or not a.get(key) or b.get(key) is None:
        return "-"
    return f"{b[key] / a[key]:.2f}"


HEADER = (f"{'scale':>8} {'patches':>8} {'landuse':>9} | {'a-tmp s':>8} {'MB':>5} | {'a-file s':>8} {'MB':>5} | "
          f"{'b-tmp s':>8} {'MB':>5} | {'b-file s':>8} {'MB':>5} | {'b/a tmp':>7} {'b/a file':>8} {'cpu b/a':>7} "
          f"{'cpu file':>8} {'b main':>6} | {'per unit':>8}")


def line(row: dict, base: dict | None) -> str:
    r = row["results"]
    cells = []
    for v in VARIANTS:
        got = r.get(v)
        cells.append(f"{_s(got):>8} {(got or {}).get('peak_mb') or '-':>5}")
    per_unit = "-"
    base = base or (row if row["name"] == "x1" else None)
    b, base_b = r.get("wpzf-tmp"), base and base["results"].get("wpzf-tmp")
    if b and base_b and b["seconds"] and base_b["seconds"]:
        units = (row["patches"] + row["landuse"]) / (base["patches"] + base["landuse"])
        per_unit = f"{b['seconds'] / base_b['seconds'] / units:.2f}"
    return (f"{row['name']:>8} {row['patches']:>8} {row['landuse']:>9} | " + " | ".join(cells)
            + f" | {_ratio(r.get('wpzf-tmp'), r.get('qgis-tmp')):>7} {_ratio(r.get('wpzf-file'), r.get('qgis-file')):>8}"
            + f" {_ratio(r.get('wpzf-tmp'), r.get('qgis-tmp'), 'cpu_s'):>7}"
            + f" {_ratio(r.get('wpzf-file'), r.get('qgis-file'), 'cpu_s'):>8} {_main_share(r.get('wpzf-tmp')):>6}"
            + f" | {per_unit:>8}")


def _main_share(b: dict | None) -> str:
    """Share of (b)'s CPU seconds spent in its main process (the rest: the overlay workers)."""
    if not b or not b.get("cpu_s") or b.get("cpu_main_s") is None:
        return "-"
    return f"{b['cpu_main_s'] / b['cpu_s']:.2f}"


def _save(path: Path, rows: list[dict]) -> None:
    """Rows of this run replace those of the same name in the results file; the others stay."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        kept = [r for r in json.loads(path.read_text()) if r.get("name") not in {row["name"] for row in rows}]
    except (OSError, ValueError):
        kept = []
    order = {f"x{s}": s for s in range(1, 100)}
    path.write_text(json.dumps(sorted(kept + rows, key=lambda r: order.get(r["name"], 1000)), indent=2))


def _earlier_x1(path: Path) -> dict | None:
    """The x1 row of an earlier run (the per-unit base when this run skips x1)."""
    try:
        return next(r for r in json.loads(path.read_text()) if r.get("name") == "x1")
    except (OSError, ValueError, StopIteration, AttributeError):
        return None


def show(path: Path) -> int:
    """The table of every row in the results file (rows of several partial runs together)."""
    rows = json.loads(path.read_text())
    base = next((r for r in rows if r["name"] == "x1"), None)
    print(HEADER)
    for row in rows:
        print(line(row, base))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,2,4,8",
                        help="multiples of 20,000 patches × 200,000 polygons ('' for none)")
    parser.add_argument("--district", action=argparse.BooleanOptionalAction, default=True,
                        help="the 100,000 × 2,000,000 district row")
    parser.add_argument("--district-baseline", action=argparse.BooleanOptionalAction, default=True,
                        help="also run (a) on the district")
    parser.add_argument("--baseline-timeout", type=float, default=900.0,
                        help="seconds after which a district (a) run is stopped and shown as '>N'")
    parser.add_argument("--variants", default=",".join(VARIANTS), help="subset of " + ",".join(VARIANTS))
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--seed", type=int, default=20220513)
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each variant, alternating, at scales up to --repeat-max-scale; the median counts")
    parser.add_argument("--repeat-max-scale", type=int, default=2)
    parser.add_argument("--show", action="store_true", help="print the table of the results file and stop")
    args = parser.parse_args(argv)
    if args.show:
        return show(args.out / "results.json")
    variants = [v for v in args.variants.split(",") if v]
    unknown = set(variants) - set(VARIANTS)
    if unknown:
        parser.error(f"unknown variants: {', '.join(sorted(unknown))}")
    rows: list[dict] = []
    print(HEADER, flush=True)
    base = _earlier_x1(args.out / "results.json")
    plan = [(f"x{s}", BASE_PATCHES * s, BASE_LANDUSE * s, args.repeat if s <= args.repeat_max_scale else 1)
            for s in (int(s) for s in args.scales.split(",") if s)]
    if args.district:
        plan.append(("district", DISTRICT_PATCHES, DISTRICT_LANDUSE, 1))
    for name, n_patches, n_landuse, runs in plan:
        data, gen_s = dataset(name, n_patches, n_landuse, args.out, args.seed)
        wanted = [v for v in variants if name != "district" or args.district_baseline or v.startswith("wpzf")]
        results = measure(data, runs, wanted, args.baseline_timeout if name == "district" else None)
        row = {"name": name, "patches": n_patches, "landuse": n_landuse, "generate_s": round(gen_s, 1),
               "runs": runs, "results": results}
        rows.append(row)
        if name == "x1":
            base = row
        print(line(row, base), flush=True)
    _save(args.out / "results.json", rows)
    print(f"seconds: median of alternating runs up to x{args.repeat_max_scale} ({args.repeat} runs), single "
          "runs above; MB: peak PSS of the step's process and its forked workers together, in one more run of it "
          "(sampling slows a timed run); cpu b/a: CPU seconds (all processes) of b-tmp over a-tmp, cpu file: the same of b-file over a-file; b main: share of b-tmp's CPU "
          "seconds in its main process; per unit: b-tmp seconds per (patch + land-use polygon) vs x1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
