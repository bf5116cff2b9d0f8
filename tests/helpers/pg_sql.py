"""Read a shared workspace straight from the server, as psql would (tests' helper)."""
from __future__ import annotations

import psycopg2


def fetch(params, schema, sql, args=()):
    """Rows of ``sql`` run in workspace ``schema`` on its own connection (what another client sees)."""
    conn = psycopg2.connect(**params)
    try:
        with conn.cursor() as cur:
            cur.execute(f"SET search_path = {schema}, public")
            cur.execute(sql, args)
            return cur.fetchall()
    finally:
        conn.close()
