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
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterMultipleLayers,
    QgsProviderRegistry,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ...adapters.workspaces import open_workspace, patch_geometries, workspace_patch_layer
from ...domain.messages import WpzfError
from ...domain.overlay import (
    DEDUCTION_FIELD,
    ELLIPSOIDAL,
    Canceled,
    farmland_occupation,
    layer_quality,
    normalize_code,
    overlay_summary,
)
from ...domain.overlay.summary import SEPARATOR
from ...domain.rules import build_evidence, mining, prejudge
from ...domain.workspace import overlay_cache
from ...domain.workspace.judgement import load_patches, store_suggestions
from ...domain.workspace.patch_fields import ID_ALIAS, ID_FIELD, alias_of
from ...i18n import render
from ..input_stamp import layer_stamp
from ..layer_arrays import pyproj_crs, read_arrays
from ..overlay_io import WORKERS, layer_label, report_quality, require_field
from ..rulesets import open_ruleset
from .base import WpzfAlgorithm

#: Field names that hold a document number in approval-type layers, most specific first.
KEY_FIELD_CANDIDATES = ("PZWH", "GYWH", "BABH", "BDCQZH", "XMPZWH", "DZJGH", "HTBH", "WH", "ZDDM", "XKZH")


def _text(value) -> str:
    """An attribute as text; a QDate/QDateTime as its ISO date (licence validity dates)."""
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return ""
    if hasattr(value, "toPyDate"):
        return value.toPyDate().isoformat()
    if hasattr(value, "toPyDateTime"):
        return value.toPyDateTime().date().isoformat()
    return str(value)


def _attrs(patch) -> dict:
    """Patch attributes for the rules, with the batch's receipt date (JSRQ) as the fallback imagery date."""
    return {**patch.values, "JSRQ": patch.received}


def _licence_labels(layer, data):
    """``XKZH|YXQQ|YXQZ`` per mining-right feature; a layer without 许可证号 is refused by name."""
    require_field(layer, mining.LICENCE_FIELDS[0], PrejudgeAlgorithm.COVERS)
    columns = [data.columns[f] if f in data.columns else [None] * data.geoms.size for f in mining.LICENCE_FIELDS]
    return [mining.licence_label(*(_text(v) for v in values)) for values in zip(*columns)]


def _not_compared(evidence, landuse: bool, basic: bool):
    """Evidence with the figures of an empty land-use / basic-farmland layer as not measured (MISSING)."""
    changes: dict[str, None] = {}
    if landuse:
        changes.update(gdmj=None, zgbl=None, jbntgdmj=None, classes=None)
    if basic:
        changes.update(jbntmj=None, jbntgdmj=None)
    return dataclasses.replace(evidence, **changes)


class _Log:
    """Forwards the overlay's log lines to the feedback and keeps them, to repeat them when it is reused."""

    def __init__(self, feedback):
        self.feedback, self.lines = feedback, []

    def pushInfo(self, text):  # noqa: N802
        self.lines.append(("info", text))
        self.feedback.pushInfo(text)

    def pushWarning(self, text):  # noqa: N802
        self.lines.append(("warning", text))
        self.feedback.pushWarning(text)


class PrejudgeAlgorithm(WpzfAlgorithm):
    """Overlay the workspace's patches, apply the rule set's pre-judgement rules, store suggestions."""

    NAME = "prejudge"
    GROUP = "judgement"
    WORKSPACE, BATCH, RULESET = "WORKSPACE", "BATCH", "RULESET"
    LANDUSE, BASIC_FARMLAND, COVERS, OUTPUT = "LANDUSE", "BASIC_FARMLAND", "COVERS", "OUTPUT"
    REUSE_OVERLAY = "REUSE_OVERLAY"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Legality pre-judgement")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Suggests a decision (判定类型 and 具体情形) for every patch of a workspace batch from the land use, "
            "the permanent basic farmland and the approval-type layers given in COVERS (each recognised by "
            "its name, e.g. NYDZY, TDGY, LSYD, SSNYD), following the rule set's rules in order. Each "
            "suggestion names the rule that fired and its evidence (shares, document numbers, areas). An empty layer "
            "(no features, or none near the patches) is reported and treated as not compared. "
            "Suggestions are stored beside the technician's decision and never overwrite it. "
            "The overlay's figures are stored with the batch: a rerun whose patch geometries, layers (file, "
            "feature count, size and time), rule set and area method are unchanged reuses them instead of "
            "overlaying again, with identical results; untick 'Reuse the stored overlay' to overlay afresh.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.add_workspace_parameters()
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.LANDUSE, self.tr("Land use (三调 DLTB)"), [QgsProcessing.TypeVectorPolygon]))
        self.add_landclass_parameters(self.LANDUSE)
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.BASIC_FARMLAND, self.tr("Permanent basic farmland"), [QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            self.COVERS, self.tr("Approval-type layers (NYDZY, TDGY, LSYD, SSNYD, …)"),
            QgsProcessing.TypeVectorPolygon, optional=True))
        self.addParameter(QgsProcessingParameterBoolean(
            self.REUSE_OVERLAY, self.tr("Reuse the stored overlay when patches and layers are unchanged"),
            defaultValue=True, optional=True))
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
                evidence = self._evidence(parameters, context, feedback, ws, batch, text, ruleset, patches, crs)
                if evidence is None:
                    return {}
                suggestions = self._screen(feedback, ws, ruleset, patches, evidence, prejudge(ruleset, evidence))
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

    def _screen(self, feedback, ws, ruleset, patches, evidence, suggestions):
        """The suggestions with the stored imagery screening (wpzf:imagerychange) applied, when there is one."""
        from ...domain.imagery import screening
        from ...domain.imagery.store import load_changes, rectified_patches
        from ...domain.rules.imagery_rules import imagery_rules

        changes = load_changes(ws, [p.fid for p in patches])
        rules = imagery_rules(ruleset.path, required=False) if changes else None
        if rules is None:
            return suggestions
        rectified = rectified_patches(ws)
        context = {p.fid: screening.PatchContext(ruleset.canonical(p.values.get("PDLX") or ""), p.fid in rectified)
                   for p in patches}
        result = screening.screen(ruleset, rules, [p.fid for p in patches], suggestions, evidence, changes, context)
        feedback.pushInfo(self.tr(
            "Imagery screening of {n} patches used: {unchanged} suggested unchanged (实地未变化), {changed} illegal "
            "suggestions backed by a clear change, {regrown} possibly re-cultivated.").format(
                n=len(changes), unchanged=len(result.unchanged), changed=len(result.changed),
                regrown=len(result.recultivated)))
        return result.suggestions

    def _landclass(self, parameters, context, landuse_layer) -> tuple[str, str, list[str]]:
        """(class field, deduction field or '', farmland codes), as wpzf:farmlandoccupation reads them.

        One leniency kept from before these were parameters: DEDUCTION_FIELD
        left at its default on a land-use layer without that field means no
        deduction (gross = net), not an error.
        """
        if parameters.get("DEDUCTION_FIELD") in (None, "") and landuse_layer is not None and \
                landuse_layer.fields().lookupField(DEDUCTION_FIELD) < 0:
            parameters = {**parameters, "DEDUCTION_FIELD": ""}
        return self.landclass_parameters(parameters, context, landuse_layer)

    def _fingerprint(self, parameters, context, ws, batch, ruleset, crs) -> tuple[dict, str]:
        """Digest per input the overlay depends on, and the label of a layer without a cheap stamp ('' if none)."""
        landuse_layer = self.parameterAsVectorLayer(parameters, self.LANDUSE, context)
        class_field, deduction, codes = self._landclass(parameters, context, landuse_layer)
        basic_layer = self.parameterAsVectorLayer(parameters, self.BASIC_FARMLAND, context)
        stamps = {"landuse": (landuse_layer, layer_stamp(landuse_layer, parameters.get(self.LANDUSE))),
                  "basic": (basic_layer, layer_stamp(basic_layer, parameters.get(self.BASIC_FARMLAND)))}
        covers = [(layer, layer_stamp(layer)) for layer in self.parameterAsLayerList(parameters, self.COVERS, context)]
        unstamped = [layer for layer, stamp in list(stamps.values()) + covers if stamp is None]
        rules = ruleset.path.read_bytes() if ruleset.path and ruleset.path.is_file() else b""
        parts = {"version": str(overlay_cache.OVERLAY_VERSION),
                 "patches": overlay_cache.patch_geometry_digest(ws, batch),
                 "landuse": overlay_cache.digest(stamps["landuse"][1]),
                 "basic": overlay_cache.digest(stamps["basic"][1]),
                 "covers": overlay_cache.digest([stamp for _, stamp in covers]),
                 "ruleset": overlay_cache.digest([ruleset.name, overlay_cache.digest(rules.hex())]),
                 "landclass": overlay_cache.digest([class_field, deduction,
                                                    sorted({normalize_code(c) for c in codes})]),
                 "area": overlay_cache.digest([ELLIPSOIDAL, ws.epsg, str(pyproj_crs(crs))])}
        return parts, (layer_label(unstamped[0]) if unstamped else "")

    def _evidence(self, parameters, context, feedback, ws, batch, workspace, ruleset, patches, crs):
        """Evidence per patch: the stored overlay when its inputs are unchanged, else a fresh overlay (stored)."""
        parts, unstamped = self._fingerprint(parameters, context, ws, batch, ruleset, crs)
        stored = overlay_cache.load(ws, batch)
        reuse = self.parameterAsBoolean(parameters, self.REUSE_OVERLAY, context)  # absent: the default, True
        changed = stored.changed(parts) if stored else []
        names = {"version": self.tr("plugin overlay version"), "patches": self.tr("patch geometries"),
                 "landuse": self.tr("land-use layer"), "basic": self.tr("basic farmland layer"),
                 "covers": self.tr("approval-type layers"), "ruleset": self.tr("rule set"),
                 "landclass": self.tr("land class fields or farmland codes"),
                 "area": self.tr("area method")}
        if not reuse:
            feedback.pushInfo(self.tr("Overlaying afresh: reuse of the stored overlay is switched off."))
        elif unstamped:
            feedback.pushInfo(self.tr("Overlaying: {layer} is a temporary, database or selection layer whose "
                                      "changes cannot be told cheaply.").format(layer=unstamped))
        elif stored is None:
            feedback.pushInfo(self.tr("Overlaying: no overlay of this batch is stored yet."))
        elif changed:
            feedback.pushInfo(self.tr("Overlaying again: {what} changed since the overlay of {date}.").format(
                what=", ".join(names.get(p, p) for p in changed), date=stored.created_at))
        elif not stored.covers(p.fid for p in patches):
            feedback.pushInfo(self.tr("Overlaying again: the stored overlay of {date} lacks some patches.").format(
                date=stored.created_at))
        else:
            feedback.pushInfo(self.tr(
                "Reused the overlay of {date}: patch geometries, layers, rule set and area method are unchanged "
                "(untick 'Reuse the stored overlay' to overlay afresh).").format(date=stored.created_at))
            for level, line in stored.messages:
                (feedback.pushWarning if level == "warning" else feedback.pushInfo)(line)
            feedback.setProgress(90)
            return [overlay_cache.evidence_of(str(p.fid), stored.figures[p.fid], _attrs(p)) for p in patches]
        log = _Log(feedback)
        evidence = self._overlay(parameters, context, feedback, log, workspace, ruleset, patches, crs)
        if evidence is None or unstamped:
            return evidence
        try:
            overlay_cache.save(ws, batch, parts, {p.fid: overlay_cache.figures_of(e) for p, e in zip(patches, evidence)},
                               log.lines)
        except Exception as exc:  # noqa: BLE001 - e.g. a shared workspace whose role may not write wpzf_meta
            feedback.pushWarning(self.tr("The overlay could not be stored for reuse: {reason}").format(reason=exc))
        return evidence

    def _overlay(self, parameters, context, feedback, log, workspace, ruleset, patches, crs):
        """Overlay the patches with every layer; evidence per patch. Log lines worth repeating go to ``log``."""
        ids = [str(p.fid) for p in patches]
        layer = workspace_patch_layer(workspace, crs.postgisSrid())
        wkb = patch_geometries(layer, [p.fid for p in patches])
        geoms = np.array([shapely.from_wkb(bytes(wkb[p.fid].asWkb())) if p.fid in wkb else None for p in patches],
                         dtype=object)
        landuse_layer = self.parameterAsVectorLayer(parameters, self.LANDUSE, context)
        class_field, deduction, codes = self._landclass(parameters, context, landuse_layer)
        landuse = read_arrays(landuse_layer, parameters[self.LANDUSE],
                              [class_field] + ([deduction] if deduction else []), crs, feedback)
        basic_layer = self.parameterAsVectorLayer(parameters, self.BASIC_FARMLAND, context)
        basic_data = None if basic_layer is None else read_arrays(
            basic_layer, parameters[self.BASIC_FARMLAND], [], crs, feedback)
        basic = None if basic_data is None else basic_data.geoms
        feedback.setProgress(10)
        area_crs = pyproj_crs(crs)
        occupation = farmland_occupation(
            geoms, landuse.geoms, landuse.columns[class_field],
            landuse.columns[deduction] if deduction else np.zeros(landuse.geoms.size), basic, ids=ids,
            farmland_codes=codes, crs=area_crs, progress=lambda f: feedback.setProgress(10 + 40 * f), is_canceled=feedback.isCanceled,
            workers=WORKERS)
        b = occupation.breakdown
        no_code = occupation.no_code_landuse
        land = layer_quality(layer_label(landuse_layer), geoms, landuse.geoms, occupation.landuse_repaired,
                             occupation.landuse_dropped, landuse.fids,
                             no_code_features=0 if no_code is None else no_code.size,
                             no_code_area=float(b.gross[b.dlbm == ""].sum()), patch_area=float(occupation.tbmj.sum()))
        report_quality(log, land)
        basic_empty = False
        if basic_data is not None:
            quality = layer_quality(layer_label(basic_layer), geoms, basic, occupation.basic_farmland_repaired,
                                    occupation.basic_farmland_dropped, basic_data.fids)
            report_quality(log, quality)
            basic_empty = quality.empty
        covers = {}
        layers = self.parameterAsLayerList(parameters, self.COVERS, context)
        for n, cover_layer in enumerate(layers):
            kind = self._kind_of(cover_layer, ruleset)
            names = cover_layer.fields().names()
            licences = kind in (mining.MINING, mining.EXPLORATION)
            key = next((k for k in KEY_FIELD_CANDIDATES if k in names), None)
            wanted = [f for f in mining.LICENCE_FIELDS if f in names] if licences else [key] if key else []
            data = read_arrays(cover_layer, cover_layer.source(), wanted, crs, feedback)
            labels = _licence_labels(cover_layer, data) if licences else data.columns[key] if key else None
            summary = overlay_summary(
                geoms, data.geoms, labels, ids=ids, crs=area_crs, is_canceled=feedback.isCanceled, workers=WORKERS)
            if licences:
                summary = mining.licence_summary(summary, SEPARATOR)
            quality = layer_quality(layer_label(cover_layer), geoms, data.geoms, summary.overlay_repaired,
                                    summary.overlay_dropped, data.fids)
            report_quality(log, quality)
            if quality.empty:  # not compared: its kind stays MISSING, so no rule reads "0 % covered" from it
                log.pushWarning(self.tr(
                    "{layer} ({kind}) is treated as not compared: no suggestion rests on it.").format(
                    layer=layer_label(cover_layer), kind=kind))
            else:
                covers[kind] = summary
            log.pushInfo(self.tr("{layer}: {kind}, document numbers from {field}").format(
                layer=cover_layer.name(), kind=kind,
                field=mining.PART_JOIN.join(mining.LICENCE_FIELDS) if licences else key or "-"))
            feedback.setProgress(50 + 40 * (n + 1) / max(len(layers), 1))
        evidence = build_evidence(ids, occupation, covers, [_attrs(p) for p in patches])
        if land.empty or basic_empty:
            evidence = [_not_compared(e, land.empty, basic_empty) for e in evidence]
            log.pushWarning(self.tr("{layer} is treated as not compared: no suggestion rests on it.").format(
                layer=layer_label(landuse_layer) if land.empty else layer_label(basic_layer)))
        return evidence

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
        for name, alias in ((ID_FIELD, ID_ALIAS), ("PC", "批次"), ("YPLX", "预判类型"), ("YPQX", "预判情形"),
                            ("WFLX", alias_of("WFLX")), ("GZ", "规则"), ("LY", "理由"), ("YJ", "依据"), ("PDLX", "已判定类型")):
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
