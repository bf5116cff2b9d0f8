"""Validate and repair delivered patches before anything is stored.

Nothing is dropped silently: every patch ends up imported, repaired (and
flagged) or rejected with a reason naming its 监测编号 or feature number.
Errors that make the delivery unusable as a whole raise :class:`IntakeError`.
"""
from __future__ import annotations

import json
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import SupportsFloat, SupportsIndex

import shapely
from shapely.geometry import MultiPolygon
from shapely.geometry.base import BaseGeometry

from ..messages import QT_TRANSLATE_NOOP, Message, WpzfError
from ..overlay.geometry import repair
from ..workspace.columns import MINISTRY_COLUMNS
from ..workspace.patch_fields import ID_FIELD

PROBLEM_KINDS = ("repaired", "rejected", "duplicate", "reissued", "warning")

SLIVER_AREA = 0.01
"""m². A patch whose polygonal area after repair is below this is a zero-area
sliver (a collapsed ring, a doubled edge): rejected, never stored as a patch
nobody can see. 0.01 m² is a 10 cm square, far below any delivered patch
(the ministry's smallest are hundreds of m²) and far above float noise."""


class IntakeError(WpzfError, ValueError):
    """The delivery as a whole cannot be imported; nothing was written."""


@dataclass(frozen=True)
class IncomingPatch:
    """One delivered feature, attributes as plain Python values, geometry in the workspace CRS."""

    index: int
    attributes: dict[str, object]
    wkb: bytes | None


@dataclass(frozen=True)
class Problem:
    """A patch that was not imported exactly as delivered, and why."""

    jcbh: str | None
    index: int
    kind: str
    message: Message

    @property
    def reason(self) -> str:
        """The reason in English (the UI translates :attr:`message`)."""
        return str(self.message)


@dataclass
class PreparedPatch:
    """A patch ready to store: typed ministry values, verbatim attributes, valid geometry."""

    index: int
    jcbh: str
    ministry: dict[str, object]
    verbatim_json: str
    geometry: MultiPolygon
    repaired: bool = False
    repair_note: str | None = None


@dataclass
class Preparation:
    patches: list[PreparedPatch] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def resolve_id_field(field_names: Iterable[str], id_field: str) -> str:
    """Actual name of the ID field (case-insensitive), or an error listing the fields."""
    names = list(field_names)
    for name in names:
        if name == id_field:
            return name
    for name in names:
        if name.lower() == id_field.lower():
            return name
    raise IntakeError(
        QT_TRANSLATE_NOOP("domain", "The layer has no ID field {field!r}. Its fields are: {fields}."),
        field=id_field, fields=", ".join(names) or "-",
    )


def normalise_id(value: object) -> str | None:
    """The comparable form of a patch ID: NFKC, format characters removed, trimmed.

    NFKC folds full-width digits and letters (５００１１８ → 500118) and the
    ideographic space to ASCII, so one patch typed two ways is one patch; zero-
    width and other format characters (Unicode category Cf) are invisible and
    removed. The delivered text itself is kept verbatim in YSSX.
    """
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value))
    text = "".join(c for c in text if unicodedata.category(c) != "Cf").strip()
    return text or None


_text_id = normalise_id


def check_unique_ids(records: list[IncomingPatch], id_field: str) -> None:
    """Refuse a delivery whose ID field repeats a value (after normalising), naming the IDs."""
    spellings: dict[str, list[str]] = defaultdict(list)
    for r in records:
        raw = r.attributes.get(id_field)
        key = normalise_id(raw)
        if key is not None:
            spellings[key].append(str(raw))
    repeated = sorted(k for k, v in spellings.items() if len(v) > 1)
    if repeated:
        def shown_id(key: str) -> str:
            variants = sorted(set(spellings[key]) - {key})
            return f"{key} ({' / '.join(repr(v) for v in variants)})" if variants else key

        shown = ", ".join(shown_id(k) for k in repeated[:20]) + (" …" if len(repeated) > 20 else "")
        raise IntakeError(
            QT_TRANSLATE_NOOP("domain", "Field {field} repeats {count} IDs within the file: {ids}. Nothing was imported."),
            field=id_field, count=len(repeated), ids=shown,
        )


def _leaf_types(geom: BaseGeometry) -> Counter:
    """Geometry types of the non-collection parts of ``geom`` (empty parts ignored)."""
    parts = [geom]
    leaves: Counter = Counter()
    while parts:
        part = parts.pop()
        if part.is_empty:
            continue
        if part.geom_type in ("GeometryCollection", "MultiPolygon", "MultiLineString", "MultiPoint"):
            parts.extend(part.geoms)
        else:
            leaves[part.geom_type] += 1
    return leaves


def _part_list(counts: Counter) -> str:
    return ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))


def repair_one(geom: BaseGeometry) -> tuple[MultiPolygon, str | None]:
    """A valid MultiPolygon and, when it had to be repaired, GEOS's reason why.

    Only an invalid geometry gets GEOS's reason; a valid collection whose
    non-polygon parts were dropped gets ``None`` here (see :func:`repair_notes`,
    which names the dropped parts instead of GEOS's "Valid Geometry").
    """
    fixed, changed = repair([geom])
    part = fixed[0]
    multi = part if isinstance(part, MultiPolygon) else MultiPolygon([part] if not part.is_empty else [])
    return multi, (shapely.is_valid_reason(geom) if changed[0] and not shapely.is_valid(geom) else None)


def repair_notes(geom: BaseGeometry, fixed: MultiPolygon, reason: str | None) -> Message | None:
    """What the repair changed, in words a reviewer can check, or None when nothing changed."""
    dropped = Counter({k: n for k, n in _leaf_types(geom).items() if k != "Polygon"})
    notes = []
    if reason:
        notes.append(Message(
            QT_TRANSLATE_NOOP("domain", "Repaired invalid geometry ({reason}); area after repair {area:.2f} m²."),
            reason=reason, area=fixed.area))
    if dropped:
        notes.append(Message(
            QT_TRANSLATE_NOOP("domain", "Dropped the non-polygon parts of the {type} ({parts}); kept {kept} "
                              "polygon(s), {area:.2f} m²."),
            type=geom.geom_type, parts=_part_list(dropped), kept=len(fixed.geoms), area=fixed.area))
    if not notes:
        return None
    if len(notes) == 1:
        return notes[0]
    return Message(QT_TRANSLATE_NOOP("domain", "{first} {second}"), first=notes[0], second=notes[1])


def degenerate_reason(geom: BaseGeometry, fixed: MultiPolygon, reason: str | None) -> Message | None:
    """Why a (repaired) patch cannot be stored: no polygon part, or a zero-area sliver; else None."""
    leaves = _leaf_types(geom)
    if geom.geom_type == "GeometryCollection" and not leaves.get("Polygon"):
        return Message(QT_TRANSLATE_NOOP(
            "domain", "GeometryCollection without any polygon ({parts}): not a patch."), parts=_part_list(leaves))
    if fixed.is_empty or fixed.area < SLIVER_AREA:
        area = 0.0 if fixed.is_empty else fixed.area
        if reason:
            return Message(QT_TRANSLATE_NOOP(
                "domain", "Zero-area sliver: {area:.4f} m² after repairing {reason} (less than {limit} m²)."),
                area=area, reason=reason, limit=SLIVER_AREA)
        return Message(QT_TRANSLATE_NOOP(
            "domain", "Zero-area sliver: {area:.4f} m² (less than {limit} m²)."), area=area, limit=SLIVER_AREA)
    return None


def _float(raw: object) -> float:
    """``float(raw)`` for a delivered attribute of any type: TypeError (as float() raises) for a value it
    cannot take, such as a date, so the caller's warning covers both."""
    if isinstance(raw, (str, bytes, bytearray, memoryview, SupportsFloat, SupportsIndex)):
        return float(raw)
    raise TypeError(f"not a number: {raw!r}")


def _typed_ministry_values(attrs: dict[str, object]) -> tuple[dict[str, object], list[Message]]:
    by_lower = {k.lower(): k for k in attrs}
    values: dict[str, object] = {}
    warnings: list[Message] = []
    for col in MINISTRY_COLUMNS:
        key = by_lower.get(col.name.lower())
        raw = attrs.get(key) if key else None
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            values[col.name] = None
        elif col.sql_type.startswith("REAL"):
            try:
                values[col.name] = _float(raw)
            except (TypeError, ValueError):
                values[col.name] = None
                warnings.append(Message(
                    QT_TRANSLATE_NOOP("domain", "Field {field} value {value!r} is not a number; kept as delivered in YSSX."),
                    field=key, value=raw,
                ))
        else:
            values[col.name] = _text_id(raw) if col.name == ID_FIELD else str(raw)
    return values, warnings


def prepare(records: Iterable[IncomingPatch], id_field: str) -> Preparation:
    """Validate, repair and type every record; the caller already checked ID uniqueness."""
    result = Preparation()
    for rec in records:
        jcbh = _text_id(rec.attributes.get(id_field))
        if jcbh is None:
            result.problems.append(Problem(None, rec.index, "rejected", Message(
                QT_TRANSLATE_NOOP("domain", "Feature {index} has an empty ID field {field}."),
                index=rec.index, field=id_field)))
            continue
        if rec.wkb is None:
            result.problems.append(Problem(jcbh, rec.index, "rejected", Message(
                QT_TRANSLATE_NOOP("domain", "Null geometry."))))
            continue
        geom = shapely.from_wkb(rec.wkb)
        if geom is None or geom.is_empty:
            result.problems.append(Problem(jcbh, rec.index, "rejected", Message(
                QT_TRANSLATE_NOOP("domain", "Empty geometry."))))
            continue
        if geom.geom_type not in ("Polygon", "MultiPolygon", "GeometryCollection"):
            result.problems.append(Problem(jcbh, rec.index, "rejected", Message(
                QT_TRANSLATE_NOOP("domain", "Geometry type {type} is not a polygon."), type=geom.geom_type)))
            continue
        fixed, reason = repair_one(geom)
        refusal = degenerate_reason(geom, fixed, reason)
        if refusal is not None:
            result.problems.append(Problem(jcbh, rec.index, "rejected", refusal))
            continue
        ministry, warnings = _typed_ministry_values(rec.attributes)
        ministry[ID_FIELD] = jcbh
        if ministry.get("QQJCBH") is not None:
            ministry["QQJCBH"] = normalise_id(ministry["QQJCBH"])
        repaired = repair_notes(geom, fixed, reason)
        note = None
        if repaired is not None:
            note = str(repaired)
            result.problems.append(Problem(jcbh, rec.index, "repaired", repaired))
        result.problems.extend(Problem(jcbh, rec.index, "warning", w) for w in warnings)
        verbatim = json.dumps(rec.attributes, ensure_ascii=False, default=str)
        result.patches.append(
            PreparedPatch(rec.index, jcbh, ministry, verbatim, fixed, repaired is not None, note)
        )
    return result
