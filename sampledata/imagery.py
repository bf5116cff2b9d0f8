"""Before/after RGB GeoTIFFs coloured by land class; the after image shows the patches.

Good enough to look at and to put in case-file maps: class colours plus low-frequency
variation and pixel noise, so the images read like imagery rather than a legend.

What each patch shows is placed on purpose and recorded (``IMAGERY_CHANGES``), so the
imagery screening (wpzf:imagerychange) can be checked against it: most patches are
construction (roofs, concrete) or cleared land (bare soil) on the after image; some are
unchanged (a false change, 伪变化: both images alike); some were bare soil on the before
image and carry crops again on the after image (re-cultivated, 复耕).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely
from osgeo import gdal, ogr

from .codes import COLOUR_GROUP
from .geo import EPSG_GK, rng_for, srs
from .noise import Field
from .profiles import SizeProfile
from .towns import Admin

gdal.UseExceptions()

PALETTE = np.array([
    (118, 140, 92),   # 0 outside the district: mixed countryside
    (104, 140, 86),   # 1 paddy
    (152, 150, 102),  # 2 dry land
    (88, 128, 66),    # 3 orchard, tea
    (40, 80, 44),     # 4 forest
    (96, 120, 72),    # 5 shrub, grass, field banks
    (152, 150, 148),  # 6 urban buildings
    (122, 142, 168),  # 7 industrial roofs
    (160, 142, 126),  # 8 rural houses
    (112, 112, 110),  # 9 paved roads
    (176, 166, 150),  # 10 village roads
    (50, 72, 94),     # 11 water
    (214, 220, 222),  # 12 greenhouses
    (186, 160, 128),  # 13 bare soil, quarries
    (72, 122, 62),    # 14 parks
    (96, 90, 86),     # 15 railway
], dtype=np.float32)
# new construction in the after image: bare soil, blue roofs, white roofs, concrete
CHANGE_COLOURS = np.array([(200, 172, 136), (70, 122, 192), (226, 226, 221), (192, 192, 186)], dtype=np.float32)
CROPS = 4  # index into PAINT: crops back on re-cultivated land (the paddy colour)
PAINT = np.vstack([CHANGE_COLOURS, PALETTE[1:2]])
CONSTRUCTION, CLEARED, UNCHANGED, RECULTIVATED = "construction", "cleared", "unchanged", "recultivated"
IMAGERY_CHANGES = (CONSTRUCTION, CLEARED, UNCHANGED, RECULTIVATED)
"""What a patch shows between the images (manifest ``imagery.changes``: JCBH → one of these)."""
UNCHANGED_SHARE, RECULTIVATED_SHARE = 0.15, 0.10  # of the patches not on roads
BLOCK_ROWS = 512


def _grid(admin: Admin, profile: SizeProfile) -> tuple[tuple[float, ...], int, int]:
    minx, miny, maxx, maxy = admin.district.bounds
    pad = 0.02 * max(maxx - minx, maxy - miny)
    minx, miny, maxx, maxy = minx - pad, miny - pad, maxx + pad, maxy + pad
    px = profile.pixel_m or max(maxx - minx, maxy - miny) / profile.image_px
    width, height = int(np.ceil((maxx - minx) / px)), int(np.ceil((maxy - miny) / px))
    return (minx, px, 0.0, maxy, 0.0, -px), width, height


def _mem(width: int, height: int, gt: tuple[float, ...]) -> gdal.Dataset:
    ds = gdal.GetDriverByName("MEM").Create("", width, height, 1, gdal.GDT_Byte)
    ds.SetGeoTransform(gt)
    ds.SetProjection(srs(EPSG_GK).ExportToWkt())
    return ds


def _land_classes(sandiao: Path, width: int, height: int, gt: tuple[float, ...]) -> np.ndarray:
    cases = " ".join(f"WHEN '{code}' THEN {g}" for code, g in COLOUR_GROUP.items())
    ds = _mem(width, height, gt)
    gdal.Rasterize(ds, str(sandiao), SQLStatement=f"SELECT geom, CASE DLBM {cases} ELSE 0 END AS grp FROM DLTB",
                   attribute="grp")
    return ds.GetRasterBand(1).ReadAsArray()


def _change_mask(geoms: np.ndarray, colour: np.ndarray, width: int, height: int, gt: tuple[float, ...]) -> np.ndarray:
    """Raster of change colour index + 1 under each patch (0 elsewhere)."""
    vec = ogr.GetDriverByName("Memory").CreateDataSource("")
    layer = vec.CreateLayer("p", srs(EPSG_GK), ogr.wkbMultiPolygon)
    layer.CreateField(ogr.FieldDefn("c", ogr.OFTInteger))
    for wkb, c in zip(shapely.to_wkb(shapely.make_valid(geoms)), colour.tolist()):
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetField(0, c + 1)
        f.SetGeometryDirectly(ogr.CreateGeometryFromWkb(wkb))
        layer.CreateFeature(f)
    ds = _mem(width, height, gt)
    gdal.RasterizeLayer(ds, [1], layer, options=["ATTRIBUTE=c", "ALL_TOUCHED=TRUE"])
    return ds.GetRasterBand(1).ReadAsArray()


def _write_tif(path: Path, rgb: np.ndarray, gt: tuple[float, ...]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    height, width = rgb.shape[1:]
    opts = ["TILED=YES", "COMPRESS=DEFLATE", "PREDICTOR=2", "PHOTOMETRIC=RGB", "NUM_THREADS=ALL_CPUS"]
    ds = gdal.GetDriverByName("GTiff").Create(str(path), width, height, 3, gdal.GDT_Byte, opts)
    ds.SetGeoTransform(gt)
    ds.SetProjection(srs(EPSG_GK).ExportToWkt())
    for b in range(3):
        ds.GetRasterBand(b + 1).WriteArray(rgb[b])
    levels, size = [], max(width, height)
    while size // 2 ** (len(levels) + 1) >= 256:
        levels.append(2 ** (len(levels) + 1))
    ds.BuildOverviews("AVERAGE", levels or [2])
    ds = None


def write_imagery(
    before: Path, after: Path, sandiao: Path, admin: Admin, profile: SizeProfile,
    patch_geoms: np.ndarray, patch_on_road: np.ndarray, seed: int,
) -> tuple[int, int, float, list[str]]:
    """Write both images; returns (width, height, pixel size in metres, what each patch shows)."""
    rng = rng_for(seed, "imagery")
    gt, width, height = _grid(admin, profile)
    classes = _land_classes(sandiao, width, height, gt)
    tone = Field(rng, admin.district.bounds, 400.0, 3)
    rgb = np.empty((3, height, width), dtype=np.uint8)
    xs = gt[0] + (np.arange(width) + 0.5) * gt[1]
    for r0 in range(0, height, BLOCK_ROWS):
        rows = slice(r0, min(r0 + BLOCK_ROWS, height))
        ys = gt[3] + (np.arange(rows.start, rows.stop) + 0.5) * gt[5]
        gx, gy = np.meshgrid(xs, ys)
        base = PALETTE[classes[rows]]
        shade = 1.0 + 0.12 * tone(gx, gy)[..., None]
        noise = rng.normal(0.0, 4.0, base.shape).astype(np.float32)
        rgb[:, rows] = np.clip(base * shade + noise, 0, 255).astype(np.uint8).transpose(2, 0, 1)

    colour = np.where(patch_on_road, 3, rng.choice(3, len(patch_geoms), p=[0.5, 0.25, 0.25]))
    kinds = _placed_changes(rng_for(seed, "imagery-changes"), colour, patch_on_road)
    _paint(rgb, patch_geoms, np.where(kinds == RECULTIVATED, 0, -1), gt, rng)  # bare soil before crops return
    _write_tif(before, rgb, gt)
    colour = _visible(rgb, patch_geoms, colour, gt)
    built = np.isin(kinds, (CONSTRUCTION, CLEARED))
    kinds[built] = np.where(colour[built] == 0, CLEARED, CONSTRUCTION)

    after_colour = np.where(kinds == RECULTIVATED, CROPS, np.where(kinds == UNCHANGED, -1, colour))
    _paint(rgb, patch_geoms, after_colour, gt, rng)
    _write_tif(after, rgb, gt)
    return width, height, float(gt[1]), [str(k) for k in kinds]


def _visible(rgb: np.ndarray, geoms: np.ndarray, colour: np.ndarray, gt: tuple[float, ...]) -> np.ndarray:
    """``colour``, with white roofs where the chosen paint would not show against the ground already there.

    Bare soil painted on a quarry, or grey concrete on a town's roofs, is no visible change, and the
    manifest would then place a change no one could see. "Visible" is a brightness change of 30 or an
    excess-green change of 0.10, the shipped rule set's [imagery] thresholds.
    """
    height, width = rgb.shape[1:]
    ids = _change_mask(geoms, np.arange(len(geoms)), width, height, gt)
    hit = ids > 0
    counts = np.maximum(np.bincount(ids[hit] - 1, minlength=len(geoms)), 1)
    ground = np.stack([np.bincount(ids[hit] - 1, rgb[b][hit].astype(float), len(geoms)) / counts
                       for b in range(3)], axis=1)

    def exg(c: np.ndarray) -> np.ndarray:
        return (2 * c[:, 1] - c[:, 0] - c[:, 2]) / np.maximum(c.sum(axis=1), 1.0)

    paint = CHANGE_COLOURS[colour].astype(float)
    unseen = (np.abs(paint.mean(axis=1) - ground.mean(axis=1)) < 30) & (np.abs(exg(paint) - exg(ground)) < 0.1)
    return np.where(unseen, 2, colour)


def _placed_changes(rng: np.random.Generator, colour: np.ndarray, on_road: np.ndarray) -> np.ndarray:
    """What each patch shows: construction or cleared land by its colour, some unchanged or re-cultivated."""
    kinds = np.where(colour == 0, CLEARED, CONSTRUCTION).astype(object)
    draw = rng.uniform(size=colour.size)
    kinds[(draw < UNCHANGED_SHARE) & ~on_road] = UNCHANGED
    kinds[(draw >= UNCHANGED_SHARE) & (draw < UNCHANGED_SHARE + RECULTIVATED_SHARE) & ~on_road] = RECULTIVATED
    return kinds


def _paint(rgb: np.ndarray, geoms: np.ndarray, colour: np.ndarray, gt: tuple[float, ...],
           rng: np.random.Generator) -> None:
    """Paint each patch with its PAINT colour (plus noise) in place; colour −1 leaves a patch as it is."""
    keep = colour >= 0
    if not keep.any():
        return
    height, width = rgb.shape[1:]
    change = _change_mask(geoms[keep], colour[keep], width, height, gt)
    hit = change > 0
    paint = PAINT[change[hit] - 1] + rng.normal(0.0, 5.0, (int(hit.sum()), 3))
    for b in range(3):
        rgb[b][hit] = np.clip(paint[:, b], 0, 255).astype(np.uint8)
