"""Command line: ``python -m sampledata OUT_DIR --size small|full|bench``."""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from .generator import generate
from .profiles import PROFILES


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv``, generate the district, print stage timings and counts."""
    parser = argparse.ArgumentParser(prog="sampledata", description="Generate a sample 永川区 dataset for WPZF.")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--size", choices=sorted(PROFILES), default="small")
    parser.add_argument("--seed", type=int, default=20220513)
    parser.add_argument("--patches", type=int, default=None, help="patches per batch (overrides the size)")
    parser.add_argument("--landuse", type=int, default=None, help="DLTB polygons (overrides the size)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    files = generate(args.out_dir, args.size, args.seed, args.patches, args.landuse,
                     progress=lambda stage, s: print(f"{stage:<20} {s:7.1f} s", flush=True))
    print(f"{'total':<20} {time.perf_counter() - start:7.1f} s")
    counts = json.loads(files.manifest.read_text(encoding="utf-8"))["counts"]
    print(" ".join(f"{k}={v}" for k, v in counts.items()))
    print(f"manifest: {files.manifest}")
    return 0
