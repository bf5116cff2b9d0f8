"""Official CGCS2000 ellipsoidal area (国土调查办发〔2008〕32号) against independent values.

References used here, none of them sharing code with the implementation:
- the closed-form area of a latitude–longitude quadrangle on the ellipsoid
  (authalic latitude function q), derived below;
- a 50-digit mpmath evaluation of the official series itself;
- pyproj.Geod geodesic polygon areas on the same ellipsoid. Geodesic edges are
  not the official rule's (B, L)-straight edges, so every ring compared with
  Geod is first densified to ≤ 1 m steps; then the two edge models differ by
  far less than 0.001 m² at parcel size.
"""
from __future__ import annotations

import math

import numpy as np
import pyproj
import pytest
import shapely
import shapely.affinity
from shapely.geometry import GeometryCollection, LineString, MultiPolygon, Polygon

from wpzf.domain.crs import central_meridian, gk_epsg_for_longitude, gk_zone
from wpzf.domain.geodesy import ellipsoidal_area, ellipsoidal_areas, ring_area_lonlat

A = 6378137.0
F = 1 / 298.257222101
E2 = F * (2 - F)
E = math.sqrt(E2)
GEOD = pyproj.Geod(a=A, f=F)
MU = 10000 / 15  # m² per 亩


def authalic_q(lat_deg: float) -> float:
    """q(φ) = (1−e²)[sinφ/(1−e²sin²φ) − ln((1−e sinφ)/(1+e sinφ))/(2e)]."""
    s = math.sin(math.radians(lat_deg))
    return (1 - E2) * (s / (1 - E2 * s * s) - math.log((1 - E * s) / (1 + E * s)) / (2 * E))


def quadrangle_area(lat1: float, lat2: float, dlon_deg: float) -> float:
    """Exact ellipsoid area between two parallels over dlon: a²·ΔL·(q2 − q1)/2."""
    return A * A * math.radians(dlon_deg) * (authalic_q(lat2) - authalic_q(lat1)) / 2


def quadrangle(lon: float, lat: float, size: float, steps: int = 1) -> Polygon:
    """Lon/lat quadrangle; parallels carry ``steps`` segments (meridian edges need none)."""
    east = np.linspace(lon, lon + size, steps + 1)
    ring = ([(x, lat) for x in east] + [(x, lat + size) for x in east[::-1]])
    return Polygon(ring)


def to_gk(geom, epsg: int):
    """CGCS2000 lon/lat → GK (x = easting, y = northing, as QGIS holds them)."""
    fwd = pyproj.Transformer.from_crs(4490, epsg, always_xy=True)
    return shapely.transform(geom, lambda c: np.column_stack(fwd.transform(c[:, 0], c[:, 1])))


def to_lonlat(geom, epsg: int):
    inv = pyproj.Transformer.from_crs(epsg, 4490, always_xy=True)
    return shapely.transform(geom, lambda c: np.column_stack(inv.transform(c[:, 0], c[:, 1])))


def parcel(x: float, y: float, seed: int, radius: float) -> Polygon:
    """Irregular star-shaped parcel (valid) around (x, y) in GK metres."""
    rng = np.random.default_rng(seed)
    ang = np.sort(rng.uniform(0, 2 * np.pi, 9))
    r = radius * rng.uniform(0.6, 1.0, 9)
    return Polygon(np.column_stack([x + r * np.cos(ang), y + r * np.sin(ang)]))


@pytest.mark.parametrize("lat", [18.2, 29.35, 41.0, 53.3])
@pytest.mark.parametrize("size", [0.001, 0.01, 0.1])  # ≈ 1 ha, 1 km², 100 km²
def test_quadrangle_matches_closed_form(lat: float, size: float) -> None:
    expected = quadrangle_area(lat, lat + size, size)
    got = ellipsoidal_area(quadrangle(105.5, lat, size), 4490)
    assert got == pytest.approx(expected, rel=1e-11, abs=1e-6)


@pytest.mark.parametrize("zone", [25, 35, 45])
def test_quadrangle_through_gauss_kruger(zone: int) -> None:
    lon = central_meridian(zone) + 1.2
    epsg = gk_epsg_for_longitude(lon)
    gk = to_gk(quadrangle(lon, 30.0, 0.01, steps=200), epsg)
    assert ellipsoidal_area(gk, epsg) == pytest.approx(
        quadrangle_area(30.0, 30.01, 0.01), abs=1e-4)


def official_mp(lon_deg: np.ndarray, lat_deg: np.ndarray) -> float:
    """The official series in 50-digit arithmetic, fixed meridian = Greenwich."""
    mp = pytest.importorskip("mpmath")
    mp.mp.dps = 50
    a, f = mp.mpf(6378137), 1 / mp.mpf("298.257222101")
    e2 = f * (2 - f)
    b2 = (a * (1 - f)) ** 2
    c = [1 + e2 * 3 / 6 + e2**2 * 30 / 80 + e2**3 * 35 / 112 + e2**4 * 630 / 2304,
         e2 / 6 + e2**2 * 15 / 80 + e2**3 * 21 / 112 + e2**4 * 420 / 2304,
         e2**2 * 3 / 80 + e2**3 * 7 / 112 + e2**4 * 180 / 2304,
         e2**3 / 112 + e2**4 * 45 / 2304, e2**4 * 5 / 2304]
    lon = [mp.radians(mp.mpf(float(v))) for v in lon_deg]
    lat = [mp.radians(mp.mpf(float(v))) for v in lat_deg]
    total = mp.mpf(0)
    for i in range(len(lon) - 1):
        db, bm = lat[i + 1] - lat[i], (lat[i + 1] + lat[i]) / 2
        bracket = sum((-1) ** k * c[k] * mp.sin((2 * k + 1) * db / 2) * mp.cos((2 * k + 1) * bm)
                      for k in range(5))
        total += 2 * b2 * (lon[i + 1] + lon[i]) / 2 * bracket
    return float(abs(total))


@pytest.mark.parametrize("zone", [25, 30, 35, 40, 45])
@pytest.mark.parametrize("radius", [60.0, 560.0])  # ≈ 7 亩 and ≈ 1 km²
def test_equals_official_formula_in_high_precision(zone: int, radius: float) -> None:
    epsg = 4513 + zone - 25
    x = zone * 1e6 + 500000 + 140000.0  # 140 km east of the central meridian
    geom = parcel(x, 3_800_000.0, seed=zone, radius=radius)
    lonlat = np.asarray(to_lonlat(geom, epsg).exterior.coords)
    reference = official_mp(lonlat[:, 0], lonlat[:, 1])
    # float64 longitudes carry ~5e-16 rad, i.e. ~5e-12 of a 1 km² area: far below 0.01 m².
    assert abs(ellipsoidal_area(geom, epsg) - reference) < 1e-5
    assert abs(ring_area_lonlat(lonlat[:, 0], lonlat[:, 1]) - reference) < 1e-5


@pytest.mark.parametrize("seed", range(5))
def test_agrees_with_geodesic_area_at_parcel_size(seed: int) -> None:
    x = 35_000_000 + 500_000 + 90_000.0
    gk = shapely.segmentize(parcel(x, 3_250_000.0, seed, radius=40.0 + 40 * seed), 1.0)
    lonlat = to_lonlat(gk, 4523)
    geodesic = abs(GEOD.geometry_area_perimeter(lonlat)[0])
    assert abs(ellipsoidal_area(gk, 4523) - geodesic) < 1e-3
    assert abs(ellipsoidal_area(lonlat, 4490) - geodesic) < 1e-3


def test_orientation_holes_multipart_and_collections() -> None:
    x, y = 35_590_000.0, 3_250_000.0
    outer = shapely.box(x, y, x + 200, y + 200)
    hole = shapely.box(x + 50, y + 50, x + 100, y + 100)
    far = shapely.box(x + 1000, y, x + 1100, y + 100)
    a_outer, a_hole, a_far = ellipsoidal_areas([outer, hole, far], 4523)
    with_hole = Polygon(outer.exterior.coords, [hole.exterior.coords])
    clockwise = shapely.reverse(with_hole)
    got = ellipsoidal_areas([
        with_hole, clockwise, MultiPolygon([with_hole, far]),
        GeometryCollection([far, LineString([(x, y), (x + 5, y + 5)])]),
        None, Polygon(), LineString([(x, y), (x + 9, y)]),
    ], "EPSG:4523")
    assert got[0] == pytest.approx(a_outer - a_hole, abs=1e-9)
    assert got[1] == pytest.approx(got[0], abs=1e-9)
    assert got[2] == pytest.approx(got[0] + a_far, abs=1e-9)
    assert got[3] == pytest.approx(a_far, abs=1e-9)
    assert list(got[4:]) == [0.0, 0.0, 0.0]


def test_same_ground_in_prefixed_and_unprefixed_zone_crs() -> None:
    geom = parcel(35_590_000.0, 3_250_000.0, 7, 80.0)
    shifted = shapely.affinity.translate(geom, -35_000_000.0)
    assert ellipsoidal_area(shifted, 4544) == pytest.approx(ellipsoidal_area(geom, 4523), abs=1e-9)


def test_planar_gk_area_near_yongchuan_is_about_190_ppm_larger() -> None:
    fwd = pyproj.Transformer.from_crs(4490, 4523, always_xy=True)
    x, y = fwd.transform(105.9, 29.35)
    ten_mu = shapely.box(x, y, x + 100, y + 10 * MU / 100)
    ppm = (ten_mu.area / ellipsoidal_area(ten_mu, 4523) - 1) * 1e6
    assert 170 < ppm < 210
    assert ten_mu.area - ellipsoidal_area(ten_mu, 4523) == pytest.approx(1.25, abs=0.15)


@pytest.mark.parametrize("lon, prefixed, six, expected", [
    (73.6, True, False, 4513), (105.9, True, False, 4523), (105.9, False, False, 4544),
    (106.6, True, False, 4524), (136.4, False, False, 4554), (105.9, True, True, 4496),
    (105.9, False, True, 4507), (72.5, True, True, 4491), (134.0, False, True, 4512),
])
def test_gk_epsg_for_longitude(lon: float, prefixed: bool, six: bool, expected: int) -> None:
    code = gk_epsg_for_longitude(lon, prefixed=prefixed, six_degree=six)
    assert code == expected
    params = {p.name: p.value for p in pyproj.CRS.from_epsg(code).coordinate_operation.params}
    zone = gk_zone(lon, six_degree=six)
    assert params["Longitude of natural origin"] == central_meridian(zone, six_degree=six)
    assert params["False easting"] == (zone * 1e6 if prefixed else 0) + 500000
    assert abs(lon - central_meridian(zone, six_degree=six)) <= (3 if six else 1.5)


def test_longitude_outside_china_zones_is_refused() -> None:
    with pytest.raises(ValueError):
        gk_epsg_for_longitude(10.0)
