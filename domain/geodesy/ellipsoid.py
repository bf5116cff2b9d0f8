"""CGCS2000 ellipsoid and the official ellipsoidal-area series.

The 国土调查 area rule (国土调查办发〔2008〕32号, kept by 三调) integrates the
ellipsoid's area element along each ring edge in (B, L):

    S = 2 b² ΔL [A sin(ΔB/2) cos Bm − B sin(3ΔB/2) cos 3Bm + C sin(5ΔB/2) cos 5Bm
                 − D sin(7ΔB/2) cos 7Bm + E sin(9ΔB/2) cos 9Bm]

with ΔL the edge's mean longitude minus a fixed meridian, ΔB = B2 − B1 and
Bm = (B1 + B2)/2; ring area = |Σ S|. The bracket telescopes
(sin(kΔB/2) cos kBm = (sin kB2 − sin kB1)/2), so the fixed meridian cancels
over a closed ring; we take each ring's first vertex as that meridian to keep
the products small and the sum free of cancellation.
"""
from __future__ import annotations

import numpy as np

#: CGCS2000 semi-major axis (m) and inverse flattening.
A_AXIS = 6378137.0
INV_FLATTENING = 298.257222101
FLATTENING = 1.0 / INV_FLATTENING
B_AXIS = A_AXIS * (1.0 - FLATTENING)
#: First eccentricity squared, e² = (a² − b²)/a² = f(2 − f).
E2 = FLATTENING * (2.0 - FLATTENING)

_E4, _E6, _E8 = E2**2, E2**3, E2**4
SERIES_A = 1 + 3 / 6 * E2 + 30 / 80 * _E4 + 35 / 112 * _E6 + 630 / 2304 * _E8
SERIES_B = 1 / 6 * E2 + 15 / 80 * _E4 + 21 / 112 * _E6 + 420 / 2304 * _E8
SERIES_C = 3 / 80 * _E4 + 7 / 112 * _E6 + 180 / 2304 * _E8
SERIES_D = 1 / 112 * _E6 + 45 / 2304 * _E8
SERIES_E = 5 / 2304 * _E8


def edge_terms(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray,
               lon2: np.ndarray, lon0: np.ndarray) -> np.ndarray:
    """Per-edge official series S (m²) for edges (B1, L1) → (B2, L2), radians.

    ``lon0`` is the fixed meridian of each edge's ring (same shape). Edges are
    vectorised so a whole layer's rings go through one numpy expression.
    """
    d_lat = lat2 - lat1
    mid_lat = 0.5 * (lat1 + lat2)
    d_lon = 0.5 * (lon1 + lon2) - lon0
    bracket = (SERIES_A * np.sin(0.5 * d_lat) * np.cos(mid_lat)
               - SERIES_B * np.sin(1.5 * d_lat) * np.cos(3.0 * mid_lat)
               + SERIES_C * np.sin(2.5 * d_lat) * np.cos(5.0 * mid_lat)
               - SERIES_D * np.sin(3.5 * d_lat) * np.cos(7.0 * mid_lat)
               + SERIES_E * np.sin(4.5 * d_lat) * np.cos(9.0 * mid_lat))
    return 2.0 * B_AXIS**2 * d_lon * bracket


def ring_area_lonlat(lon_deg: np.ndarray, lat_deg: np.ndarray) -> float:
    """Official area (m², ≥ 0) of one ring given CGCS2000 lon/lat in degrees.

    The ring may be open or closed (a closing edge is added if missing);
    orientation does not matter because the official rule takes |Σ|.
    """
    lon = np.radians(np.asarray(lon_deg, dtype=float))
    lat = np.radians(np.asarray(lat_deg, dtype=float))
    if lon.size < 3:
        return 0.0
    if lon[0] != lon[-1] or lat[0] != lat[-1]:
        lon = np.append(lon, lon[0])
        lat = np.append(lat, lat[0])
    terms = edge_terms(lat[:-1], lon[:-1], lat[1:], lon[1:],
                       np.full(lon.size - 1, lon[0]))
    return float(abs(terms.sum()))
