"""The workspace's portable SQL on psycopg2: DB-API ``qmark`` parameters, sqlite3's calling shape.

The domain modules (judgement, reporting, casework, workbench rows) write
their SQL once, in the subset both engines read alike: standard SQL with
every upper-case column name double-quoted (``p."JCBH"``; PostgreSQL folds
unquoted names to lower case), ``?`` parameters, and no RETURNING — a new
row's key comes from :func:`..interface.insert_row`, which asks each backend
the way it answers (``RETURNING`` here, ``lastrowid`` on SQLite). SQL only one
backend runs lives in that backend's modules (``postgis/*.py``; the
GeoPackage's ``store.py``, ``schema.py``, ``gpkg.py``).

:class:`PgConnection` is a psycopg2 connection with sqlite3's calling shape:

- ``?`` parameters become ``%s`` (psycopg2's ``format`` paramstyle; a literal
  ``%`` is doubled) — the one difference between the two drivers' DB-API
  dialects; nothing else in a statement is rewritten, and a statement without
  ``?`` is passed through, so psycopg2-style ``%s`` SQL works too;
- ``execute`` returns an iterable cursor; ``bytea`` comes back as ``bytes``,
  ``numeric`` as ``int``/``float``;
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

_TOKEN = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\?|%|[^'"?%-]+|.""", re.S)


def format_paramstyle(sql: str) -> tuple[str, bool]:
    """(``sql`` with ``?`` parameters as psycopg2's ``%s``, whether it had any); literals and names untouched."""
    tokens = _TOKEN.findall(sql)
    qmark = "?" in tokens
    if not qmark:
        return sql, False
    out = []
    for tok in tokens:
        if tok == "?":
            out.append("%s")
        elif "%" in tok:
            out.append(tok.replace("%", "%%"))
        else:
            out.append(tok)
    return "".join(out), True


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
        text, qmark = format_paramstyle(sql)
        with self.connection._statement():
            if qmark or params:
                self._raw.execute(text, tuple(params or ()))
            else:
                self._raw.execute(text)
            self.rowcount = self._raw.rowcount
            rows = [tuple(_value(v) for v in r) for r in self._raw.fetchall()] if self._raw.description else []
        self._pos = 0
        self._rows, self.description = rows, self._raw.description
        return self

    def insert_returning(self, sql: str, params: Sequence[Any], key: str) -> int | None:
        """Run one INSERT and return column ``key`` of the row it added (None when it added none)."""
        self.execute(f'{sql.rstrip().rstrip(";")} RETURNING "{key}"', params)
        row = self.fetchone()
        return None if row is None else int(row[0])

    def executemany(self, sql: str, seq_of_params: Iterable[Sequence[Any]]) -> PgCursor:
        from psycopg2.extras import execute_batch

        text, _ = format_paramstyle(sql)
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

    def __init__(self, raw, schema: str) -> None:
        self.raw = raw
        self.schema = schema
        self._depth = 0

    # -- sqlite3-style API -----------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | None = ()) -> PgCursor:
        return PgCursor(self).execute(sql, params)

    def executemany(self, sql: str, seq_of_params: Iterable[Sequence[Any]]) -> PgCursor:
        return PgCursor(self).executemany(sql, seq_of_params)

    def insert_returning(self, sql: str, params: Sequence[Any], key: str) -> int | None:
        return PgCursor(self).insert_returning(sql, params, key)

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
