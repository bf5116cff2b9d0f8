"""Expression functions (group "WPZF") that let a print layout's atlas print a patch's case-file page.

Labels, HTML frames and data-defined properties of the atlas layout call
these with the atlas feature (``wpzf_boundary_points_html(@atlas_geometry)``),
so the page the designer prints says what ``wpzf:printpatchmaps`` prints:
the same boundary-point numbering, round scales, area text and CRS note, all
decided in ``domain/casefile``. The plugin registers them on start and
unregisters them on unload; nothing else keeps a reference.
"""
from __future__ import annotations

import html
from collections.abc import Callable

import shapely
from qgis.core import QgsCoordinateReferenceSystem, QgsExpression, QgsGeometry, QgsProject, qgsfunction

from ..domain.casefile import area_text, boundary_points, choose_scale, coordinate_rows, crs_note, polygons_of
from ..domain.casefile import page as text
from ..domain.geodesy.area import ellipsoidal_area
from .patch_facts import AdminNames

GROUP = "WPZF"
MAP_MARGIN = 0.1  # share of the patch's extent left free on each side, as the code-built page does

_registered: list = []  # the QgsExpressionFunction objects QGIS holds, kept alive while registered
_admin_cache: dict[tuple, AdminNames] = {}


def _shape(geometry: QgsGeometry):
    if not isinstance(geometry, QgsGeometry) or geometry.isEmpty():
        return None
    return shapely.from_wkb(bytes(geometry.asWkb()))


def _epsg(authid) -> int | None:
    crs = QgsCoordinateReferenceSystem(str(authid or ""))
    epsg = crs.postgisSrid() if crs.isValid() else 0
    return epsg or None


def points_table_html(geometry: QgsGeometry) -> str:
    """The boundary-point table J1…Jn of ``geometry`` (X north, Y east) as an HTML table."""
    shape = _shape(geometry)
    rows = coordinate_rows(boundary_points(polygons_of(shape))) if shape is not None else []
    header = "".join(f"<th>{html.escape(h)}</th>" for h in text.TABLE_HEADER)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    columns = "<colgroup>" + "<col>" * len(text.TABLE_HEADER) + "</colgroup>"
    return f'<table class="wpzf-points">{columns}<thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>'


def boundary_points_html(geometry, feature, parent):
    """Boundary-point table (界址点坐标表) J1…Jn of a polygon as HTML rows: point, X (north), Y (east), edge.

    <h4>Syntax</h4><code>wpzf_boundary_points_html(geometry)</code>
    <h4>Example</h4><code>wpzf_boundary_points_html(@atlas_geometry)</code>"""
    return points_table_html(geometry)


def area_text_of(value, feature, parent):
    """An area in m² as printed on the case-file map: "1234.57 m²（1.85 亩）", or "—" when NULL.

    <h4>Example</h4><code>wpzf_area_text("GDMJ")</code>"""
    try:
        return area_text(None if value is None else float(value))
    except (TypeError, ValueError):
        return text.MISSING


def official_area(geometry, authid, feature, parent):
    """Ellipsoidal (official CGCS2000) area in m² of a geometry given in the CRS ``authid``.

    <h4>Example</h4><code>wpzf_ellipsoidal_area(@atlas_geometry, layer_property(@atlas_layerid, 'crs'))</code>"""
    shape, epsg = _shape(geometry), _epsg(authid)
    if shape is None or epsg is None:
        return None
    return float(ellipsoidal_area(shape, epsg))


def round_scale(geometry, width_mm, height_mm, feature, parent):
    """Smallest round scale denominator (500, 1000, 2000, 2500, 5000 …) at which the geometry fits a map
    frame of width_mm × height_mm with a 10 % margin on every side.

    <h4>Example</h4><code>wpzf_round_scale(@atlas_geometry, 93, 93)</code>"""
    if not isinstance(geometry, QgsGeometry) or geometry.isEmpty():
        return None
    box = geometry.boundingBox()
    return choose_scale(box.width(), box.height(), float(width_mm), float(height_mm), MAP_MARGIN)


def crs_note_of(authid, feature, parent):
    """The CRS note printed on the map (CGCS2000 3° zone, central meridian, X north / Y east).

    <h4>Example</h4><code>wpzf_crs_note(layer_property(@atlas_layerid, 'crs'))</code>"""
    epsg = _epsg(authid)
    if epsg is None:
        return text.MISSING
    return crs_note(epsg, QgsCoordinateReferenceSystem(f"EPSG:{epsg}").description())


def centre_text(geometry, feature, parent):
    """Centroid of a geometry as "X=<north>  Y=<east>" to the millimetre.

    <h4>Example</h4><code>wpzf_centre_text(@atlas_geometry)</code>"""
    if not isinstance(geometry, QgsGeometry) or geometry.isEmpty():
        return text.MISSING
    point = geometry.centroid().asPoint()
    return f"X={point.y():.3f}  Y={point.x():.3f}"


def lonlat_text(longitude, latitude, feature, parent):
    """Centre longitude and latitude as "105.916084°E  29.399394°N", or "—".

    <h4>Example</h4><code>wpzf_lonlat_text("LZB", "BZB")</code>"""
    try:
        return f"{float(longitude):.6f}°E  {float(latitude):.6f}°N"
    except (TypeError, ValueError):
        return text.MISSING


def _admin(towns_layer, villages_layer, authid) -> AdminNames:
    project = QgsProject.instance()
    towns = project.mapLayer(str(towns_layer or "")) or next(iter(project.mapLayersByName(str(towns_layer or ""))),
                                                               None)
    villages = project.mapLayer(str(villages_layer or "")) or next(
        iter(project.mapLayersByName(str(villages_layer or ""))), None)
    key = (towns.id() if towns else "", villages.id() if villages else "", str(authid or ""))
    if key not in _admin_cache:
        _admin_cache[key] = AdminNames(towns, villages, QgsCoordinateReferenceSystem(str(authid or "")))
    return _admin_cache[key]


_stored_cache: dict[tuple, dict[int, tuple[str, str, str, str]]] = {}


def _stored_place(feature, context) -> tuple[str, str, str, str] | None:
    """(XZDM, XZMC, CJDM, CJMC) the workspace stored for this patch, when the feature is a workspace's jctb row.

    The atlas then names the town and village placed by wpzf:importdivisions,
    as wpzf:printpatchmaps does, without any town layer in the project.
    """
    from pathlib import Path

    if context is None or feature is None:
        return None
    layer_id = context.variable("atlas_layerid") or context.variable("layer_id")
    layer = QgsProject.instance().mapLayer(str(layer_id or ""))
    if layer is None or layer.providerType() != "ogr":
        return None
    path, _, options = layer.source().partition("|")
    if "layername=jctb" not in options or not path.lower().endswith(".gpkg") or not Path(path).is_file():
        return None
    key = (path, Path(path).stat().st_mtime_ns)
    if key not in _stored_cache:
        from ..domain.workspace.divisions import patch_towns
        from ..domain.workspace.store import Workspace

        _stored_cache.clear()
        try:
            with Workspace.open(path, upgrade=False) as ws:
                _stored_cache[key] = patch_towns(ws)
        except Exception:  # not a readable workspace: fall back to the layers
            _stored_cache[key] = {}
    return _stored_cache[key].get(int(feature.id()))


def _named(code: str, name: str) -> str:
    return f"{name}（{code}）" if name else code


def town_name(code, towns_layer, feature, parent, context):
    """Town (乡镇街道) as "name（code）" from a town layer (id or name; fields XZQDM, XZQMC), or the code.

    A code that names no town (deliveries carry the county code 500118) gives
    the town of the layer holding the feature.

    <h4>Example</h4><code>wpzf_town_name("XZQDM", @wpzf_towns_layer)</code>"""
    stored = _stored_place(feature, context)
    if stored and stored[0]:
        return _named(stored[0], stored[1])
    if code in (None, ""):
        return text.MISSING
    if not towns_layer:
        return str(code)
    crs = str(context.variable("layer_crs") or "") if context is not None else ""
    geometry = feature.geometry() if crs and feature is not None and feature.hasGeometry() else None
    return _admin(towns_layer, None, crs).town(str(code), geometry) or str(code)


def village_name(geometry, authid, villages_layer, feature, parent, context):
    """Village (村) containing a point on the geometry's surface, from a village layer (id or name).

    <h4>Example</h4><code>wpzf_village_name(@atlas_geometry, layer_property(@atlas_layerid, 'crs'),
    @wpzf_villages_layer)</code>"""
    stored = _stored_place(feature, context)
    if stored and stored[2]:
        return stored[3] or stored[2]
    if not villages_layer or not isinstance(geometry, QgsGeometry) or geometry.isEmpty():
        return text.MISSING
    return _admin(None, villages_layer, authid).village(geometry) or text.MISSING


#: expression name → (Python function, handles NULL itself)
FUNCTIONS: dict[str, tuple[Callable, bool]] = {
    "wpzf_boundary_points_html": (boundary_points_html, False),
    "wpzf_area_text": (area_text_of, True),
    "wpzf_ellipsoidal_area": (official_area, False),
    "wpzf_round_scale": (round_scale, False),
    "wpzf_crs_note": (crs_note_of, True),
    "wpzf_centre_text": (centre_text, True),
    "wpzf_lonlat_text": (lonlat_text, True),
    "wpzf_town_name": (town_name, True),
    "wpzf_village_name": (village_name, True),
}


def register_functions() -> None:
    """Make the functions available to every expression (idempotent)."""
    unregister_functions()
    for name, (function, handles_null) in FUNCTIONS.items():
        if QgsExpression.isFunctionName(name):  # left over from a crashed session of the plugin
            QgsExpression.unregisterFunction(name)
        wrapped = qgsfunction(args="auto", group=GROUP, register=False, handlesnull=handles_null, name=name,
                              referenced_columns=[])(function)
        if QgsExpression.registerFunction(wrapped):
            _registered.append(wrapped)


def unregister_functions() -> None:
    """Take every function away again (plugin unload)."""
    for function in _registered:
        QgsExpression.unregisterFunction(function.name())
    _registered.clear()
    _admin_cache.clear()
    _stored_cache.clear()
