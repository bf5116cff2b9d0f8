"""wpzf:imagerychange — 影像变化预筛: the change inside every patch from the before/after images.

The patches come from a workspace batch (results stored in
``wpzf_imagery_change``, one row per patch, replaced per patch) or from any
polygon layer (results only in OUTPUT). The images are read per patch,
resampled to one grid in the patch CRS (``processing/imagery_io.py``); the
numbers are decided in ``domain/imagery/measures.py`` with the rule set's
``[imagery]`` thresholds.
"""
from __future__ import annotations

from pathlib import Path

import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ...adapters.workspaces import open_workspace, patch_geometries, workspace_patch_layer
from ...domain.imagery.measures import NO_DATA, NOT_COVERED, ChangeMeasures
from ...domain.imagery.store import COLUMNS, store_changes
from ...domain.messages import WpzfError
from ...domain.rules import load_named_ruleset
from ...domain.rules.imagery_rules import imagery_rules
from ...domain.workspace.judgement import DEFAULT_RULESET, load_patches
from ...domain.workspace.patch_fields import ID_ALIAS, ID_FIELD
from ..imagery_io import PatchReader, open_image
from ..rulesets import open_ruleset
from .base import WpzfAlgorithm

ALIASES = {"XSS": "有效像元数", "LDBH": "亮度变化均值", "LDBH90": "亮度变化90分位数", "ZBZS": "植被指数",
           "ZBBH": "植被指数变化", "BHZB": "变化像元占比", "LTZB": "后时相裸土建设占比", "BHDF": "变化得分",
           "BZ": "标志", "YXQ": "前时相影像", "YXH": "后时相影像"}
_TYPES = {ID_FIELD: QVariant.String, "XSS": QVariant.Int, "ZBZS": QVariant.String, "BZ": QVariant.String,
          "YXQ": QVariant.String, "YXH": QVariant.String}
"""Output field types; the measures not named here are real numbers."""


class ImageryChangeAlgorithm(WpzfAlgorithm):
    """Measure brightness and vegetation change inside each patch; store the scores in the workspace."""

    NAME = "imagerychange"
    GROUP = "comparison"
    WORKSPACE, BATCH, RULESET, PATCHES, ID_FIELD = "WORKSPACE", "BATCH", "RULESET", "PATCHES", "ID_FIELD"
    BEFORE, AFTER, RED_BAND, NIR_BAND, OUTPUT = "BEFORE", "AFTER", "RED_BAND", "NIR_BAND", "OUTPUT"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Imagery change pre-screening")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Measures the change inside every patch between the before and after images (any CRS, any pixel "
            "size): both are resampled to one grid over the patch, in the patch CRS, and only the pixels inside "
            "the patch with data in both images and no cloud are used. Per patch: pixels used, mean and "
            "90th-percentile brightness change, vegetation index change (NDVI with NIR_BAND, else the visible "
            "excess-green index ExG), share of changed pixels, share of bare soil or built-up ground after, and "
            "a change score 0–1. A patch the images do not cover, or that is mostly cloud or no-data, gets no "
            "score and a flag saying why. Thresholds come from the rule set's [imagery] section. Patches come "
            "from a WORKSPACE batch (the results are stored in the workspace, replacing the patch's earlier ones, "
            "and used by the legality pre-judgement) or from a PATCHES layer (results only in OUTPUT). "
            "RED_BAND 1 means RGB(N) band order, 3 means BGR(N).")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_workspace_parameter()  # WORKSPACE or CONNECTION + SCHEMA; neither: PATCHES
        self.addParameter(QgsProcessingParameterString(self.BATCH, self.tr("Batch (empty: all)"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.RULESET, self.tr("Rule set (empty: the workspace's)"), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.PATCHES, self.tr("Patches (empty: the workspace's)"), [QgsProcessing.TypeVectorPolygon],
            optional=True))
        self.add_id_field_parameter(self.PATCHES)
        self.addParameter(QgsProcessingParameterRasterLayer(self.BEFORE, self.tr("Before image (前时相)")))
        self.addParameter(QgsProcessingParameterRasterLayer(self.AFTER, self.tr("After image (后时相)")))
        self.addParameter(QgsProcessingParameterNumber(
            self.RED_BAND, self.tr("Red band (1: RGB order, 3: BGR order)"), QgsProcessingParameterNumber.Integer,
            1, minValue=1))
        self.addParameter(QgsProcessingParameterNumber(
            self.NIR_BAND, self.tr("Near-infrared band (empty: visible bands only)"),
            QgsProcessingParameterNumber.Integer, None, optional=True, minValue=1))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Imagery change"), QgsProcessing.TypeVector))
        self.addOutput(QgsProcessingOutputNumber("MEASURED", self.tr("Patches with a change score")))
        self.addOutput(QgsProcessingOutputNumber("STORED", self.tr("Patches stored in the workspace")))

    def checkParameterValues(self, parameters, context):  # noqa: N802
        """A workspace (one way, as every workspace algorithm) or, with none, a PATCHES layer."""
        workspace = (parameters.get(self.WORKSPACE) or "", parameters.get("CONNECTION") or "")
        if not any(str(v).strip() for v in workspace) and parameters.get(self.PATCHES) not in (None, ""):
            return QgsProcessingAlgorithm.checkParameterValues(self, parameters, context)
        return super().checkParameterValues(parameters, context)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        workspace = (self.parameterAsFile(parameters, self.WORKSPACE, context) or "").strip()
        try:
            if workspace:
                return self._run_workspace(parameters, context, feedback, workspace)
            return self._run_layer(parameters, context, feedback)
        except WpzfError as exc:
            raise self.fail(exc) from exc

    def _images(self, parameters, context, crs: QgsCoordinateReferenceSystem, rules) -> tuple[PatchReader, str, str]:
        red = self.parameterAsInt(parameters, self.RED_BAND, context) or 1
        nir = self.parameterAsInt(parameters, self.NIR_BAND, context) if parameters.get(self.NIR_BAND) not in (
            None, "") else None
        wkt = crs.authid() if crs.authid().upper().startswith("EPSG:") else crs.toWkt()
        opened = []
        for name in (self.BEFORE, self.AFTER):
            layer = self.parameterAsRasterLayer(parameters, name, context)
            if layer is None or not layer.isValid():
                raise QgsProcessingException(self.invalidRasterError(parameters, name))
            if layer.providerType() != "gdal":
                raise QgsProcessingException(self.tr("{param}: {layer} is not a file image (GDAL); save it as "
                                                     "GeoTIFF first.").format(param=name, layer=layer.name()))
            opened.append((open_image(layer.source(), layer.name(), red, nir, wkt), Path(layer.source()).name))
        (before, before_name), (after, after_name) = opened
        return PatchReader(before, after, wkt, rules), before_name, after_name

    def _measure_all(self, reader: PatchReader, geoms, feedback) -> list[ChangeMeasures] | None:
        """Measures per geometry (None when canceled: then nothing is stored)."""
        out: list[ChangeMeasures] = []
        for n, geometry in enumerate(geoms):
            if feedback.isCanceled():
                return None
            out.append(reader.measure(geometry))
            feedback.setProgress(100.0 * (n + 1) / max(len(geoms), 1))
        return out

    def _run_workspace(self, parameters, context, feedback, workspace: str):
        batch = self.parameterAsString(parameters, self.BATCH, context).strip() or None
        with open_workspace(workspace) as ws:
            ruleset = open_ruleset(ws, self.parameterAsString(parameters, self.RULESET, context))
            rules = imagery_rules(ruleset.path)
            patches = load_patches(ws, batch)
            crs = QgsCoordinateReferenceSystem(f"EPSG:{ws.epsg}")
            layer = workspace_patch_layer(workspace, ws.epsg)
            wkb = patch_geometries(layer, [p.fid for p in patches])
            geoms = [shapely.from_wkb(bytes(wkb[p.fid].asWkb())) if p.fid in wkb else None for p in patches]
            reader, before, after = self._images(parameters, context, crs, rules)
            feedback.pushInfo(self.tr("Measuring {n} patches on a grid of {cell:.2f} m or finer.").format(
                n=len(patches), cell=reader.pixel))
            measures = self._measure_all(reader, geoms, feedback)
            if measures is None:
                feedback.pushWarning(self.tr("Canceled: nothing was stored."))
                return {}
            stored = store_changes(ws, [(p.fid, m) for p, m in zip(patches, measures)], before, after)
        self._report(feedback, measures)
        dest = self._write(parameters, context, [p.jcbh for p in patches], measures, before, after)
        return {self.OUTPUT: dest, "MEASURED": sum(m.scored for m in measures), "STORED": stored}

    def _run_layer(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, self.PATCHES, context)
        if source is None:
            raise QgsProcessingException(self.tr("Give a WORKSPACE or a PATCHES layer."))
        id_field = self.patch_id_field(parameters, context)
        if source.fields().lookupField(id_field) < 0:
            raise QgsProcessingException(self.tr("PATCHES has no field {field} (ID_FIELD).").format(field=id_field))
        name = self.parameterAsString(parameters, self.RULESET, context).strip() or DEFAULT_RULESET
        rules = imagery_rules(load_named_ruleset(name).path)
        crs = source.sourceCrs()
        if not crs.isValid() or crs.isGeographic():
            raise QgsProcessingException(self.tr(
                "PATCHES must be in a projected CRS (metres); reproject it first (its CRS: {crs}).").format(
                    crs=crs.authid() or "-"))
        ids, geoms = [], []
        for feature in source.getFeatures(QgsFeatureRequest().setSubsetOfAttributes([id_field], source.fields())):
            ids.append(str(feature[id_field]))
            geometry = feature.geometry()
            geoms.append(None if geometry.isEmpty() else shapely.from_wkb(bytes(geometry.asWkb())))
        reader, before, after = self._images(parameters, context, crs, rules)
        measures = self._measure_all(reader, geoms, feedback)
        if measures is None:
            return {}
        self._report(feedback, measures)
        dest = self._write(parameters, context, ids, measures, before, after)
        return {self.OUTPUT: dest, "MEASURED": sum(m.scored for m in measures), "STORED": 0}

    def _report(self, feedback, measures: list[ChangeMeasures]) -> None:
        uncovered = sum(m.BZ == NOT_COVERED for m in measures)
        cloudy = sum(m.BZ == NO_DATA for m in measures)
        feedback.pushInfo(self.tr("{scored} of {n} patches scored; {uncovered} not covered by both images, "
                                  "{cloudy} mostly cloud or no-data (no score, flagged).").format(
            scored=sum(m.scored for m in measures), n=len(measures), uncovered=uncovered, cloudy=cloudy))

    def _write(self, parameters, context, ids, measures, before: str, after: str):
        fields = QgsFields()
        for name, alias in ((ID_FIELD, ID_ALIAS), *((c, ALIASES[c]) for c in COLUMNS + ("YXQ", "YXH"))):
            field = QgsField(name, _TYPES.get(name, QVariant.Double))
            field.setAlias(alias)
            fields.append(field)
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.NoGeometry)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        features = []
        for jcbh, m in zip(ids, measures):
            feature = QgsFeature(fields)
            feature.setAttributes([jcbh, *(getattr(m, c) if c != "BZ" else (m.BZ or None) for c in COLUMNS),
                                   before, after])
            features.append(feature)
        sink.addFeatures(features, QgsFeatureSink.FastInsert)
        return dest
