"""The QField project of a field package: ``wpzf_field.qgs`` beside ``data.gpkg``, imagery and overlays.

Why built here with the QGIS API: QField opens a plain QGIS project whose
layers it can reach by relative paths, and takes its forms from the
project's editor-widget configuration (value maps, date/time, attachments
with the camera, relation editors) — the same objects QGIS desktop saves.
So the package is a ``.qgs`` written by :class:`QgsProject` with:

- ``jctb`` (外业核查图斑): the chosen patches, every field read-only in the
  form (the office decides; the device only looks), Chinese aliases, a red
  outline labelled with JCBH and the decision;
- ``wydc`` (外业调查记录): one row per visit, linked to its patch by JCBH
  (a relation jctb → wydc, so QField offers "add visit" in the patch's form),
  调查时间 a date/time widget defaulting to now, 调查结果 a value map of the
  rule set's situations, PHOTO1…PHOTO4 attachment widgets storing paths
  relative to the project under ``DCIM/`` (QFieldSync's attachment naming),
  WYBS filled by ``uuid()`` when the record is created, so the office
  recognises a visit however often the package comes back;
- optional imagery clipped (GDAL translate) and overlays clipped to the
  patches' extent with a margin, so the package stays small enough for a phone.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsDefaultValue,
    QgsEditorWidgetSetup,
    QgsFeature,
    QgsFeatureRequest,
    QgsField,
    QgsFields,
    QgsFillSymbol,
    QgsGeometry,
    QgsPalLayerSettings,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
    QgsReferencedRectangle,
    QgsRelation,
    QgsRelationContext,
    QgsSingleSymbolRenderer,
    QgsVectorFileWriter,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ..domain.fieldwork.layout import (
    DATA_FILE,
    DATETIME_FORMAT,
    DCIM_DIR,
    DCJG,
    DCSJ,
    IMAGERY_DIR,
    PATCH_LAYER,
    PATCH_LAYER_ALIAS,
    PHOTO_FIELDS,
    PROJECT_FILE,
    VISIT_FIELDS,
    VISIT_LAYER,
    VISIT_LAYER_ALIAS,
    WYBS,
    XCQK,
    FieldDef,
    office_fields,
)
from ..domain.workspace.patch_fields import ID_FIELD
from ..qgis_compat import LABEL_OVER_POINT

RELATION_ID = "wpzf_jctb_wydc"
ATTACHMENT_NAMING_PROPERTY = "QFieldSync/attachment_naming"
"""Layer property QField reads for where a new photo of an attachment field is saved (QFieldSync's key)."""

_KINDS = {"text": QVariant.String, "real": QVariant.Double, "datetime": QVariant.DateTime}


class FieldProjectError(RuntimeError):
    """A package layer could not be written; the message names the layer and GDAL's reason."""


@dataclass(frozen=True)
class PackagePatch:
    """One patch to ship: its geometry in the workspace CRS and the office values of :func:`office_fields`."""

    geometry: QgsGeometry
    values: dict


Log = Callable[[str], None]


def _fields(defs: Sequence[FieldDef]) -> QgsFields:
    fields = QgsFields()
    for definition in defs:
        field = QgsField(definition.name, _KINDS[definition.kind])
        field.setAlias(definition.alias)
        fields.append(field)
    return fields


def _write(layer: QgsVectorLayer, path: Path, name: str, first: bool) -> None:
    """Write ``layer`` as table ``name`` of the GeoPackage ``path`` (a new file when ``first``)."""
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = name
    options.fileEncoding = "UTF-8"
    options.actionOnExistingFile = (QgsVectorFileWriter.CreateOrOverwriteFile if first
                                    else QgsVectorFileWriter.CreateOrOverwriteLayer)
    result = QgsVectorFileWriter.writeAsVectorFormatV3(layer, str(path), QgsProject.instance().transformContext(),
                                                       options)
    if result[0] != QgsVectorFileWriter.NoError:
        raise FieldProjectError(f"{path.name}|{name}: {result[1]}")


def write_data(folder: Path, patches: Sequence[PackagePatch], crs: QgsCoordinateReferenceSystem) -> Path:
    """data.gpkg with ``jctb`` (the patches) and an empty ``wydc``."""
    path = folder / DATA_FILE
    defs = office_fields()
    patch_layer = QgsVectorLayer(f"MultiPolygon?crs={crs.authid()}", PATCH_LAYER, "memory")
    patch_layer.dataProvider().addAttributes(list(_fields(defs)))
    patch_layer.updateFields()
    features = []
    for patch in patches:
        feature = QgsFeature(patch_layer.fields())
        geometry = QgsGeometry(patch.geometry)
        geometry.convertToMultiType()
        feature.setGeometry(geometry)
        feature.setAttributes([patch.values.get(d.name) for d in defs])
        features.append(feature)
    patch_layer.dataProvider().addFeatures(features)
    _write(patch_layer, path, PATCH_LAYER, first=True)
    visit_layer = QgsVectorLayer("None", VISIT_LAYER, "memory")
    visit_layer.dataProvider().addAttributes(list(_fields(VISIT_FIELDS)))
    visit_layer.updateFields()
    _write(visit_layer, path, VISIT_LAYER, first=False)
    return path


def _safe_name(text: str, used: set[str]) -> str:
    base = re.sub(r"[^0-9A-Za-z_\u4e00-\u9fff]+", "_", text).strip("_")[:40] or "layer"
    name, n = base, 2
    while name.lower() in used:
        name, n = f"{base}_{n}", n + 1
    used.add(name.lower())
    return name


def clip_overlay(layer: QgsVectorLayer, extent: QgsRectangle, crs: QgsCoordinateReferenceSystem,
                 data: Path, name: str) -> int:
    """Features of ``layer`` meeting ``extent`` (in ``crs``), clipped to it, as table ``name`` of ``data``."""
    to_layer = QgsCoordinateTransform(crs, layer.crs(), QgsProject.instance())
    back = QgsCoordinateTransform(layer.crs(), crs, QgsProject.instance())
    clip = QgsGeometry.fromRect(extent)
    out = QgsVectorLayer(f"{QgsWkbTypes.displayString(QgsWkbTypes.multiType(layer.wkbType()))}?crs={crs.authid()}",
                         name, "memory")
    out.dataProvider().addAttributes(list(layer.fields()))
    out.updateFields()
    features = []
    for feature in layer.getFeatures(QgsFeatureRequest().setFilterRect(to_layer.transformBoundingBox(extent))):
        geometry = QgsGeometry(feature.geometry())
        if geometry.isEmpty() or geometry.transform(back) != 0:
            continue
        piece = geometry.intersection(clip)
        if piece.isEmpty():
            continue
        piece.convertToMultiType()
        copy = QgsFeature(out.fields())
        copy.setAttributes(feature.attributes())
        copy.setGeometry(piece)
        features.append(copy)
    out.dataProvider().addFeatures(features)
    _write(out, data, name, first=False)
    return len(features)


def clip_raster(layer: QgsRasterLayer, extent: QgsRectangle, crs: QgsCoordinateReferenceSystem,
                target: Path) -> Optional[str]:
    """GeoTIFF of ``layer`` cut to ``extent`` (in ``crs``) at ``target``; the reason when it cannot be."""
    from osgeo import gdal

    if layer.providerType() != "gdal":
        return f"{layer.name()}: not a file raster ({layer.providerType()})"
    box = QgsCoordinateTransform(crs, layer.crs(), QgsProject.instance()).transformBoundingBox(extent)
    source = layer.source().split("|")[0]
    target.parent.mkdir(parents=True, exist_ok=True)
    options = gdal.TranslateOptions(format="GTiff", projWin=[box.xMinimum(), box.yMaximum(), box.xMaximum(),
                                                             box.yMinimum()],
                                    creationOptions=["COMPRESS=DEFLATE", "TILED=YES"])
    gdal.UseExceptions()
    try:
        result = gdal.Translate(str(target), source, options=options)
    except RuntimeError as exc:
        return f"{layer.name()}: {exc}"
    if result is None:
        return f"{layer.name()}: {gdal.GetLastErrorMsg()}"
    result = None  # noqa: F841 - closes the dataset, flushing it to disk
    return None


def _label(layer: QgsVectorLayer) -> None:
    settings = QgsPalLayerSettings()
    settings.fieldName = f"\"{ID_FIELD}\" || coalesce('\\n' || \"PDLX\" || coalesce('/' || \"JTQX\", ''), '')"
    settings.isExpression = True
    settings.placement = LABEL_OVER_POINT
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def configure_patch_layer(layer: QgsVectorLayer) -> None:
    """Aliases, every field read-only in the form, red outline, labels by JCBH and the decision."""
    config = layer.editFormConfig()
    for definition in office_fields():
        position = layer.fields().lookupField(definition.name)
        if position >= 0:
            layer.setFieldAlias(position, definition.alias)
            config.setReadOnly(position, True)
    fid = layer.fields().lookupField("fid")
    if fid >= 0:
        layer.setEditorWidgetSetup(fid, QgsEditorWidgetSetup("Hidden", {}))
    layer.setEditFormConfig(config)
    symbol = QgsFillSymbol.createSimple({"style": "no", "outline_color": "#e60000", "outline_width": "0.8"})
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    _label(layer)
    layer.setDisplayExpression(f'"{ID_FIELD}"')


def _attachment() -> QgsEditorWidgetSetup:
    """QGIS's attachment widget: an image viewer, paths stored relative to the project (RelativeStorage 1)."""
    return QgsEditorWidgetSetup("ExternalResource", {
        "DocumentViewer": 1, "DocumentViewerHeight": 0, "DocumentViewerWidth": 0, "FileWidget": True,
        "FileWidgetButton": True, "FileWidgetFilter": "", "RelativeStorage": 1, "StorageMode": 0,
        "StorageType": None, "PropertyCollection": {"name": None, "properties": {}, "type": "collection"}})


def _widgets(results: Sequence[str]) -> dict[str, QgsEditorWidgetSetup]:
    widgets = {
        ID_FIELD: QgsEditorWidgetSetup("RelationReference", {
            "Relation": RELATION_ID, "AllowNULL": False, "ShowForm": False, "MapIdentification": True,
            "ReadOnly": False, "OrderByValue": True, "ShowOpenFormButton": False}),
        DCSJ: QgsEditorWidgetSetup("DateTime", {
            "field_format": DATETIME_FORMAT, "display_format": DATETIME_FORMAT, "calendar_popup": True,
            "allow_null": False, "field_iso_format": False}),
        DCJG: QgsEditorWidgetSetup("ValueMap", {"map": [{v: v} for v in results]}),
        XCQK: QgsEditorWidgetSetup("TextEdit", {"IsMultiline": True, "UseHtml": False}),
        WYBS: QgsEditorWidgetSetup("TextEdit", {"IsMultiline": False, "UseHtml": False}),
    }
    widgets.update({name: _attachment() for name in PHOTO_FIELDS})
    return widgets


def attachment_naming() -> dict[str, str]:
    """PHOTOn → the expression naming a new photo: DCIM/<JCBH>_<field>_<time>.<extension> (QFieldSync's form)."""
    return {name: f"'{DCIM_DIR}/' || coalesce(\"{ID_FIELD}\", 'wydc') || '_{name}_' || "
                  "format_date(now(), 'yyyyMMddhhmmsszzz') || '.{extension}'" for name in PHOTO_FIELDS}


def configure_visit_layer(layer: QgsVectorLayer, results: Sequence[str]) -> None:
    """Aliases, widgets, defaults (now(), uuid(), last surveyor remembered) and photo naming of ``wydc``."""
    config = layer.editFormConfig()
    widgets = _widgets(results)
    for definition in VISIT_FIELDS:
        index = layer.fields().lookupField(definition.name)
        if index < 0:
            continue
        layer.setFieldAlias(index, definition.alias)
        layer.setEditorWidgetSetup(index, widgets.get(definition.name, QgsEditorWidgetSetup("TextEdit", {})))
    for name, expression in ((DCSJ, "now()"), (WYBS, "uuid()")):
        layer.setDefaultValueDefinition(layer.fields().lookupField(name), QgsDefaultValue(expression, False))
    config.setReadOnly(layer.fields().lookupField(WYBS), True)
    if hasattr(config, "setReuseLastValue"):
        config.setReuseLastValue(layer.fields().lookupField("DCRY"), True)
    layer.setEditFormConfig(config)
    fid = layer.fields().lookupField("fid")
    if fid >= 0:
        layer.setEditorWidgetSetup(fid, QgsEditorWidgetSetup("Hidden", {}))
    layer.setCustomProperty(ATTACHMENT_NAMING_PROPERTY, json.dumps(attachment_naming()))
    layer.setDisplayExpression(f"\"{ID_FIELD}\" || ' ' || format_date(\"{DCSJ}\", 'yyyy-MM-dd hh:mm')")


def _relation(project: QgsProject, patches: QgsVectorLayer, visits: QgsVectorLayer) -> QgsRelation:
    relation = QgsRelation(QgsRelationContext(project))  # layer ids are looked up in this project
    relation.setId(RELATION_ID)
    relation.setName(VISIT_LAYER_ALIAS)
    relation.setReferencedLayer(patches.id())
    relation.setReferencingLayer(visits.id())
    relation.addFieldPair(ID_FIELD, ID_FIELD)
    relation.setStrength(QgsRelation.Association)
    if not relation.isValid():
        reason = relation.validationError() if hasattr(relation, "validationError") else "invalid"  # 3.28+
        raise FieldProjectError(f"relation {RELATION_ID}: {reason}")
    project.relationManager().addRelation(relation)
    return relation


@dataclass
class Extras:
    """Imagery and overlays to clip into the package, the margin (m) around the patches, and a log."""

    imagery: Sequence[QgsRasterLayer] = ()
    overlays: Sequence[QgsVectorLayer] = ()
    margin: float = 200.0
    log: Optional[Log] = None


def _clip_extras(folder: Path, extent: QgsRectangle, crs: QgsCoordinateReferenceSystem,
                 extras: Extras) -> tuple[list[tuple[str, str]], list[str]]:
    """Clip overlays into data.gpkg and imagery into imagery/; (vector tables with titles, raster files)."""
    used = {PATCH_LAYER, VISIT_LAYER}
    tables = []
    for layer in extras.overlays:
        name = _safe_name(f"dc_{layer.name()}", used)
        count = clip_overlay(layer, extent, crs, folder / DATA_FILE, name)
        tables.append((name, layer.name()))
        if extras.log:
            extras.log(f"{layer.name()}: {count}")
    rasters = []
    for layer in extras.imagery:
        relative = f"{IMAGERY_DIR}/{_safe_name(layer.name(), used)}.tif"
        problem = clip_raster(layer, extent, crs, folder / relative)
        if problem is None:
            rasters.append(relative)
        elif extras.log:
            extras.log(problem)
    return tables, rasters


def _vector(folder: Path, table: str, title: str) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{(folder / DATA_FILE).as_posix()}|layername={table}", title, "ogr")
    if not layer.isValid():
        raise FieldProjectError(f"{DATA_FILE}|{table}: not readable")
    return layer


def build_field_project(folder: Path, patches: Sequence[PackagePatch], crs: QgsCoordinateReferenceSystem,
                        results: Sequence[str], extras: Optional[Extras] = None, title: str = "") -> Path:
    """Write data.gpkg, the clipped extras and wpzf_field.qgs into ``folder``; returns the project path."""
    extras = extras or Extras()
    write_data(folder, patches, crs)
    extent = QgsRectangle()
    for patch in patches:
        extent.combineExtentWith(patch.geometry.boundingBox())
    extent.grow(max(extras.margin, 1.0))
    tables, rasters = _clip_extras(folder, extent, crs, extras)
    project = QgsProject()
    project.setCrs(crs)
    project.setTitle(title or PATCH_LAYER_ALIAS)
    project.writeEntryBool("Paths", "/Absolute", False)
    for relative in rasters:
        project.addMapLayer(QgsRasterLayer((folder / relative).as_posix(), Path(relative).stem, "gdal"))
    for table, name in tables:
        project.addMapLayer(_vector(folder, table, name))
    patch_layer = _vector(folder, PATCH_LAYER, PATCH_LAYER_ALIAS)
    visit_layer = _vector(folder, VISIT_LAYER, VISIT_LAYER_ALIAS)
    project.addMapLayers([patch_layer, visit_layer])
    _relation(project, patch_layer, visit_layer)
    configure_patch_layer(patch_layer)
    configure_visit_layer(visit_layer, results)
    project.viewSettings().setDefaultViewExtent(QgsReferencedRectangle(extent, crs))
    (folder / DCIM_DIR).mkdir(exist_ok=True)
    path = folder / PROJECT_FILE
    if not project.write(str(path)):
        raise FieldProjectError(f"{PROJECT_FILE}: {project.error()}")
    project.clear()
    return path
