"""The fixed shape of a field package: file names, the two layers and their fields, declared once.

Why one module: the exporter writes these names, QField edits what they
describe, and the importer reads them back; a field renamed in one place and
not the others would lose visits silently. The office fields shipped in
``jctb`` are patch columns (aliases from :mod:`..workspace.columns`); the
visit fields of ``wydc`` are declared here with their Chinese aliases.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..rules import RuleSet
from ..workspace.patch_fields import ID_FIELD, alias_of

PROJECT_FILE = "wpzf_field.qgs"
DATA_FILE = "data.gpkg"
MANIFEST_FILE = "manifest.json"
KML_FILE = "navigation.kml"
GPX_FILE = "navigation.gpx"
DCIM_DIR = "DCIM"
IMAGERY_DIR = "imagery"

PATCH_LAYER = "jctb"
VISIT_LAYER = "wydc"
VISIT_LAYER_ALIAS = "外业调查记录"
PATCH_LAYER_ALIAS = "外业核查图斑"

PACKAGE_FORMAT = "wpzf-field-package"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class FieldDef:
    """A field of the package: name, kind ('text', 'real', 'datetime'), Chinese alias."""

    name: str
    kind: str
    alias: str


TOWN_FIELD, VILLAGE_FIELD = "XZMC", "CJMC"
"""所在镇街 / 所在村 of the patch (from the workspace's towns and villages), shipped for orientation."""

OFFICE_COLUMNS: tuple[str, ...] = (
    ID_FIELD, "TBLX", "QSX", "HSX", "JCMJ", "JCLB", "JCPC", "TBMJ", "GDMJ", "JBNTMJ",
    "PDLX", "JTQX", "WFLX", "PZWH", "PDYJ", "PDR", "PDSJ", "BZ",
)
"""Patch columns shipped in ``jctb``: identity, image dates, areas and the decision (all read-only there)."""

_REAL_COLUMNS = frozenset({"JCMJ", "TBMJ", "GDMJ", "JBNTMJ"})


def office_fields() -> tuple[FieldDef, ...]:
    """The fields of ``jctb``: :data:`OFFICE_COLUMNS` with their workspace aliases, then town and village."""
    shipped = tuple(FieldDef(n, "real" if n in _REAL_COLUMNS else "text", alias_of(n)) for n in OFFICE_COLUMNS)
    return shipped + (FieldDef(TOWN_FIELD, "text", "所在镇街"), FieldDef(VILLAGE_FIELD, "text", "所在村"))


DCSJ, DCRY, DCJG, XCQK, WYBS = "DCSJ", "DCRY", "DCJG", "XCQK", "WYBS"
PHOTO_FIELDS: tuple[str, ...] = ("PHOTO1", "PHOTO2", "PHOTO3", "PHOTO4")

VISIT_FIELDS: tuple[FieldDef, ...] = (
    FieldDef(ID_FIELD, "text", alias_of(ID_FIELD)),
    FieldDef(DCSJ, "datetime", "调查时间"),
    FieldDef(DCRY, "text", "调查人员"),
    FieldDef(DCJG, "text", "调查结果"),
    FieldDef(XCQK, "text", "现场情况"),
    *(FieldDef(name, "text", f"现场照片{n}") for n, name in enumerate(PHOTO_FIELDS, 1)),
    FieldDef(WYBS, "text", "外业记录标识"),
)
"""The fields of ``wydc`` (外业调查记录), one row per visit; WYBS is filled with ``uuid()`` on the device."""

DATETIME_FORMAT = "yyyy-MM-dd HH:mm:ss"
"""How the form shows and stores 调查时间 (Qt format)."""


def visit_results(ruleset: RuleSet) -> tuple[str, ...]:
    """The 调查结果 (DCJG) choices: the rule set's 具体情形, provisional ones left out, each once.

    What a technician finds on site is the situation the office decides on
    (实地未变化, 农村道路, 非农违法 …), so the form offers the rule set's own
    wording and the office reads it without translation.
    """
    seen: dict[str, None] = {}
    for category in ruleset.categories:
        for situation in category.situations:
            if situation not in category.provisional:
                seen.setdefault(situation, None)
    return tuple(seen)
