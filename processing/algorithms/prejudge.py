"""wpzf:prejudge — 合法性预判: a suggested decision per workspace patch, with the evidence it rests on."""
from __future__ import annotations

import dataclasses

import numpy as np
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterMultipleLayers,
    QgsProviderRegistry,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ...domain.messages import WpzfError
from ...domain.overlay import Canceled, farmland_occupation, layer_quality, overlay_summary
from ...domain.rules import build_evidence, prejudge
from ...domain.workspace.judgement import load_patches, store_suggestions
from ...i18n import render
from ..layer_arrays import pyproj_crs, read_arrays
from ..overlay_io import WORKERS, layer_label, report_quality, require_field
from ..rulesets import open_ruleset
from ..workspaces import open_workspace, patch_geometries, workspace_patch_layer
from .base import WpzfAlgorithm

#: Field names that hold a document number in approval-type layers, most specific first.
KEY_FIELD_CANDIDATES = ("PZWH", "GYWH", "BABH", "BDCQZH", "XMPZWH", "DZJGH", "HTBH", "WH", "ZDDM")


def _not_compared(evidence, landuse: bool, basic: bool):
    """Evidence with the figures of an empty land-use / basic-farmland layer as not measured (MISSING)."""
    changes = {}
    if landuse:
        changes.update(gdmj=None, zgbl=None, jbntgdmj=None, classes=None)
    if basic:
        changes.update(jbntmj=None, jbntgdmj=None)
    return dataclasses.replace(evidence, **changes)


class PrejudgeAlgorithm(WpzfAlgorithm):
    """Overlay the workspace's patches, apply the rule set's pre-judgement rules, store suggestions."""

    NAME = "prejudge"
    GROUP = "judgement"
    WORKSPACE, BATCH, RULESET = "WORKSPACE", "BATCH", "RULESET"
    LANDUSE, BASIC_FARMLAND, COVERS, OUTPUT = "LANDUSE", "BASIC_FARMLAND", "COVERS", "OUTPUT"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Legality pre-judgement")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Suggests a decision (判定类型 and 具体情形) for every patch of a workspace batch from the land use, "
            "the permanent basic farmland and the approval-type layers given in COVERS (each recognised by "
            "its name, e.g. NYDZY, TDGY, LSYD, SSNYD), following the rule set's rules in order. Each "
            "suggestion names the rule that fired and its evidence (shares, document numbers, areas). An empty layer "
            "(no features, or none near the patches) is reported and treated as not compared. "
            "Suggestions are stored beside the technician's decision and never overwrite it.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_workspace_parameters()
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.LANDUSE, self.tr("Land use (三调 DLTB)"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.BASIC_FARMLAND, self.tr("Permanent basic farmland"), [QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            self.COVERS, self.tr("Approval-type layers (NYDZY, TDGY, LSYD, SSNYD, …)"),
            QgsProcessing.TypeVectorPolygon, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Pre-judgement"), QgsProcessing.TypeVector))
        self.addOutput(QgsProcessingOutputNumber("SUGGESTED", self.tr("Patches with a stored suggestion")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        text = self.parameterAsFile(parameters, self.WORKSPACE, context)
        batch = self.parameterAsString(parameters, self.BATCH, context).strip() or None
        try:
            with open_workspace(text) as ws:
                ruleset = open_ruleset(ws, self.parameterAsString(parameters, self.RULESET, context))
                patches = load_patches(ws, batch)
                crs = QgsCoordinateReferenceSystem(f"EPSG:{ws.epsg}")
                suggestions = self._suggest(parameters, context, feedback, text, ruleset, patches, crs)
                if suggestions is None:
                    return {}
                unlocked = [(p.fid, s) for p, s in zip(patches, suggestions) if not p.locked]
                stored = store_suggestions(ws, ruleset.name, unlocked)
        except Canceled:
            return {}
        except WpzfError as exc:
            raise self.fail(exc) from exc
        if stored < len(patches):
            feedback.pushWarning(self.tr("{n} patches of locked batches were judged but not stored.").format(
                n=len(patches) - stored))
        dest = self._write(parameters, context, patches, suggestions)
        feedback.pushInfo(self.tr("Rule set {ruleset}: {n} suggestions stored.").format(ruleset=ruleset.name, n=stored))
        return {self.OUTPUT: dest, "SUGGESTED": stored}

    def _suggest(self, parameters, context, feedback, workspace, ruleset, patches, crs):
        ids = [str(p.fid) for p in patches]
        layer = workspace_patch_layer(workspace, crs.postgisSrid())
        wkb = patch_geometries(layer, [p.fid for p in patches])
        geoms = np.array([shapely.from_wkb(bytes(wkb[p.fid].asWkb())) if p.fid in wkb else None for p in patches],
                         dtype=object)
        landuse_layer = self.parameterAsVectorLayer(parameters, self.LANDUSE, context)
        require_field(landuse_layer, "DLBM", self.LANDUSE)
        has_kcxs = landuse_layer.fields().lookupField("KCXS") >= 0  # no 田坎 coefficient: gross = net
        landuse = read_arrays(landuse_layer, parameters[self.LANDUSE], ["DLBM"] + (["KCXS"] if has_kcxs else []),
                              crs, feedback)
        basic_layer = self.parameterAsVectorLayer(parameters, self.BASIC_FARMLAND, context)
        basic_data = None if basic_layer is None else read_arrays(
            basic_layer, parameters[self.BASIC_FARMLAND], [], crs, feedback)
        basic = None if basic_data is None else basic_data.geoms
        feedback.setProgress(10)
        area_crs = pyproj_crs(crs)
        occupation = farmland_occupation(
            geoms, landuse.geoms, landuse.columns["DLBM"],
            landuse.columns["KCXS"] if has_kcxs else np.zeros(landuse.geoms.size), basic, ids=ids,
            crs=area_crs, progress=lambda f: feedback.setProgress(10 + 40 * f), is_canceled=feedback.isCanceled,
            workers=WORKERS)
        b = occupation.breakdown
        land = layer_quality(layer_label(landuse_layer), geoms, landuse.geoms, occupation.landuse_repaired,
                             occupation.landuse_dropped, landuse.fids,
                             no_code_features=occupation.no_code_landuse.size,
                             no_code_area=float(b.gross[b.dlbm == ""].sum()), patch_area=float(occupation.tbmj.sum()))
        report_quality(feedback, land)
        basic_empty = False
        if basic_data is not None:
            quality = layer_quality(layer_label(basic_layer), geoms, basic, occupation.basic_farmland_repaired,
                                    occupation.basic_farmland_dropped, basic_data.fids)
            report_quality(feedback, quality)
            basic_empty = quality.empty
        covers = {}
        layers = self.parameterAsLayerList(parameters, self.COVERS, context)
        for n, cover_layer in enumerate(layers):
            kind = self._kind_of(cover_layer, ruleset)
            names = cover_layer.fields().names()
            key = next((k for k in KEY_FIELD_CANDIDATES if k in names), None)
            data = read_arrays(cover_layer, cover_layer.source(), [key] if key else [], crs, feedback)
            summary = overlay_summary(
                geoms, data.geoms, data.columns[key] if key else None, ids=ids, crs=area_crs,
                is_canceled=feedback.isCanceled, workers=WORKERS)
            quality = layer_quality(layer_label(cover_layer), geoms, data.geoms, summary.overlay_repaired,
                                    summary.overlay_dropped, data.fids)
            report_quality(feedback, quality)
            if quality.empty:  # not compared: its kind stays MISSING, so no rule reads "0 % covered" from it
                feedback.pushWarning(self.tr(
                    "{layer} ({kind}) is treated as not compared: no suggestion rests on it.").format(
                    layer=layer_label(cover_layer), kind=kind))
            else:
                covers[kind] = summary
            feedback.pushInfo(self.tr("{layer}: {kind}, document numbers from {field}").format(
                layer=cover_layer.name(), kind=kind, field=key or "-"))
            feedback.setProgress(50 + 40 * (n + 1) / max(len(layers), 1))
        evidence = build_evidence(ids, occupation, covers, [dict(p.values) for p in patches])
        if land.empty or basic_empty:
            evidence = [_not_compared(e, land.empty, basic_empty) for e in evidence]
            feedback.pushWarning(self.tr("{layer} is treated as not compared: no suggestion rests on it.").format(
                layer=layer_label(landuse_layer) if land.empty else layer_label(basic_layer)))
        return prejudge(ruleset, evidence)

    def _kind_of(self, layer, ruleset) -> str:
        """Overlay kind of a layer from its name or table name: the kind code (NYDZY) or its Chinese name."""
        table = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source()).get("layerName") or ""
        for name in (layer.name(), table):
            for code, kind in ruleset.cover_kinds.items():
                if code.upper() in name.upper() or kind.name in name:
                    return code
        raise QgsProcessingException(self.tr(
            "Layer {layer} is not a known approval-type layer; name it after one of: {kinds}.").format(
                layer=layer.name(), kinds=", ".join(f"{c} ({k.name})" for c, k in ruleset.cover_kinds.items())))

    def _write(self, parameters, context, patches, suggestions):
        fields = QgsFields()
        for name, alias in (("JCBH", "监测编号"), ("PC", "批次"), ("YPLX", "预判类型"), ("YPQX", "预判情形"),
                            ("WFLX", "违法类型"), ("GZ", "规则"), ("LY", "理由"), ("YJ", "依据"), ("PDLX", "已判定类型")):
            field = QgsField(name, QVariant.String)
            field.setAlias(alias)
            fields.append(field)
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.NoGeometry)
        features = []
        for patch, s in zip(patches, suggestions):
            feature = QgsFeature(fields)
            feature.setAttributes([patch.jcbh, patch.batch, s.PDLX, s.JTQX, s.WFLX, s.rule_id, render(s.reason),
                                   s.evidence_json(), patch.values.get("PDLX")])
            features.append(feature)
        sink.addFeatures(features, QgsFeatureSink.FastInsert)
        return dest
