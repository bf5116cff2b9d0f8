"""What importing a returned package will do, decided as pure functions before anything is written.

Why pure: every rule of the round trip is a comparison of what was exported
(the manifest), what came back (the package's ``jctb`` and ``wydc`` rows and
its DCIM folder) and what the workspace holds now (the patches' versions, the
visits already imported). Deciding it all first lets the report list every
patch and item, lets a damaged visit be refused whole (never half-stored),
and keeps the rules testable without QGIS or a workspace.

The rules (issue 17): a new ``wydc`` row (by its WYBS uuid) becomes a field
visit of its patch; a row imported before adds nothing; photos the visit
names must all be present, else the visit is reported damaged and not stored;
DCIM photos no row names are reported (and, when asked, stored as evidence
of the patch they were taken in or near: :func:`.store.store_unreferenced`); edits of office fields in ``jctb`` are
reported, never applied; a patch changed in the office since the export
still gets its visit, and the report says so; a package of another workspace
is refused.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

from ..messages import QT_TRANSLATE_NOOP, Message
from ..workspace.patch_fields import ID_FIELD
from .layout import DATA_FILE, DCIM_DIR, DCJG, DCRY, DCSJ, PHOTO_FIELDS, WYBS, XCQK
from .manifest import CHANGED, MISSING, FileCheck, Manifest
from .package import unsafe_member
from .selection import PatchNow

# what an item is
PACKAGE, FILE, VISIT, PHOTO, FIELD_EDIT, OFFICE_CHANGE = (
    "package", "file", "visit", "photo", "field_edit", "office_change")
# what becomes of it
TO_STORE, STORED, ALREADY, DAMAGED, INVALID, UNREFERENCED, NOT_APPLIED, REPORTED, REFUSED, FAILED = (
    "to_store", "stored", "already", "damaged", "invalid", "unreferenced", "not_applied", "reported", "refused",
    "failed")


@dataclass(frozen=True)
class PlannedVisit:
    """A ``wydc`` row to store as a field visit of patch ``fid``: the visit's columns and its photos."""

    fid: int
    jcbh: str
    columns: Mapping[str, Any]
    photos: tuple[str, ...]

    @property
    def key(self) -> str:
        return str(self.columns["WYBS"])


@dataclass(frozen=True)
class PlanItem:
    """One line of the import report: patch (or '' for the package), item kind, status, reason, path."""

    jcbh: str
    item: str
    status: str
    message: Optional[Message] = None
    path: str = ""
    visit: Optional[PlannedVisit] = None


@dataclass
class ImportPlan:
    """Every item of the package, in report order; ``refused``: nothing at all may be stored."""

    items: list[PlanItem] = field(default_factory=list)
    refused: bool = False

    def visits(self) -> list[PlannedVisit]:
        """The visits to store."""
        return [i.visit for i in self.items if i.status == TO_STORE and i.visit is not None]


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def same_value(a: Any, b: Any) -> bool:
    """Equal as a form shows them: None and '' alike, numbers to 1e-9 relative (a REAL round trip)."""
    if _text(a) == "" and _text(b) == "":
        return True
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return _text(a) == _text(b)


def photo_path(value: Any) -> Optional[str]:
    """A PHOTOn value as a package-relative '/'-path under DCIM/ (an absolute device path is cut at DCIM/).

    None when empty; '' when it names nothing usable (outside DCIM/ or '..').
    """
    text = _text(value).replace("\\", "/")
    if not text:
        return None
    marker = f"{DCIM_DIR}/"
    at = text.rfind(marker) if not text.startswith(marker) else 0
    if at < 0:
        return ""
    relative = text[at:]
    return "" if unsafe_member(relative) else relative


def visit_key(row: Mapping[str, Any], package_id: str) -> str:
    """The row's WYBS uuid; a row that lost it gets a stable key from its content (re-imports still match)."""
    key = _text(row.get(WYBS)).strip("{}").lower()
    if key:
        return key
    content = {k: _text(row.get(k)) for k in (ID_FIELD, DCSJ, DCRY, DCJG, XCQK, *PHOTO_FIELDS)}
    text = json.dumps([package_id, content], ensure_ascii=False, sort_keys=True)
    return "h-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


_DATE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")


def _office_time(text: str) -> Optional[dt.datetime]:
    """DCSJ as the office's wall-clock time: a value with a zone (GeoPackage DATETIME is UTC, 'Z'; QGIS 3.40
    writes the zone, 3.22 does not) is converted to this computer's local time; a value without one is local."""
    match = _DATE_TIME.match(text)
    if match is None:
        return None
    date, time, fraction, zone = match.groups()
    moment = dt.datetime.fromisoformat(f"{date}T{time}{(fraction or '')[:7]}")
    if zone:
        offset = "+00:00" if zone == "Z" else (zone if ":" in zone else f"{zone[:3]}:{zone[3:]}")
        moment = dt.datetime.fromisoformat(f"{date}T{time}{offset}").astimezone().replace(tzinfo=None)
    return moment


def visit_date(value: Any) -> Optional[str]:
    """踏勘日期 yyyy-mm-dd from DCSJ ('2022-05-20T10:31:00.000', '2022-05-20 10:31:00', '…Z', a date), local."""
    text = _text(value)
    moment = _office_time(text)
    if moment is not None:
        return moment.date().isoformat()
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return None


def visit_time(value: Any) -> str:
    """踏勘时间 in ISO form 'yyyy-mm-ddTHH:MM:SS' (local time, whole seconds); other text as recorded."""
    text = _text(value)
    moment = _office_time(text)
    return moment.replace(microsecond=0).isoformat() if moment is not None else text


def check_identity(manifest: Manifest, workspace_id: str) -> Optional[PlanItem]:
    """A refusal when the package was exported from another workspace (None: it is this workspace's)."""
    if manifest.workspace_id == workspace_id:
        return None
    return PlanItem("", PACKAGE, REFUSED, Message(QT_TRANSLATE_NOOP(
        "domain", "The package was exported from another workspace ({name}, id {theirs}); this workspace's id is "
        "{ours}. Nothing was imported."), name=manifest.workspace_name or "?", theirs=manifest.workspace_id,
        ours=workspace_id))


def file_items(checks: Iterable[FileCheck]) -> list[PlanItem]:
    """Exported files missing or changed on the device (data.gpkg changes by design and DCIM is new)."""
    items = []
    for check in checks:
        if check.path == DATA_FILE or check.path.startswith(f"{DCIM_DIR}/") or check.status not in (CHANGED, MISSING):
            continue
        template = (QT_TRANSLATE_NOOP("domain", "The exported file is missing from the package.")
                    if check.status == MISSING else
                    QT_TRANSLATE_NOOP("domain", "The exported file was changed on the device (SHA-256 differs)."))
        items.append(PlanItem("", FILE, REPORTED, Message(template), check.path))
    return items


def _edits_of(jcbh: str, shipped: Mapping[str, Any], row: Mapping[str, Any]) -> list[PlanItem]:
    items = []
    for name, value in shipped.items():
        if name in row and not same_value(value, row[name]):
            items.append(PlanItem(jcbh, FIELD_EDIT, NOT_APPLIED, Message(QT_TRANSLATE_NOOP(
                "domain", "Office field {field} was changed in the field from {old!r} to {new!r}; not applied."),
                field=name, old=_text(value), new=_text(row[name]))))
    return items


def field_edits(manifest: Manifest, patch_rows: Sequence[Mapping[str, Any]]) -> list[PlanItem]:
    """Office fields of ``jctb`` edited in the field (and patches added there): reported, never applied."""
    items = []
    for row in patch_rows:
        jcbh = _text(row.get(ID_FIELD))
        exported = manifest.patch(jcbh)
        if exported is None:
            items.append(PlanItem(jcbh, FIELD_EDIT, NOT_APPLIED, Message(QT_TRANSLATE_NOOP(
                "domain", "This patch was added in the field; patches come only from deliveries, not applied."))))
        else:
            items += _edits_of(jcbh, exported.values, row)
    return items


def office_changes(manifest: Manifest, now: Mapping[int, PatchNow]) -> list[PlanItem]:
    """Patches changed (or deleted) in the office since the export, by row version and office fingerprint."""
    items = []
    for exported in manifest.patches:
        current = now.get(exported.fid)
        if current is None or current.jcbh != exported.jcbh:
            items.append(PlanItem(exported.jcbh, OFFICE_CHANGE, REPORTED, Message(QT_TRANSLATE_NOOP(
                "domain", "The patch is no longer in the workspace; its visits cannot be stored."))))
        elif current.fingerprint != exported.fingerprint or current.version != exported.version:
            items.append(PlanItem(exported.jcbh, OFFICE_CHANGE, REPORTED, Message(QT_TRANSLATE_NOOP(
                "domain", "The patch was changed in the office since the export (version {old} → {new}); the "
                "visit is still imported: check the decision against it."),
                old=exported.version or "—", new=current.version or "—")))
    return items


def _photos(row: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """(usable package paths, unusable values) of the row's PHOTO fields."""
    usable, unusable = [], []
    for name in PHOTO_FIELDS:
        path = photo_path(row.get(name))
        if path:
            usable.append(path)
        elif path == "":
            unusable.append(_text(row.get(name)))
    return usable, unusable


def _visit_problem(row: Mapping[str, Any], manifest: Manifest, now: Mapping[int, PatchNow]) -> Optional[Message]:
    jcbh = _text(row.get(ID_FIELD))
    exported = manifest.patch(jcbh)
    if exported is None:
        return Message(QT_TRANSLATE_NOOP("domain", "Field {field}: {value!r} is not a patch of this package."),
                       field=ID_FIELD, value=jcbh)
    current = now.get(exported.fid)
    if current is None or current.jcbh != jcbh:
        return Message(QT_TRANSLATE_NOOP("domain", "The patch is no longer in the workspace; its visits cannot be "
                                                   "stored."))
    if visit_date(row.get(DCSJ)) is None:
        return Message(QT_TRANSLATE_NOOP("domain", "Field {field}: {value!r} is not a date-time."),
                       field=DCSJ, value=_text(row.get(DCSJ)))
    if not _text(row.get(DCRY)):
        return Message(QT_TRANSLATE_NOOP("domain", "Field {field} (surveyor) is empty."), field=DCRY)
    return None


def _missing_photos(photos: list[str], unusable: list[str], dcim: set[str]) -> Optional[Message]:
    missing = [p for p in photos if p not in dcim] + unusable
    if not missing:
        return None
    return Message(QT_TRANSLATE_NOOP("domain", "Photos named by the record are missing from the package: "
                                               "{photos}; the visit was not stored."), photos="; ".join(missing))


def _result_note(row: Mapping[str, Any], results: Sequence[str]) -> Optional[Message]:
    value = _text(row.get(DCJG))
    if not value or not results or value in results:
        return None
    return Message(QT_TRANSLATE_NOOP("domain", "Field {field}: {value!r} is not one of the rule set's "
                                               "situations; stored as recorded."), field=DCJG, value=value)


def _planned(row: Mapping[str, Any], key: str, manifest: Manifest, now: Mapping[int, PatchNow],
             photos: list[str]) -> PlannedVisit:
    jcbh = _text(row.get(ID_FIELD))
    exported = manifest.patch(jcbh)
    assert exported is not None  # _visit_problem refused rows of other patches
    columns = {"KCRQ": visit_date(row.get(DCSJ)), "KCRY": _text(row.get(DCRY)), "KCQK": _text(row.get(XCQK)),
               "KCJG": _text(row.get(DCJG)), "KCSJ": visit_time(row.get(DCSJ)), "WYBS": key, "WYB": manifest.package_id}
    return PlannedVisit(now[exported.fid].fid, jcbh, columns, tuple(photos))


def plan_visit(row: Mapping[str, Any], manifest: Manifest, now: Mapping[int, PatchNow], dcim: set[str],
               known: set[str]) -> PlanItem:
    """What becomes of one ``wydc`` row (``known``: keys already stored or met earlier in the package)."""
    jcbh = _text(row.get(ID_FIELD))
    key = visit_key(row, manifest.package_id)
    if key in known:
        return PlanItem(jcbh, VISIT, ALREADY, Message(QT_TRANSLATE_NOOP(
            "domain", "Visit {key} was imported before; nothing added."), key=key))
    problem = _visit_problem(row, manifest, now)
    if problem is not None:
        return PlanItem(jcbh, VISIT, INVALID, problem)
    photos, unusable = _photos(row)
    missing = _missing_photos(photos, unusable, dcim)
    if missing is not None:
        return PlanItem(jcbh, VISIT, DAMAGED, missing)
    return PlanItem(jcbh, VISIT, TO_STORE, _result_note(row, manifest.results),
                    visit=_planned(row, key, manifest, now, photos))


def unreferenced_photos(visit_rows: Sequence[Mapping[str, Any]], dcim: set[str]) -> list[PlanItem]:
    """DCIM files no ``wydc`` row names (taken and then not attached, or the record deleted)."""
    named = {p for row in visit_rows for p in _photos(row)[0]}
    return [PlanItem("", PHOTO, UNREFERENCED, Message(QT_TRANSLATE_NOOP(
        "domain", "No visit record names this photo; it was not imported (import the package again with "
        "'Store photos no record names' to keep it as evidence of the patch it was taken in or near).")), path)
        for path in sorted(dcim - named)]


def plan_import(manifest: Manifest, workspace_id: str, now: Mapping[int, PatchNow],
                patch_rows: Sequence[Mapping[str, Any]], visit_rows: Sequence[Mapping[str, Any]],
                dcim: set[str], imported: set[str], checks: Iterable[FileCheck] = ()) -> ImportPlan:
    """Every item of the returned package and what the import does with it (see the module's rules).

    ``now``: the exported patches as the workspace holds them (by fid);
    ``imported``: WYBS keys of the visits the workspace already holds.
    """
    refusal = check_identity(manifest, workspace_id)
    if refusal is not None:
        return ImportPlan([refusal], refused=True)
    plan = ImportPlan(file_items(checks))
    plan.items += office_changes(manifest, now)
    plan.items += field_edits(manifest, patch_rows)
    known = set(imported)
    for row in visit_rows:
        item = plan_visit(row, manifest, now, dcim, known)
        known.add(visit_key(row, manifest.package_id))
        plan.items.append(item)
    plan.items += unreferenced_photos(visit_rows, dcim)
    return plan
