"""generate(): build the whole sample district and write every file plus a manifest."""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from osgeo import ogr

from .approvals import build_approvals
from .batches import Batch, build_batches
from .cadastre import build_cadastre
from .dltb import build_dltb, build_jbnt
from .geo import EPSG_GEO, EPSG_GK, geoms_to_lonlat, official_area, to_lonlat
from .imagery import write_imagery
from .landuse import build_landuse
from .mining import PERIOD as MINING_PERIOD
from .mining import build_mining
from .names import COUNTY_CODE
from .profiles import resolve
from .terrain import Terrain
from .towns import Admin, build_admin
from .writers import Column, create_gpkg, write_gbk_shapefile, write_geojson, write_layer


@dataclass(frozen=True)
class DistrictFiles:
    """Every path produced, plus the manifest describing what was planted where."""

    root: Path
    xzq: Path
    landuse: Path
    approvals: Path
    cadastre: Path
    imagery_before: Path
    imagery_after: Path
    batches: dict[str, Path]
    manifest: Path
    mining: Path
    """采矿权 CKQ and 探矿权 TKQ layers (issue 20)."""
    mining_batch: Path
    """The 矿产卫片 batch 2022-07 (JCLB 矿产), kept apart from ``batches``."""


def _paths(root: Path) -> DistrictFiles:
    return DistrictFiles(
        root=root,
        xzq=root / "xzq.gpkg",
        landuse=root / "sandiao.gpkg",
        approvals=root / "approvals.gpkg",
        cadastre=root / "cadastre.gpkg",
        imagery_before=root / "imagery" / "before.tif",
        imagery_after=root / "imagery" / "after.tif",
        batches={
            "2022-05": root / "batches" / "2022-05" / "2022-05.geojson",
            "2022-06": root / "batches" / "2022-06" / f"{COUNTY_CODE}2022-06.shp",
        },
        manifest=root / "manifest.json",
        mining=root / "mining.gpkg",
        mining_batch=root / "batches" / MINING_PERIOD / f"{MINING_PERIOD}.geojson",
    )


def _write_admin(path: Path, admin: Admin) -> None:
    ds = create_gpkg(path)
    write_layer(ds, "XZQ", EPSG_GK, ogr.wkbMultiPolygon, admin.town_geom, [
        Column("XZQDM", "str", [t.code for t in admin.towns], 12),
        Column("XZQMC", "str", [t.name for t in admin.towns], 100),
        Column("DCMJ", "real", np.round(official_area(admin.town_geom), 2), 19, 2),
    ])
    write_layer(ds, "CJDCQ", EPSG_GK, ogr.wkbMultiPolygon, admin.village_geom, [
        Column("ZLDWDM", "str", admin.village_code, 19),
        Column("ZLDWMC", "str", admin.village_name, 100),
        Column("DCMJ", "real", np.round(official_area(admin.village_geom), 2), 19, 2),
    ])
    ds = None


def _batch_manifest(files: DistrictFiles, batch: Batch, encoding: str, epsg: int) -> dict[str, object]:
    return {
        "file": files.batches[batch.period].relative_to(files.root).as_posix(),
        "crs": f"EPSG:{epsg}",
        "encoding": encoding,
        "count": len(batch.jcbh),
        "invalid": batch.invalid,
        "invalid_kind": batch.invalid_kind,
        "multipart": batch.multipart,
        "holed": batch.holed,
        "reissued": batch.reissued,
        "in_approvals": batch.in_approvals,
        "placement": dict(zip(batch.jcbh, batch.kind)),
    }


def generate(
    out_dir: Path,
    size: str = "small",
    seed: int = 20220513,
    n_patches: int | None = None,
    n_landuse: int | None = None,
    *,
    progress: Callable[[str, float], None] | None = None,
) -> DistrictFiles:
    """Generate a seed-reproducible sample of 永川区 under ``out_dir``.

    Same seed and size → identical attributes and geometries. ``n_patches`` (per batch)
    and ``n_landuse`` (DLTB polygons) override the size profile for scale series.
    ``progress(stage, seconds)`` is called after each stage.
    """
    profile = resolve(size, n_patches, n_landuse)
    files = _paths(Path(out_dir))
    files.root.mkdir(parents=True, exist_ok=True)
    clock = time.perf_counter()

    def done(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        if progress:
            progress(stage, now - clock)
        clock = now

    admin = build_admin(profile, seed)
    terrain = Terrain(admin, seed)
    done("towns")
    lu = build_landuse(admin, terrain, profile, seed)
    dltb = build_dltb(admin, terrain, lu, seed)
    jbnt = build_jbnt(admin, lu, dltb, seed)
    done("landuse")
    approvals = build_approvals(admin, terrain, lu, profile.n_patches, seed)
    zd_geoms, zd_columns = build_cadastre(admin, lu, dltb, approvals["TDGY"], seed)
    batches = build_batches(admin, lu, approvals, profile.n_patches, seed)
    mining = build_mining(admin, lu, shapely.make_valid(np.concatenate([b.geoms for b in batches])), seed)
    done("approvals+patches")

    _write_admin(files.xzq, admin)
    ds = create_gpkg(files.landuse)
    write_layer(ds, "DLTB", EPSG_GK, ogr.wkbPolygon, dltb.geoms, dltb.columns)
    write_layer(ds, "YJJBNTTB", EPSG_GK, ogr.wkbPolygon, jbnt.geoms, jbnt.columns)
    ds = None
    ds = create_gpkg(files.approvals)
    for layer in approvals.values():
        write_layer(ds, layer.name, EPSG_GK, ogr.wkbPolygon, layer.geoms, layer.columns)
    ds = None
    ds = create_gpkg(files.cadastre)
    write_layer(ds, "ZD", EPSG_GK, ogr.wkbPolygon, zd_geoms, zd_columns)
    ds = None
    may, june = batches
    write_geojson(files.batches[may.period], may.period, EPSG_GEO, geoms_to_lonlat(may.geoms), may.columns)
    write_gbk_shapefile(files.batches[june.period], EPSG_GK, june.geoms, june.columns)
    ds = create_gpkg(files.mining)
    write_layer(ds, "CKQ", EPSG_GK, ogr.wkbPolygon, mining.ckq_geoms, mining.ckq_columns)
    write_layer(ds, "TKQ", EPSG_GK, ogr.wkbPolygon, mining.tkq_geoms, mining.tkq_columns)
    ds = None
    write_geojson(files.mining_batch, MINING_PERIOD, EPSG_GEO, geoms_to_lonlat(mining.geoms), mining.columns)
    done("write vectors")

    all_patches = np.concatenate([may.geoms, june.geoms])
    on_road = np.array(may.kind + june.kind) == "road"
    width, height, pixel, shown = write_imagery(files.imagery_before, files.imagery_after, files.landuse, admin,
                                                profile, all_patches, on_road, seed)
    done("imagery")

    bounds = admin.district.bounds
    lon, lat = to_lonlat(np.array(bounds[0::2]), np.array(bounds[1::2]))
    manifest = {
        "generator": "wpzf.sampledata",
        "seed": seed,
        "size": size,
        "crs": {"working": f"EPSG:{EPSG_GK}", "batch_2022_05": f"EPSG:{EPSG_GEO}"},
        "bbox": {f"EPSG:{EPSG_GK}": [round(v, 3) for v in bounds],
                 f"EPSG:{EPSG_GEO}": [round(float(lon[0]), 6), round(float(lat[0]), 6),
                                      round(float(lon[1]), 6), round(float(lat[1]), 6)]},
        "district_area_m2": round(float(official_area(np.array([admin.district]))[0]), 2),
        "files": {k: getattr(files, k).relative_to(files.root).as_posix() for k in
                  ("xzq", "landuse", "approvals", "cadastre", "imagery_before", "imagery_after")},
        "counts": {
            "XZQ": len(admin.towns), "CJDCQ": len(admin.village_code), "DLTB": len(dltb.geoms),
            "YJJBNTTB": len(jbnt.geoms), **{k: len(a.geoms) for k, a in approvals.items()}, "ZD": len(zd_geoms),
            **{f"batch_{b.period}": len(b.jcbh) for b in batches},
        },
        "imagery": {"width": width, "height": height, "pixel_m": round(pixel, 3), "bands": "RGB uint8",
                    # JCBH → construction / cleared / unchanged / recultivated (sampledata.imagery)
                    "changes": dict(zip(may.jcbh + june.jcbh, shown))},
        "dltb_invalid_bsm": dltb.invalid_bsm,
        "yjjbnttb_duplicates": jbnt.duplicate_bh,
        # 矿产卫片 (issue 20): outside "counts" and "batches", which describe the monthly deliveries
        "mining": {"files": {"licences": files.mining.relative_to(files.root).as_posix(),
                             "batch": files.mining_batch.relative_to(files.root).as_posix()},
                   "counts": {"CKQ": len(mining.ckq_geoms), "TKQ": len(mining.tkq_geoms),
                              f"batch_{MINING_PERIOD}": len(mining.geoms)},
                   "planted": mining.planted},
        "batches": {
            may.period: _batch_manifest(files, may, "UTF-8", EPSG_GEO),
            june.period: _batch_manifest(files, june, "GBK (no .cpg, DBF language driver 0)", EPSG_GK),
        },
    }
    files.manifest.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    done("manifest")
    return files
