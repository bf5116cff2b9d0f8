"""From a patch feature to what its page prints: facts, boundary points, centre, scale."""
from __future__ import annotations

from dataclasses import dataclass

import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProject,
    QgsSpatialIndex,
    QgsVectorLayer,
)

from ..adapters.layer_io import to_python
from ..domain.casefile import BoundaryPoint, PatchFacts, boundary_points, choose_scale, polygons_of
from ..domain.geodesy.area import ellipsoidal_area
from ..domain.workspace.patch_fields import ID_FIELD

TOWN_CODE_FIELDS, TOWN_NAME_FIELDS = ("XZQDM", "ZLDWDM"), ("XZQMC", "ZLDWMC", "MC", "NAME")
VILLAGE_NAME_FIELDS = ("ZLDWMC", "CJMC", "XZQMC", "MC", "NAME")


def _value(feature: QgsFeature, name: str):
    index = feature.fields().lookupField(name)
    return to_python(feature.attributes()[index]) if index >= 0 else None


def _number(feature: QgsFeature, name: str) -> float | None:
    value = _value(feature, name)
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def _first_field(layer: QgsVectorLayer, names) -> str | None:
    return next((n for n in names if layer.fields().lookupField(n) >= 0), None)


class AdminNames:
    """Town names by code (XZQ layer) and village names by location (CJDCQ layer).

    A workspace's stored towns and villages (wpzf_patch_division, by the
    largest share of each patch) win when :meth:`use_workspace` loaded them:
    deliveries carry the county code in XZQDM, so the code alone names no town.
    A patch without a stored town whose XZQDM is no town code is placed by
    location in the XZQ layer, as villages are.
    """

    def __init__(self, towns: QgsVectorLayer | None, villages: QgsVectorLayer | None,
                 crs: QgsCoordinateReferenceSystem) -> None:
        self.towns: dict[str, str] = {}
        self.stored: dict[int, tuple[str, str, str, str]] = {}
        self.town_shapes: dict[int, tuple[QgsGeometry, str]] = {}
        self.town_index = QgsSpatialIndex()
        if towns is not None:
            code, name = _first_field(towns, TOWN_CODE_FIELDS), _first_field(towns, TOWN_NAME_FIELDS)
            if code and name:
                transform = QgsCoordinateTransform(towns.crs(), crs, QgsProject.instance()) if crs.isValid() else None
                for feature in towns.getFeatures():
                    self.towns[str(_value(feature, code))] = str(_value(feature, name) or "")
                    if transform is not None and feature.hasGeometry():
                        geometry = QgsGeometry(feature.geometry())
                        geometry.transform(transform)
                        self.town_shapes[feature.id()] = (geometry, str(_value(feature, code)))
                        self.town_index.addFeature(feature.id(), geometry.boundingBox())
        self.villages: dict[int, tuple[QgsGeometry, str]] = {}
        self.index = QgsSpatialIndex()
        name = _first_field(villages, VILLAGE_NAME_FIELDS) if villages is not None else None
        if villages is not None and name:
            transform = QgsCoordinateTransform(villages.crs(), crs, QgsProject.instance())
            for feature in villages.getFeatures(QgsFeatureRequest().setSubsetOfAttributes([name], villages.fields())):
                geometry = QgsGeometry(feature.geometry())
                geometry.transform(transform)
                self.villages[feature.id()] = (geometry, str(_value(feature, name) or ""))
                self.index.addFeature(feature.id(), geometry.boundingBox())

    def use_workspace(self, ws) -> None:
        """Take the stored town and village of each patch (and the stored town names) from workspace ``ws``."""
        from ..domain.workspace.divisions import town_names

        self.stored = {fid: (str(jcbh or ""), xzdm or "", xzmc or "", cjmc or "") for fid, jcbh, xzdm, xzmc, cjmc in
                       ws.conn.execute(f'SELECT d.patch_fid, p."{ID_FIELD}", d."XZDM", d."XZMC", d."CJMC" '
                                       "FROM wpzf_patch_division d JOIN jctb p ON p.fid = d.patch_fid")}
        for code, name in town_names(ws).items():
            self.towns.setdefault(code, name)

    def stored_for(self, feature: QgsFeature) -> tuple[str, str, str, str] | None:
        """(JCBH, XZDM, XZMC, CJMC) stored for this workspace patch; None for another layer's feature."""
        if not self.stored:
            return None
        fid = _value(feature, "fid")
        entry = self.stored.get(int(fid) if isinstance(fid, (int, float)) else feature.id())
        return entry if entry and entry[0] == str(_value(feature, ID_FIELD) or "") else None

    def town(self, code: str | None, geometry: QgsGeometry | None = None) -> str | None:
        """ "名称（code）" of the town ``code``; when it names no town, the town of the layer holding ``geometry``."""
        if code and str(code) not in self.towns and geometry is not None and self.town_shapes:
            code = self._town_at(geometry) or code
        if not code:
            return None
        name = self.towns.get(str(code))
        return f"{name}（{code}）" if name else str(code)

    def _town_at(self, geometry: QgsGeometry) -> str | None:
        point = geometry.pointOnSurface()
        for fid in self.town_index.intersects(point.boundingBox()):
            shape, code = self.town_shapes[fid]
            if shape.contains(point):
                return code
        return None

    def village(self, geometry: QgsGeometry) -> str | None:
        point = geometry.pointOnSurface()
        for fid in self.index.intersects(point.boundingBox()):
            shape, name = self.villages[fid]
            if shape.contains(point):
                return name
        return None


@dataclass
class PatchShape:
    """A patch's geometry in the workspace CRS and what follows from it."""

    facts: PatchFacts
    points: list[BoundaryPoint]
    centre: tuple[float, float]  # bbox centre (easting, northing): the maps' centre
    denominator: int


def patch_shape(feature: QgsFeature, geometry: QgsGeometry, epsg: int, id_field: str, batch: str | None,
                admin: AdminNames, frame_mm: float, margin: float = 0.1) -> PatchShape:
    """Facts, boundary points and map scale of one patch; ``geometry`` is in EPSG:``epsg``."""
    shape = shapely.from_wkb(bytes(geometry.asWkb()))
    stored = admin.stored_for(feature)
    area = _number(feature, "TBMJ")
    if area is None:
        area = ellipsoidal_area(shape, epsg)
    centroid = geometry.centroid().asPoint()
    facts = PatchFacts(
        jcbh=str(_value(feature, id_field) or feature.id()), batch=batch,
        town=admin.town(stored[1]) if stored else admin.town(_value(feature, "XZQDM"), geometry),
        village=(stored[3] if stored and stored[3] else admin.village(geometry)),
        before_date=_value(feature, "QSX"), after_date=_value(feature, "HSX"), area_m2=area,
        farmland_m2=_number(feature, "GDMJ"), basic_farmland_m2=_number(feature, "JBNTGDMJ"),
        decision=_value(feature, "PDLX"), situation=_value(feature, "JTQX"), basis=_value(feature, "PDYJ"),
        centre_x=centroid.y(), centre_y=centroid.x(), longitude=_number(feature, "LZB"),
        latitude=_number(feature, "BZB"))
    box = geometry.boundingBox()
    denominator = choose_scale(box.width(), box.height(), frame_mm, frame_mm, margin)
    return PatchShape(facts, boundary_points(polygons_of(shape)), (box.center().x(), box.center().y()),
                      denominator)
