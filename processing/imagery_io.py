"""Reading two images over each patch on one common grid (GDAL), for the imagery screening.

Why per patch: a district's 0.5 m imagery is tens of gigapixels, so it is
never read whole. For every patch, ``gdal.Warp`` reads only the blocks under
the patch's bounding box (the overviews when the grid is coarser) and
resamples them into a small in-memory grid in the *patch* CRS, whatever the
image's CRS and pixel size; the alpha band it adds marks where the image has
data (outside its footprint or its nodata value: none). The patch (and its
part inside both images' footprints) is rasterised onto the same grid. The
grid's cell is the coarser image's pixel, refined for small patches so a
patch always spans :data:`MIN_CELLS` cells (a 10 m image over a 15 m shed
would otherwise compare one or two mixed pixels).

Band order: ``red`` is RED_BAND; green and blue are its neighbours — bands
1, 2, 3 for red first (RGB, RGBN) and red − 1, red − 2 for red third or later
(BGR, BGRN as many satellites deliver). Brightness is rescaled to the 8-bit
scale (the rule set's thresholds are 0–255): ×1 for Byte images, else
255 / the largest value of the visible bands (from the overviews, cheap).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import numpy as np
import shapely
from osgeo import gdal, ogr, osr

from ..domain.imagery.measures import ChangeMeasures, Window, measure, not_covered
from ..domain.messages import QT_TRANSLATE_NOOP, WpzfError
from ..domain.rules.imagery_rules import ImageryRules

gdal.UseExceptions()
ogr.UseExceptions()

MIN_CELLS = 12
"""Cells across the shorter side of a patch's bounding box, at least."""
MAX_CELLS = 4096
"""Cells along the longer side, at most (a huge patch is measured on a coarser grid rather than in gigabytes)."""


class ImageryError(WpzfError):
    """An image cannot be used: the message names the image and the parameter."""


@dataclass
class Image:
    """One opened image: its dataset, bands, scale to 8 bits, pixel size and footprint in the patch CRS."""

    name: str
    dataset: gdal.Dataset
    """The measured bands only (a VRT over the image): red, green, blue and, when given, near-infrared."""
    bands: tuple[int, ...]
    """Their band numbers in the image."""
    has_nir: bool
    scale: float
    pixel: float
    footprint: shapely.Geometry


def _srs(crs: str) -> osr.SpatialReference:
    """An OSR reference from WKT or ``EPSG:n``, x/y in GIS order (easting first)."""
    srs = osr.SpatialReference()
    srs.SetFromUserInput(crs)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def visible_bands(red: int, count: int, name: str) -> tuple[int, int, int]:
    """(red, green, blue) band numbers from RED_BAND (see the module docstring)."""
    if count < 3:
        raise ImageryError(QT_TRANSLATE_NOOP(
            "domain", "Image {image} has {count} band(s); the screening needs red, green and blue."),
            image=name, count=count)
    if red == 1:
        return 1, 2, 3
    if 3 <= red <= count:
        return red, red - 1, red - 2
    raise ImageryError(QT_TRANSLATE_NOOP(
        "domain", "Image {image}: RED_BAND = {red} does not fit its {count} bands; give 1 for RGB order "
                         "or 3 (or later) for BGR order."), image=name, red=red, count=count)


def _footprint(ds: gdal.Dataset, target: osr.SpatialReference) -> shapely.Geometry:
    """The image's extent as a polygon in the patch CRS (edges densified before reprojecting)."""
    gt = ds.GetGeoTransform()
    corners = [(0, 0), (ds.RasterXSize, 0), (ds.RasterXSize, ds.RasterYSize), (0, ds.RasterYSize), (0, 0)]
    ring = [(gt[0] + c * gt[1] + r * gt[2], gt[3] + c * gt[4] + r * gt[5]) for c, r in corners]
    polygon = shapely.Polygon(ring)
    source = ds.GetSpatialRef()
    if source is None:
        return polygon
    source.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    if source.IsSame(target):
        return polygon
    geometry = ogr.CreateGeometryFromWkb(shapely.to_wkb(shapely.segmentize(polygon, max(
        abs(gt[1]) * ds.RasterXSize, abs(gt[5]) * ds.RasterYSize) / 64)))
    geometry.AssignSpatialReference(source)
    geometry.TransformTo(target)
    return shapely.from_wkb(bytes(geometry.ExportToWkb()))


def _scale(ds: gdal.Dataset, bands: tuple[int, ...]) -> float:
    if ds.GetRasterBand(bands[0]).DataType == gdal.GDT_Byte:
        return 1.0
    top = max(ds.GetRasterBand(b).ComputeRasterMinMax(True)[1] for b in bands[:3])
    return 255.0 / top if top > 0 else 1.0


def open_image(source: str, name: str, red: int, nir: Optional[int], patch_crs: str) -> Image:
    """Open ``source`` (a GDAL dataset name) for measuring over patches in ``patch_crs`` (WKT or EPSG:n)."""
    try:
        ds = gdal.Open(source)
    except RuntimeError as exc:
        raise ImageryError(QT_TRANSLATE_NOOP("domain", "Image {image} cannot be read: {detail}"),
                           image=name, detail=str(exc)) from exc
    bands: tuple[int, ...] = visible_bands(red, ds.RasterCount, name)
    if nir is not None:
        if not 1 <= nir <= ds.RasterCount or nir in bands:
            raise ImageryError(QT_TRANSLATE_NOOP(
                "domain", "Image {image}: NIR_BAND = {nir} is not one of its other bands (1–{count})."),
                image=name, nir=nir, count=ds.RasterCount)
        bands = bands + (nir,)
    target = _srs(patch_crs)
    footprint = _footprint(ds, target)
    pixel = math.sqrt(footprint.area / (ds.RasterXSize * ds.RasterYSize))
    # only the bands measured, in order (gdal.Warp of GDAL < 3.7 cannot pick bands); a VRT reads nothing yet
    selected = gdal.Translate("", ds, format="VRT", bandList=list(bands))
    return Image(name, selected, bands, nir is not None, _scale(ds, bands), pixel, footprint)


@dataclass(frozen=True)
class Grid:
    """The common grid over one patch: top-left corner, cell size and shape."""

    minx: float
    maxy: float
    cell: float
    width: int
    height: int

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return (self.minx, self.maxy - self.height * self.cell, self.minx + self.width * self.cell, self.maxy)


def grid_for(bounds: tuple[float, float, float, float], pixel: float) -> Grid:
    """A grid over ``bounds`` with cells of ``pixel``, finer for small patches, coarser for huge ones."""
    minx, miny, maxx, maxy = bounds
    w, h = max(maxx - minx, 1e-6), max(maxy - miny, 1e-6)
    cell = min(pixel, min(w, h) / MIN_CELLS)
    cell = max(cell, max(w, h) / MAX_CELLS)
    return Grid(minx, maxy, cell, max(1, math.ceil(w / cell)), max(1, math.ceil(h / cell)))


def read_window(image: Image, grid: Grid, patch_crs: str) -> Window:
    """The image resampled onto ``grid`` (bands on the 8-bit scale, ``valid`` from GDAL's alpha)."""
    coarser = image.pixel >= grid.cell
    ds = gdal.Warp("", image.dataset, format="MEM", outputBounds=grid.bounds, width=grid.width,
                   height=grid.height, dstSRS=patch_crs, dstAlpha=True,
                   resampleAlg="near" if coarser else "average", multithread=False)
    data = ds.ReadAsArray().astype(np.float32)
    if data.ndim == 2:  # pragma: no cover - GDAL returns 2-D only for one band; we always ask for 4+
        data = data[None]
    bands = data[:-1] * image.scale
    return Window(red=bands[0], green=bands[1], blue=bands[2], valid=data[-1] > 0,
                  nir=bands[3] if image.has_nir else None)


def rasterize(geometry: shapely.Geometry, grid: Grid, srs: osr.SpatialReference) -> np.ndarray:
    """True on the cells of ``grid`` whose centre lies in ``geometry`` (GDAL's rasteriser)."""
    mem = gdal.GetDriverByName("MEM").Create("", grid.width, grid.height, 1, gdal.GDT_Byte)
    mem.SetGeoTransform((grid.minx, grid.cell, 0.0, grid.maxy, 0.0, -grid.cell))
    vector = ogr.GetDriverByName("Memory").CreateDataSource("")
    layer = vector.CreateLayer("patch", srs, ogr.wkbUnknown)
    feature = ogr.Feature(layer.GetLayerDefn())
    feature.SetGeometryDirectly(ogr.CreateGeometryFromWkb(shapely.to_wkb(geometry)))
    layer.CreateFeature(feature)
    gdal.RasterizeLayer(mem, [1], layer, burn_values=[1])
    return mem.GetRasterBand(1).ReadAsArray().astype(bool)


class PatchReader:
    """Both images, opened once, measuring patch after patch in the patch CRS."""

    def __init__(self, before: Image, after: Image, patch_crs: str, rules: ImageryRules) -> None:
        self.before, self.after, self.crs, self.rules = before, after, patch_crs, rules
        self.srs = _srs(patch_crs)
        self.common = shapely.intersection(before.footprint, after.footprint)
        shapely.prepare(self.common)
        self.pixel = max(before.pixel, after.pixel)

    def measure(self, geometry: shapely.Geometry) -> ChangeMeasures:
        """The measures of one patch (its geometry in the patch CRS)."""
        if geometry is None or geometry.is_empty or not self.common.intersects(geometry):
            return not_covered()
        grid = grid_for(geometry.bounds, self.pixel)
        inside = rasterize(geometry, grid, self.srs)
        covered = None if self.common.contains(geometry) else rasterize(
            shapely.intersection(geometry, self.common), grid, self.srs)
        return measure(read_window(self.before, grid, self.crs), read_window(self.after, grid, self.crs), inside,
                       self.rules, covered)
