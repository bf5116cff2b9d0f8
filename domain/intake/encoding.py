"""Detect the text encoding of a shapefile's DBF from its bytes.

Ministry and provincial shapefiles are often GBK without a .cpg and with no
language-driver byte; GDAL then decodes them as Latin-1 and the Chinese
values arrive garbled. We read the declaration if there is one, otherwise
decode every character field strictly and pick the encoding that fits.
"""
from __future__ import annotations

import struct
from pathlib import Path

from ..messages import QT_TRANSLATE_NOOP, WpzfError

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


def _character_field_bytes(dbf: Path) -> bytes:
    """Concatenated raw values of every character (C) field, non-ASCII records only."""
    data = dbf.read_bytes()
    if len(data) < 32:
        return b""
    n_records, header_len, record_len = struct.unpack_from("<IHH", data, 4)
    fields: list[tuple[int, int]] = []
    offset, pos = 1, 32  # byte 0 of a record is the deletion flag
    while pos + 32 <= header_len and data[pos] != 0x0D:
        ftype = chr(data[pos + 11])
        flen = data[pos + 16]
        if ftype in "CM":
            fields.append((offset, flen))
        offset += flen
        pos += 32
    chunks: list[bytes] = []
    for i in range(n_records):
        start = header_len + i * record_len
        record = data[start : start + record_len]
        if len(record) < record_len:
            break
        for off, flen in fields:
            value = record[off : off + flen].rstrip(b" \x00")
            if any(b >= 0x80 for b in value):
                chunks.append(value)
    return b"\n".join(chunks)


def _decodes(raw: bytes, codec: str) -> bool:
    try:
        raw.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def detect_shapefile_encoding(shp_path: Path | str) -> str:
    """Encoding to open ``shp_path`` with: 'UTF-8', 'CP936' (GBK) or a declared one.

    A declaration (.cpg or language-driver byte) wins. Otherwise the character
    fields are decoded strictly: valid UTF-8 → UTF-8 (GBK text is almost never
    valid UTF-8); else valid GBK → CP936; else GB18030; else an error naming
    the file. Pure-ASCII files report UTF-8.
    """
    shp_path = Path(shp_path)
    declared = declared_encoding(shp_path)
    if declared:
        return declared
    dbf = dbf_path_for(shp_path)
    if dbf is None:
        raise EncodingError(QT_TRANSLATE_NOOP("domain", "No attribute file (.dbf) next to {path}."), path=shp_path)
    raw = _character_field_bytes(dbf)
    if _decodes(raw, "utf-8"):
        return "UTF-8"
    if _decodes(raw, "gbk"):
        return "CP936"
    if _decodes(raw, "gb18030"):
        return "GB18030"
    raise EncodingError(
        QT_TRANSLATE_NOOP(
            "domain", "The text in {file} is neither UTF-8 nor GBK; give its encoding in the ENCODING parameter."
        ),
        file=dbf.name,
    )
