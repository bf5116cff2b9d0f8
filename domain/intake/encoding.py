"""Detect the text encoding of a shapefile's DBF from its bytes.

Ministry and provincial shapefiles are often GBK without a .cpg and with no
language-driver byte; GDAL then decodes them as Latin-1 and the Chinese
values arrive garbled. We read the declaration if there is one, otherwise
decode every character field strictly and pick the encoding that fits.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from ..messages import QT_TRANSLATE_NOOP, WpzfError
from ..workspace.patch_fields import ID_FIELD

# DBF language-driver ids that name a Chinese or Unicode code page.
_LDID_CODEPAGES = {0x4D: "CP936", 0x7A: "CP936", 0x57: None}  # 0x57 = ANSI: no information
_CPG_ALIASES = {
    "936": "CP936", "cp936": "CP936", "gbk": "CP936", "gb2312": "CP936", "gb18030": "GB18030",
    "utf-8": "UTF-8", "utf8": "UTF-8", "65001": "UTF-8",
}


class EncodingError(WpzfError, ValueError):
    """The DBF's text is neither valid UTF-8 nor valid GBK/GB18030."""


def dbf_path_for(shp_path: Path) -> Path | None:
    """The .dbf beside a .shp (any case), or None."""
    for suffix in (".dbf", ".DBF", ".Dbf"):
        candidate = shp_path.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


def declared_encoding(shp_path: Path) -> str | None:
    """Encoding named by a .cpg file or the DBF language-driver byte, if any."""
    for suffix in (".cpg", ".CPG"):
        cpg = shp_path.with_suffix(suffix)
        if cpg.is_file():
            text = cpg.read_text(encoding="ascii", errors="ignore").strip().lower()
            if text:
                return _CPG_ALIASES.get(text, text.upper())
    dbf = dbf_path_for(shp_path)
    if dbf is None:
        return None
    with dbf.open("rb") as fh:
        header = fh.read(32)
    return _LDID_CODEPAGES.get(header[29]) if len(header) == 32 else None


@dataclass
class _Text:
    """Raw non-ASCII values of one character field: (record number from 1, bytes)."""

    field: str
    values: list[tuple[int, bytes]]


def _character_fields(dbf: Path, id_field: str) -> tuple[list[_Text], dict[int, str]]:
    """Every character (C/M) field's non-ASCII values, and each record's ID (ASCII part) for messages."""
    data = dbf.read_bytes()
    if len(data) < 32:
        return [], {}
    n_records, header_len, record_len = struct.unpack_from("<IHH", data, 4)
    fields: list[tuple[str, int, int]] = []
    id_slot: tuple[int, int] | None = None
    offset, pos = 1, 32  # byte 0 of a record is the deletion flag
    while pos + 32 <= header_len and data[pos] != 0x0D:
        name = data[pos : pos + 11].split(b"\x00")[0].decode("latin-1").strip()
        ftype = chr(data[pos + 11])
        flen = data[pos + 16]
        if ftype in "CM":
            fields.append((name, offset, flen))
        if name.lower() == id_field.lower():
            id_slot = (offset, flen)
        offset += flen
        pos += 32
    texts = [_Text(name, []) for name, _, _ in fields]
    ids: dict[int, str] = {}
    for i in range(n_records):
        start = header_len + i * record_len
        record = data[start : start + record_len]
        if len(record) < record_len:
            break
        if id_slot is not None:
            ids[i + 1] = record[id_slot[0] : id_slot[0] + id_slot[1]].decode("latin-1").strip()
        for text, (_, off, flen) in zip(texts, fields):
            value = record[off : off + flen].rstrip(b" \x00")
            if any(b >= 0x80 for b in value):
                text.values.append((i + 1, value))
    return [t for t in texts if t.values], ids


def _decodes(raw: bytes, codec: str) -> bool:
    try:
        raw.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


MAX_IMPLAUSIBLE_SHARE = 0.05
"""Share of decoded characters that are no ordinary Chinese above which GBK text is judged mis-decoded
(see :func:`implausible`; Big5 read as GBK gives ≈ 75 %, real text ≈ 0)."""


def _neutral(c: str) -> bool:
    """ASCII, Latin-1 symbols (², °) and general punctuation (—, …): no evidence either way."""
    return ord(c) < 0x100 or 0x2000 <= ord(c) <= 0x206F


def plausible_chinese(c: str) -> bool:
    """True for characters ordinary Chinese text is written with, Simplified or Traditional.

    GB2312's hanzi (levels 1 and 2, lead bytes 0xB0–0xF7: the mainland's
    6 763 standard characters) and its punctuation and full-width rows
    (0xA1–0xA3), 〇, and Big5's 5 401 frequent characters (0xA440–0xC67E), so
    that Traditional names a supplier wrote in GBK still read as text. Not:
    kana, Greek, Cyrillic and box drawing, the user-defined areas (private
    use) and rare characters — which is where Big5 bytes read as GBK land:
    Big5's 中 (A4 A4) reads as the hiragana い, 違 (B9 48) as the rare 笻.
    """
    if c == "〇":
        return True
    try:
        b = c.encode("gb2312")
        if b[0] in (0xA1, 0xA2, 0xA3) or 0xB0 <= b[0] <= 0xF7:
            return True
    except UnicodeEncodeError:
        pass
    try:
        b = c.encode("big5")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and 0xA440 <= (b[0] << 8 | b[1]) <= 0xC67E


def implausible(text: str) -> tuple[int, int]:
    """(characters that are no ordinary Chinese, characters counted) of a decoded text.

    Why a rule and not a library detector: measured on DBF values (a few
    characters each), charset_normalizer 3.0 calls GBK 永川区 "cp949" and
    设施农用地 "big5", and chardet 5.1 calls six of nine single Big5 place
    names ISO-8859-1 or IBM866; neither is guaranteed in QGIS's Python on
    Windows. The rule separates what matters here: 176 Traditional words in
    Big5, read as GB18030, give 423 of 561 characters (75 %) outside
    :func:`plausible_chinese`; the same words written in GBK give none, and
    the repository's own Simplified texts (10 269 characters: sample data,
    rules, work plan) give one (π).
    """
    counted = [c for c in text if not _neutral(c)]
    return sum(1 for c in counted if not plausible_chinese(c)), len(counted)


def _refuse_mojibake(dbf: Path, texts: list[_Text], ids: dict[int, str], codec: str) -> EncodingError:
    """The refusal for a DBF whose text is not clean GBK/UTF-8, naming the fields and a feature."""
    worst: list[tuple[int, _Text, int, bytes]] = []
    for text in texts:
        bad = 0
        first_bad: tuple[int, bytes] | None = None
        for record, raw in text.values:
            decoded = raw.decode(codec, errors="replace")
            n_bad, _ = implausible(decoded)
            if not _decodes(raw, codec):
                n_bad += 1
            if n_bad and first_bad is None:
                first_bad = (record, raw)
            bad += n_bad
        if bad and first_bad is not None:  # a bad count always has its first bad value
            worst.append((bad, text, *first_bad))
    worst.sort(key=lambda w: (-w[0], w[1].field))
    _, text, record, raw = worst[0]
    as_big5 = all(_decodes(v, "big5") for t in texts for _, v in t.values)
    return EncodingError(
        QT_TRANSLATE_NOOP(
            "domain", "The text in {file} is not clean UTF-8 or GBK: field {field} of feature {feature} would read "
            "as {garbled!r}{big5}. Fields affected: {fields}. Nothing was imported; give the file's encoding in the "
            "ENCODING parameter (for example CP950 for Big5)."),
        file=dbf.name, field=text.field,
        feature=f"{record}" + (f" ({ids[record]})" if ids.get(record) else ""),
        garbled=raw.decode(codec, errors="replace"),
        big5=f" (Big5: {raw.decode('big5', errors='replace')!r})" if as_big5 else "",
        fields=", ".join(w[1].field for w in worst),
    )


def detect_shapefile_encoding(shp_path: Path | str, id_field: str = ID_FIELD) -> str:
    """Encoding to open ``shp_path`` with: 'UTF-8', 'CP936' (GBK), 'GB18030' or a declared one.

    A declaration (.cpg or language-driver byte) wins, except that text
    declared GBK/GB18030 must still read as Chinese. Otherwise the character
    fields are decoded strictly: valid UTF-8 → UTF-8 (GBK text is almost never
    valid UTF-8); else valid GBK (or GB18030) whose characters are plausible
    Chinese (:func:`implausible`; one odd character is tolerated) → CP936 (GB18030); anything else
    — Big5, Shift-JIS, bytes of no code page — is refused naming the file,
    the fields and a feature, with the ENCODING hint: never read as mojibake.
    Pure-ASCII files report UTF-8.
    """
    shp_path = Path(shp_path)
    declared = declared_encoding(shp_path)
    if declared and declared not in ("CP936", "GB18030"):
        return declared
    dbf = dbf_path_for(shp_path)
    if dbf is None:
        if declared:
            return declared
        raise EncodingError(QT_TRANSLATE_NOOP("domain", "No attribute file (.dbf) next to {path}."), path=shp_path)
    texts, ids = _character_fields(dbf, id_field)
    raws = [raw for text in texts for _, raw in text.values]
    if not declared and all(_decodes(raw, "utf-8") for raw in raws):
        return "UTF-8"
    codec = "gbk" if all(_decodes(raw, "gbk") for raw in raws) else "gb18030"
    if all(_decodes(raw, codec) for raw in raws):
        bad, counted = implausible("".join(raw.decode(codec) for raw in raws))
        if bad < 2 or bad <= MAX_IMPLAUSIBLE_SHARE * counted:
            return declared or ("CP936" if codec == "gbk" else "GB18030")
    raise _refuse_mojibake(dbf, texts, ids, codec)
