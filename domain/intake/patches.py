"""Validate and repair delivered patches before anything is stored.

Nothing is dropped silently: every patch ends up imported, repaired (and
flagged) or rejected with a reason naming its 监测编号 or feature number.
Errors that make the delivery unusable as a whole raise :class:`IntakeError`.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import shapely
from shapely.geometry import MultiPolygon
from shapely.geometry.base import BaseGeometry

from ..messages import QT_TRANSLATE_NOOP, Message, WpzfError
from ..overlay.geometry import repair
from ..workspace.columns import MINISTRY_COLUMNS

PROBLEM_KINDS = ("repaired", "rejected", "duplicate", "reissued", "warning")


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


def _text_id(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def check_unique_ids(records: list[IncomingPatch], id_field: str) -> None:
    """Refuse a delivery whose ID field repeats a value, naming the IDs."""
    counts = Counter(_text_id(r.attributes.get(id_field)) for r in records)
    counts.pop(None, None)
    repeated = sorted(k for k, n in counts.items() if n > 1)
    if repeated:
        shown = ", ".join(repeated[:20]) + (" …" if len(repeated) > 20 else "")
        raise IntakeError(
            QT_TRANSLATE_NOOP("domain", "Field {field} repeats {count} IDs within the file: {ids}. Nothing was imported."),
            field=id_field, count=len(repeated), ids=shown,
        )


def repair_one(geom: BaseGeometry) -> tuple[MultiPolygon, str | None]:
    """A valid MultiPolygon and, when it had to be repaired, GEOS's reason why."""
    fixed, changed = repair([geom])
    part = fixed[0]
    multi = part if isinstance(part, MultiPolygon) else MultiPolygon([part] if not part.is_empty else [])
    return multi, (shapely.is_valid_reason(geom) if changed[0] else None)


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
                values[col.name] = float(raw)
            except (TypeError, ValueError):
                values[col.name] = None
                warnings.append(Message(
                    QT_TRANSLATE_NOOP("domain", "Field {field} value {value!r} is not a number; kept as delivered in YSSX."),
                    field=key, value=raw,
                ))
        else:
            values[col.name] = _text_id(raw) if col.name == "JCBH" else str(raw)
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
        if fixed.is_empty or fixed.area <= 0:
            result.problems.append(Problem(jcbh, rec.index, "rejected", Message(
                QT_TRANSLATE_NOOP("domain", "Invalid geometry that repairs to no polygon: {reason}."), reason=reason)))
            continue
        ministry, warnings = _typed_ministry_values(rec.attributes)
        ministry["JCBH"] = jcbh
        note = None
        if reason:
            repaired = Message(
                QT_TRANSLATE_NOOP("domain", "Repaired invalid geometry ({reason}); area after repair {area:.2f} m²."),
                reason=reason, area=fixed.area,
            )
            note = str(repaired)
            result.problems.append(Problem(jcbh, rec.index, "repaired", repaired))
        result.problems.extend(Problem(jcbh, rec.index, "warning", w) for w in warnings)
        verbatim = json.dumps(rec.attributes, ensure_ascii=False, default=str)
        result.patches.append(
            PreparedPatch(rec.index, jcbh, ministry, verbatim, fixed, reason is not None, note)
        )
    return result
