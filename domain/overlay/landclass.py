"""三调 land-use class codes (DLBM) and the three broad classes (三大类).

The table follows domain.md §3. Codes the table does not name (e.g. the
变更 extras 1301–1303, or 0402) get an empty broad class rather than a guess,
so a report shows them as unclassified instead of silently mis-binning them.

The same table splits a patch for the 地块面积 identity (domain.md §2:
地块面积 = 耕地 + 非耕农用地 + 未利用地 + 建设用地): :func:`area_class` names the
field each class's net area goes to, and the 田坎 deducted by KCXS is class
1203, 农用地, so it goes to 非耕农用地.
"""
from __future__ import annotations

from typing import Any

AGRICULTURAL = "农用地"
CONSTRUCTION = "建设用地"
UNUSED = "未利用地"

#: The fields of 三调 DLTB the overlay reads by default: class code (地类编码) and 田坎 deduction coefficient (扣除系数).
CLASS_FIELD, DEDUCTION_FIELD = "DLBM", "KCXS"
#: 水田, 水浇地, 旱地: the three 耕地 classes, each reported apart (SDMJ, SJDMJ, HDMJ).
PADDY, IRRIGATED, DRY = "0101", "0102", "0103"
#: Default cultivated-land (耕地) codes — the one declaration: engines, SQL, maps and parameters use it.
FARMLAND_CODES = frozenset({PADDY, IRRIGATED, DRY})
#: :data:`FARMLAND_CODES` as the FARMLAND_CODES parameter writes them (comma-separated).
FARMLAND_CODES_TEXT = ",".join(sorted(FARMLAND_CODES))

_BY_PREFIX = {"01": AGRICULTURAL, "02": AGRICULTURAL, "03": AGRICULTURAL,
              "05": CONSTRUCTION, "06": CONSTRUCTION, "07": CONSTRUCTION,
              "08": CONSTRUCTION, "09": CONSTRUCTION}
_BY_CODE = {
    **{c: AGRICULTURAL for c in ("0401", "0403", "1006", "1103", "1104", "1107",
                                 "1202", "1203")},
    **{c: CONSTRUCTION for c in ("1001", "1002", "1003", "1004", "1005", "1007",
                                 "1008", "1009", "1109", "1201")},
    **{c: UNUSED for c in ("0404", "1101", "1102", "1105", "1106", "1108", "1110",
                           "1204", "1205", "1206", "1207")},
}


#: Fields of the 地块面积 identity, m² net of 田坎 (耕地, 非耕农用地, 建设用地, 未利用地).
GDMJ, FGNYDMJ, JSYDMJ, WLYDMJ = "GDMJ", "FGNYDMJ", "JSYDMJ", "WLYDMJ"
AREA_CLASSES = (GDMJ, FGNYDMJ, JSYDMJ, WLYDMJ)
#: 田坎: the class of the area a KCXS deduction takes off a land-use polygon (农用地).
TIANKAN = "1203"
_FIELD_OF_BROAD = {AGRICULTURAL: FGNYDMJ, CONSTRUCTION: JSYDMJ, UNUSED: WLYDMJ}


def normalize_code(value: Any) -> str:
    """Canonical DLBM text: trimmed, upper-case, leading zero restored.

    Numeric fields lose the leading zero (101 or 101.0 for 0101); the K suffix
    of adjustable land (0201K) is kept because 0201K is reported apart from 0201.
    """
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN from an empty numeric field
            return ""
        if value.is_integer():
            value = int(value)
    text = str(value).strip().upper()
    digits = text[:-1] if text.endswith("K") else text
    if digits.isdigit() and len(digits) == 3:
        text = "0" + text
    return text


def codes_from_text(text: str) -> list[str]:
    """Class codes of a comma-separated list (the FARMLAND_CODES parameter), blanks dropped, as written."""
    return [c.strip() for c in (text or "").split(",") if c.strip()]


def broad_class(code: str) -> str:
    """三大类 of a normalised code ('' when §3 does not classify it)."""
    base = code[:-1] if code.endswith("K") else code
    return _BY_CODE.get(base) or _BY_PREFIX.get(base[:2], "")


def area_class(code: str, farmland_codes: frozenset[str] | set[str] = FARMLAND_CODES) -> str:
    """Identity field (:data:`AREA_CLASSES`) that the net area of normalised class ``code`` goes to.

    耕地 is whatever the run counts as farmland (``farmland_codes``, normalised);
    the other classes go by their broad class. '' when §3 does not classify the
    code (it then counts in no field: the caller reports it).
    """
    if code in farmland_codes:
        return GDMJ
    return _FIELD_OF_BROAD.get(broad_class(code), "")


def deduction_class(code: str, farmland_codes: frozenset[str] | set[str] = FARMLAND_CODES) -> str:
    """Identity field the KCXS deduction (田坎, 1203) of a polygon of class ``code`` goes to.

    田坎 is 农用地, so :data:`FGNYDMJ`; '' for an unclassified polygon, which
    counts in no field as a whole.
    """
    return _FIELD_OF_BROAD[broad_class(TIANKAN)] if area_class(code, farmland_codes) else ""
