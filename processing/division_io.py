"""QGIS side of the town and village boundaries: features → :class:`Division` in the workspace CRS.

Shared by ``wpzf:importdivisions`` and the reporting algorithms' TOWNS
parameter. Every feature is reprojected to the workspace CRS, curves are
segmentized, Z/M dropped and invalid polygons repaired (counted, so the
algorithm can report them); an empty code or geometry is refused naming the
layer, the feature id and the field — nothing is stored then.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import shapely
from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsFeatureRequest, QgsGeometry
from qgis.PyQt.QtCore import QCoreApplication

from ..adapters.layer_io import to_python
from ..domain.messages import QT_TRANSLATE_NOOP
from ..domain.overlay.geometry import repair
from ..domain.progress import Canceled
from ..domain.workspace.division_shares import Division
from ..domain.workspace.divisions import DivisionError


def tr(text: str) -> str:
    return QCoreApplication.translate("@default", text)  # pylupdate files module-level tr() here


@dataclass
class DivisionLayer:
    """The divisions read from one layer and the ids of the features whose geometry was repaired."""

    divisions: list[Division] = field(default_factory=list)
    repaired: list[int] = field(default_factory=list)


def code_text(value: object) -> str:
    """A code attribute as text: 500118001.0 (a number field) → '500118001'."""
    value = to_python(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _field_index(source, name: str, layer_name: str) -> int:
    index = source.fields().lookupField(name) if name else -1
    if index < 0:
        raise DivisionError(QT_TRANSLATE_NOOP(
            "domain", "Layer {layer} has no field {field!r}. Its fields are: {fields}."),
            layer=layer_name, field=name, fields=", ".join(source.fields().names()) or "-")
    return index


def read_divisions(source, code_field: str, name_field: str, epsg: int, transform_context, layer_name: str,
                   feedback=None, progress_span: tuple[float, float] = (0.0, 100.0)) -> DivisionLayer:
    """Every feature of ``source`` as a Division (code, name, valid geometry in EPSG:``epsg``)."""
    code_i = _field_index(source, code_field, layer_name)
    name_i = _field_index(source, name_field, layer_name) if name_field else -1
    transform = QgsCoordinateTransform(source.sourceCrs(), QgsCoordinateReferenceSystem(f"EPSG:{epsg}"),
                                       transform_context)
    out = DivisionLayer()
    total = max(source.featureCount(), 1)
    low, high = progress_span
    for k, feature in enumerate(source.getFeatures(QgsFeatureRequest()), start=1):
        if feedback is not None:
            if feedback.isCanceled():
                raise Canceled(QT_TRANSLATE_NOOP("domain", "Canceled; the town boundaries and assignments are unchanged."))
            feedback.setProgress(low + (high - low) * k / total)
        code = code_text(feature.attribute(code_i))
        if not code:
            raise DivisionError(QT_TRANSLATE_NOOP(
                "domain", "Layer {layer}, feature {fid}: the code field {field} is empty; nothing was imported."),
                layer=layer_name, fid=feature.id(), field=code_field)
        geometry = feature.geometry()
        if geometry is None or geometry.isNull() or geometry.isEmpty():
            raise DivisionError(QT_TRANSLATE_NOOP(
                "domain", "Layer {layer}, feature {fid} ({code}) has no geometry; nothing was imported."),
                layer=layer_name, fid=feature.id(), code=code)
        geometry = QgsGeometry(geometry)
        abstract = geometry.constGet()
        if abstract is not None and abstract.hasCurvedSegments():
            geometry = QgsGeometry(abstract.segmentize())
        geometry.get().dropZValue()
        geometry.get().dropMValue()
        geometry.transform(transform)
        fixed, changed = repair([shapely.from_wkb(bytes(geometry.asWkb()))])
        if fixed[0].is_empty or fixed[0].area <= 0:
            raise DivisionError(QT_TRANSLATE_NOOP(
                "domain", "Layer {layer}, feature {fid} ({code}) is no polygon even after repair; nothing was imported."),
                layer=layer_name, fid=feature.id(), code=code)
        if changed[0]:
            out.repaired.append(feature.id())
        name = code_text(feature.attribute(name_i)) if name_i >= 0 else ""
        out.divisions.append(Division(code, name, fixed[0]))
    return out


def towns_for_run(ws, source, code_field: str, name_field: str, context, feedback=None):
    """(fid → town/village to use instead of the stored ones or None, town names) for a reporting run.

    With a TOWNS layer and no boundaries in the workspace yet, the layer is
    imported as the workspace's towns (as ``wpzf:importdivisions`` would), so
    the patches are placed by location from now on; where the workspace
    cannot be written (a technician on a shared workspace) the towns are used
    for this run only. A layer that cannot serve as boundaries still gives
    names, as before. Names default to the stored ones.
    """
    from ..domain.messages import WpzfError
    from ..domain.workspace.divisions import has_divisions, import_divisions, placements, town_names
    from ..i18n import error_text
    from .reporting_io import town_names as layer_town_names

    feedback = feedback if feedback is not None else context.feedback()
    say = feedback.pushInfo if feedback is not None else (lambda text: None)
    names = {**town_names(ws), **layer_town_names(source, code_field, name_field)}
    if source is None or has_divisions(ws):
        return None, names
    try:
        divisions = read_divisions(source, code_field, name_field, ws.epsg, context.transformContext(), "TOWNS")
    except WpzfError as exc:
        say(tr("TOWNS gives town names only: {reason}").format(reason=error_text(exc)))
        return None, names
    try:
        result = import_divisions(ws, divisions.divisions)
    except Exception as exc:  # noqa: BLE001 - e.g. no write permission: place the patches for this run only
        places, result = placements(ws, divisions.divisions)
        say(tr("The workspace holds no town boundaries and could not store TOWNS ({reason}); this run places "
               "{count} patches by TOWNS without storing them.").format(reason=error_text(exc), count=result.assigned))
        return places, names
    say(tr("The workspace held no town boundaries: TOWNS was stored as its towns (as wpzf:importdivisions does) "
           "and {count} patches were placed by the largest share; {outside} lie outside every town.").format(
        count=result.assigned, outside=len(result.unassigned)))
    return None, names
