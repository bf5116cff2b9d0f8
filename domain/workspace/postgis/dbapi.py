"""A sqlite3-shaped connection over psycopg2, so the workspace's domain code runs on PostGIS unchanged.

The domain modules (judgement, reporting, workbench rows) were written against
the GeoPackage workspace's ``sqlite3`` connection: ``conn.execute(sql, params)``
with ``?`` placeholders returning an iterable cursor, ``executemany``,
``cur.lastrowid``, unquoted upper-case column names (JCBH, PDLX) and
autocommit outside ``ws.transaction()``. :class:`PgConnection` gives them the
same on a psycopg2 connection:

- ``?`` placeholders become ``%s`` (a literal ``%`` is doubled); a statement
  without ``?`` is passed through, so psycopg2-style ``%s`` SQL works too;
- bare words that name an upper-case column of the workspace schema are
  quoted (``p.JCBH`` → ``p."JCBH"``): PostgreSQL folds unquoted names to lower case;
- an ``INSERT`` into a table with an identity key gets ``RETURNING <key>`` so
  ``cursor.lastrowid`` holds the new row's key, as with sqlite3;
- ``bytea`` comes back as ``bytes``, ``numeric`` as ``int``/``float``;
- outside :meth:`PgConnection.transaction` every statement commits on its own
  (sqlite3's ``isolation_level=None``); transactions nest, only the outermost
  commits or rolls back.

``cursor()``, ``commit()``, ``rollback()`` and ``close()`` are psycopg2's own,
for code that talks PostgreSQL directly.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

_TOKEN = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|[A-Za-z_][A-Za-z0-9_]*|\?|%|\s+|.""", re.S)
_INSERT = re.compile(r'^\s*INSERT\s+INTO\s+"?([A-Za-z_][A-Za-z0-9_]*)"?', re.I)


def schema_catalogue(raw, schema: str) -> tuple[frozenset[str], dict[str, str]]:
    """Upper-case column names of ``schema`` and table → identity/serial key column."""
    with raw.cursor() as cur:
        cur.execute("SELECT DISTINCT column_name FROM information_schema.columns "
                    "WHERE table_schema = %s AND column_name <> lower(column_name)", (schema,))
        upper = frozenset(r[0] for r in cur.fetchall())
        cur.execute("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = %s "
                    "AND (is_identity = 'YES' OR column_default LIKE 'nextval%%')", (schema,))
        keys = {t: c for t, c in cur.fetchall()}
    return upper, keys


def translate(sql: str, upper_columns: frozenset[str]) -> tuple[str, bool]:
    """(PostgreSQL text, uses ``?`` placeholders) of one sqlite-style statement."""
    tokens = _TOKEN.findall(sql)
    qmark = "?" in tokens
    out = []
    for tok in tokens:
        if tok == "?":
            out.append("%s")
        elif tok == "%":
            out.append("%%" if qmark else "%")
        elif tok in upper_columns:
            out.append(f'"{tok}"')
        elif qmark and tok[0] in "'\"-" and "%" in tok:
            out.append(tok.replace("%", "%%"))
        else:
            out.append(tok)
    return "".join(out), qmark


def _value(v: Any) -> Any:
    if isinstance(v, memoryview):
        return v.tobytes()
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


class PgCursor:
    """The sqlite3.Cursor subset the domain uses: execute returns the cursor itself."""

    def __init__(self, connection: PgConnection) -> None:
        self.connection = connection
        self._raw = connection.raw.cursor()
        self._rows: list[tuple] = []
        self._pos = 0
        self.description = None
        self.rowcount = -1
        self.lastrowid: int | None = None

    def execute(self, sql: str, params: Sequence[Any] | None = ()) -> PgCursor:
        text, qmark = translate(sql, self.connection.upper_columns)
        returning = self._returning_key(text)
        if returning:
            text = f"{text.rstrip().rstrip(';')} RETURNING {returning}"
        with self.connection._statement():
            if qmark or params:
                self._raw.execute(text, tuple(params or ()))
            else:
                self._raw.execute(text)
            self.rowcount = self._raw.rowcount
            rows = [tuple(_value(v) for v in r) for r in self._raw.fetchall()] if self._raw.description else []
        self._pos = 0
        self.lastrowid = None
        if returning:
            self.lastrowid = rows[-1][0] if rows else None
            self._rows, self.description = [], None
        else:
            self._rows, self.description = rows, self._raw.description
        return self

    def _returning_key(self, text: str) -> str:
        found = _INSERT.match(text)
        if not found or re.search(r"\bRETURNING\b", text, re.I):
            return ""
        key = self.connection.keys.get(found[1])
        return f'"{key}"' if key else ""

    def executemany(self, sql: str, seq_of_params: Iterable[Sequence[Any]]) -> PgCursor:
        from psycopg2.extras import execute_batch

        text, _ = translate(sql, self.connection.upper_columns)
        rows = [tuple(p) for p in seq_of_params]
        with self.connection._statement():
            if rows:
                execute_batch(self._raw, text, rows, page_size=200)
        self._rows, self._pos, self.description, self.rowcount = [], 0, None, -1
        return self

    def fetchone(self) -> tuple | None:
        if self._pos >= len(self._rows):
            return None
        self._pos += 1
        return self._rows[self._pos - 1]

    def fetchall(self) -> list[tuple]:
        rest = self._rows[self._pos:]
        self._pos = len(self._rows)
        return rest

    def __iter__(self) -> Iterator[tuple]:
        while True:
            row = self.fetchone()
            if row is None:
                return
            yield row

    def close(self) -> None:
        self._raw.close()


class PgConnection:
    """A psycopg2 connection that also speaks the sqlite3 dialect the domain modules use."""

    def __init__(self, raw, schema: str, commit: bool = True) -> None:
        self.raw = raw
        self.schema = schema
        self._depth = 0
        self.refresh(commit)

    def refresh(self, commit: bool = True) -> None:
        """Re-read the schema's column names and keys (after a migration).

        ``commit=False`` keeps an open transaction open (a schema being
        created and filled in one transaction, see postgis/migrate.py).
        """
        self.upper_columns, self.keys = schema_catalogue(self.raw, self.schema)
        if commit and not self._depth:
            self.raw.commit()

    # -- sqlite3-style API -----------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | None = ()) -> PgCursor:
        return PgCursor(self).execute(sql, params)

    def executemany(self, sql: str, seq_of_params: Iterable[Sequence[Any]]) -> PgCursor:
        return PgCursor(self).executemany(sql, seq_of_params)

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    @contextmanager
    def transaction(self) -> Iterator[PgCursor]:
        """One transaction (nested calls join the outer one): COMMIT, or ROLLBACK on any exception."""
        self._depth += 1
        try:
            yield PgCursor(self)
        except BaseException:
            self._depth -= 1
            if not self._depth:
                self.raw.rollback()
            raise
        self._depth -= 1
        if not self._depth:
            self.raw.commit()

    @contextmanager
    def _statement(self) -> Iterator[None]:
        """Outside a transaction a statement commits on its own (or rolls back on an error)."""
        try:
            yield
        except BaseException:
            if not self._depth:
                self.raw.rollback()
            raise
        if not self._depth:
            self.raw.commit()

    # -- psycopg2's own ---------------------------------------------------
    def cursor(self, *args, **kwargs):
        return self.raw.cursor(*args, **kwargs)

    def commit(self) -> None:
        self.raw.commit()

    def rollback(self) -> None:
        self.raw.rollback()

    def close(self) -> None:
        self.raw.close()

    @property
    def closed(self) -> bool:
        return bool(self.raw.closed)
