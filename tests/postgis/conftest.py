"""PostGIS tests: one PostgreSQL 15 cluster per test session (see tests/helpers/pg_cluster.py)."""
from __future__ import annotations

import itertools

import pytest

_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_cluster():
    import pg_cluster as helper

    reason = helper.missing_reason()
    if reason:
        pytest.skip(reason)
    cluster = helper.start()
    yield cluster
    helper.stop(cluster)


@pytest.fixture()
def pg_db(pg_cluster):
    """A fresh database with PostGIS, named after a counter; dropped with the cluster."""
    return pg_cluster.create_database(f"wpzf_test_{next(_counter)}")
