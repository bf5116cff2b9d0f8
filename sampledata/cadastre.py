"""宗地 (ZD): cadastral parcels on built-up land, the 不动产登记 evidence for legal patches."""
from __future__ import annotations

import numpy as np
import shapely

from .approvals import Approvals
from .codes import BUILT_UP, DLBM, DLMC, indices
from .dltb import Dltb
from .geo import official_area, rng_for
from .landuse import LandUse
from .names import COUNTY_CODE, company_names, person_names
from .towns import Admin
from .writers import Column

_NOT_PARCELLED = frozenset({"1004", "0810", "1201"})  # streets, parks, vacant land


def build_cadastre(admin: Admin, lu: LandUse, dltb: Dltb, supply: Approvals, seed: int) -> tuple[np.ndarray, list[Column]]:
    """One parcel per built-up DLTB polygon, plus one per land-supply parcel."""
    rng = rng_for(seed, "cadastre")
    pool = np.flatnonzero(np.isin(lu.code, indices(BUILT_UP - _NOT_PARCELLED)))
    pool = pool[~np.isin(dltb.bsm[pool], dltb.invalid_bsm)]
    inside = shapely.STRtree(supply.geoms).query(shapely.point_on_surface(lu.geoms[pool]), predicate="within")[0]
    pool = np.delete(pool, np.unique(inside))  # supplied parcels are registered from TDGY below
    code = np.array(DLBM, dtype=object)[lu.code[pool]]
    czcs = np.array(next(c.values for c in dltb.columns if c.name == "CZCSXM"), dtype=object)[pool]
    rural = np.isin(czcs, ["203", "204"])
    feature = np.where(code == "0702", "JC", np.where(rural, "JB", "GB"))
    public = np.isin(code, ["08H1", "08H2", "0809"])
    qlxz = np.where(feature == "JC", "宅基地", np.where(feature == "JB", "批准拨用", np.where(public, "划拨", "出让")))
    village = lu.village[pool]
    people = person_names(rng, len(pool))
    firms = company_names(rng, len(pool))
    collective = [admin.village_name[v] + "民委员会" if admin.village_name[v].endswith("村")
                  else admin.village_name[v] + "居民委员会" for v in village]
    owner = np.where(feature == "JC", people,
                     np.where((feature == "JB") & (rng.uniform(size=len(pool)) < 0.4), collective, firms))
    owner = np.where(public, "重庆市永川区人民政府机关事务管理局", owner)

    supply_cols = {c.name: list(c.values) for c in supply.columns}
    s_xy = shapely.get_coordinates(shapely.point_on_surface(supply.geoms))
    s_village = admin.village_of(s_xy[:, 0], s_xy[:, 1])
    s_village = np.where(s_village >= 0, s_village, 0)

    geoms = np.concatenate([lu.geoms[pool], supply.geoms])
    village = np.concatenate([village, s_village])
    feature = np.concatenate([feature, np.full(len(supply.geoms), "GB")])
    serial = np.zeros(len(geoms), dtype=int)
    for key in np.unique(village):
        idx = np.flatnonzero(village == key)
        serial[idx] = np.arange(1, len(idx) + 1)
    vcode = [admin.village_code[v] for v in village]
    zddm = [f"{COUNTY_CODE}{vc[6:9]}{vc[9:12]}{f}{s:05d}" for vc, f, s in zip(vcode, feature, serial)]
    place = [f"重庆市永川区{admin.towns[admin.village_town[v]].name}{admin.village_name[v]}" for v in village]
    columns = [
        Column("ZDDM", "str", zddm, 19),
        Column("QLR", "str", np.concatenate([owner, supply_cols["SRR"]]), 100),
        Column("QLXZ", "str", np.concatenate([qlxz, supply_cols["GYFS"]]), 20),
        Column("YT", "str", [DLMC[c] for c in code] + supply_cols["TDYT"], 30),
        Column("ZDMJ", "real", np.round(official_area(geoms), 2), 19, 2),
        Column("ZL", "str", place, 100),
    ]
    return geoms, columns
