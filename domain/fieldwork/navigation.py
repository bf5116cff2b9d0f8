"""navigation.kml and navigation.gpx: each patch's outline and centre, named by JCBH, in WGS84 lon/lat.

Why both: technicians navigate with whatever their phone has (奥维互动地图,
Google Earth and most Chinese map apps import KML; Locus, OsmAnd and GPS
units take GPX). The centre is a point on the patch's surface (inside even
an L-shaped patch), where a technician is sent. Coordinates are WGS84
longitude/latitude as both formats require; the workspace's CGCS2000
Gauss–Krüger coordinates are transformed with pyproj (CGCS2000 and WGS84
agree to centimetres, far below what a phone's GPS resolves).
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

Ring = tuple[tuple[float, float], ...]
"""(lon, lat) vertices of one ring, closed (first = last)."""


@dataclass(frozen=True)
class NavPatch:
    """One patch for navigation: JCBH, polygons (each: outer ring then holes) and centre, lon/lat degrees."""

    jcbh: str
    polygons: tuple[tuple[Ring, ...], ...]
    centre: tuple[float, float]
    description: str = ""


KML_NS = "http://www.opengis.net/kml/2.2"
GPX_NS = "http://www.topografix.com/GPX/1/1"


def _coordinates(ring: Ring) -> str:
    return " ".join(f"{lon:.8f},{lat:.8f}" for lon, lat in ring)


def _kml_polygon(parent: ET.Element, rings: tuple[Ring, ...]) -> None:
    polygon = ET.SubElement(parent, "Polygon")
    for n, ring in enumerate(rings):
        boundary = ET.SubElement(polygon, "outerBoundaryIs" if n == 0 else "innerBoundaryIs")
        ET.SubElement(ET.SubElement(boundary, "LinearRing"), "coordinates").text = _coordinates(ring)


def _kml_placemark(folder: ET.Element, patch: NavPatch, outline: bool) -> None:
    placemark = ET.SubElement(folder, "Placemark")
    ET.SubElement(placemark, "name").text = patch.jcbh
    if patch.description:
        ET.SubElement(placemark, "description").text = patch.description
    ET.SubElement(placemark, "styleUrl").text = "#outline" if outline else "#centre"
    if not outline:
        point = ET.SubElement(placemark, "Point")
        ET.SubElement(point, "coordinates").text = f"{patch.centre[0]:.8f},{patch.centre[1]:.8f}"
        return
    geometry = ET.SubElement(placemark, "MultiGeometry") if len(patch.polygons) > 1 else placemark
    for rings in patch.polygons:
        _kml_polygon(geometry, rings)


def kml_text(patches: Sequence[NavPatch], title: str) -> str:
    """A KML 2.2 document: a folder of outlines and a folder of centres, each placemark named by JCBH."""
    root = ET.Element("kml", xmlns=KML_NS)
    document = ET.SubElement(root, "Document")
    ET.SubElement(document, "name").text = title
    for style_id, colour in (("outline", "ff0000ff"), ("centre", "ff00ffff")):
        style = ET.SubElement(document, "Style", id=style_id)
        line = ET.SubElement(style, "LineStyle")
        ET.SubElement(line, "color").text = colour
        ET.SubElement(line, "width").text = "2"
        ET.SubElement(ET.SubElement(style, "PolyStyle"), "fill").text = "0"
    for outline, name in ((True, "图斑范围"), (False, "图斑中心点")):
        folder = ET.SubElement(document, "Folder")
        ET.SubElement(folder, "name").text = name
        for patch in patches:
            _kml_placemark(folder, patch, outline)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def gpx_text(patches: Sequence[NavPatch], title: str) -> str:
    """A GPX 1.1 document: a waypoint per centre and a track per outline (one segment per ring)."""
    root = ET.Element("gpx", {"version": "1.1", "creator": "WPZF", "xmlns": GPX_NS})
    ET.SubElement(ET.SubElement(root, "metadata"), "name").text = title
    for patch in patches:
        waypoint = ET.SubElement(root, "wpt", lat=f"{patch.centre[1]:.8f}", lon=f"{patch.centre[0]:.8f}")
        ET.SubElement(waypoint, "name").text = patch.jcbh
        if patch.description:
            ET.SubElement(waypoint, "desc").text = patch.description
    for patch in patches:
        track = ET.SubElement(root, "trk")
        ET.SubElement(track, "name").text = patch.jcbh
        for rings in patch.polygons:
            for ring in rings:
                segment = ET.SubElement(track, "trkseg")
                for lon, lat in ring:
                    ET.SubElement(segment, "trkpt", lat=f"{lat:.8f}", lon=f"{lon:.8f}")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def write_navigation(folder: Path, patches: Sequence[NavPatch], title: str, kml_name: str, gpx_name: str) -> None:
    """Write both files into ``folder`` (UTF-8)."""
    (folder / kml_name).write_text(kml_text(patches, title), encoding="utf-8")
    (folder / gpx_name).write_text(gpx_text(patches, title), encoding="utf-8")


def nav_patches(items: Sequence[tuple[str, bytes, str]], epsg: int) -> list[NavPatch]:
    """(JCBH, WKB in EPSG ``epsg``, description) → :class:`NavPatch` in WGS84 lon/lat (empty shapes left out)."""
    import shapely
    from pyproj import Transformer

    transformer = Transformer.from_crs(epsg, 4326, always_xy=True)

    def ring(coords) -> Ring:
        xs, ys = transformer.transform([c[0] for c in coords], [c[1] for c in coords])
        return tuple(zip((float(x) for x in xs), (float(y) for y in ys)))

    out = []
    for jcbh, wkb, description in items:
        geometry = shapely.from_wkb(wkb)
        if geometry is None or geometry.is_empty:
            continue
        parts = list(geometry.geoms) if hasattr(geometry, "geoms") else [geometry]
        polygons = tuple((ring(p.exterior.coords), *(ring(h.coords) for h in p.interiors))
                         for p in parts if p.geom_type == "Polygon" and not p.is_empty)
        centre = shapely.point_on_surface(geometry)
        lon, lat = transformer.transform(centre.x, centre.y)
        out.append(NavPatch(jcbh, polygons, (float(lon), float(lat)), description))
    return out
