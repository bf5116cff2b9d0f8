"""The SQL both workspace backends run is written once, portably: no upper-case column left unquoted.

Issue 21 item 1: the PostGIS store no longer rewrites SQLite SQL (postgis/dbapi.py only turns DB-API
``?`` parameters into psycopg2's ``%s``). PostgreSQL folds an unquoted ``JCBH`` to ``jcbh`` and fails,
SQLite does not care: a statement in a shared module that names a declared upper-case column without
quotes would work on a GeoPackage and fail only on the shared server. This reads every string literal
of the modules that run on both backends and names each such column.
"""
from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

from wpzf.domain.workspace import columns, tables

ROOT = Path(__file__).resolve().parents[2]
SHARED = ("domain", "adapters", "ui", "printing", "processing")
#: modules whose SQL only one backend runs (each quotes as its engine needs, or need not)
ONE_BACKEND = {
    "domain/workspace/store.py", "domain/workspace/schema.py", "domain/workspace/gpkg.py",
    "domain/workspace/gpkg_codec.py", "domain/workspace/triggers.py", "domain/workspace/tables.py",
    "processing/gpkg_bulk.py",
}
SQL = re.compile(r"\b(SELECT|INSERT INTO|UPDATE|DELETE FROM|WHERE|ORDER BY|GROUP BY)\b"
                 r"|^\s*[A-Za-z_]\w*(\s*,\s*[A-Za-z_]\w*){2,}\s*$")  # or a column list kept for SQL
NAMES = {c.name for c in columns.PATCH_COLUMNS} | {c.name for t in tables.TABLES for c in t.columns}
UPPER = {n for n in NAMES if n != n.lower()}


def _unquoted(body: str) -> list[str]:
    """Declared upper-case columns named outside quotes, literals, comments and f-string fields."""
    stripped = re.sub(r"'(?:[^']|'')*'|\"[^\"]*\"|--[^\n]*|\{[^{}]*\}", " ", body)
    return [w for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", stripped) if w in UPPER]


def _sql_body(token: str) -> str | None:
    """The text of a string token when it reads as SQL (a statement or a column list kept for one), else None."""
    prefix = re.match(r"(?i)[rbfu]*", token).group(0)
    quote = 3 if token.startswith(('"""', "'''"), len(prefix)) else 1
    body = token[len(prefix) + quote:-quote]
    if not SQL.search(body) or (quote == 3 and "\n" in body and not SQL.match(body.strip())):
        return None  # not SQL, or a docstring
    return body


def _findings(path: Path) -> list[str]:
    found = []
    for token in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        body = _sql_body(token.string) if token.type == tokenize.STRING else None
        if body is not None:
            found += [f"{path.relative_to(ROOT)}:{token.start[0]}: {w}" for w in _unquoted(body)]
    return found


def test_shared_sql_quotes_every_upper_case_column():
    files = [p for top in SHARED for p in (ROOT / top).rglob("*.py")
             if p.relative_to(ROOT).as_posix() not in ONE_BACKEND]
    assert len(files) > 50
    findings = [f for p in files for f in _findings(p)]
    assert findings == [], "\n".join(findings)


def test_the_check_sees_an_unquoted_column():
    assert _unquoted("SELECT p.JCBH, b.\"PCMC\" FROM jctb p WHERE PDLX = '违法 JCBH'") == ["JCBH", "PDLX"]
    assert _unquoted('SELECT p."JCBH" FROM jctb p WHERE p.{ID} = ?') == []
    column_list = '"id, patch_fid, ZLLX, WJLJ, SHA256"'  # a column list kept for later SELECTs
    assert _unquoted(_sql_body(column_list)) == ["ZLLX", "WJLJ", "SHA256"]
    assert _sql_body('"JCBH is missing"') is None
