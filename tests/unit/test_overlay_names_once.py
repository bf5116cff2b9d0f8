"""Issue 21 item 4: area-method names, farmland codes and the code normaliser are one definition for both engines."""
from __future__ import annotations

import pytest

from wpzf.domain.overlay import AREA_METHODS, ELLIPSOIDAL, FARMLAND_CODES, PLANAR, codes_from_text, normalize_code
from wpzf.domain.workspace.postgis.overlay_sql import SqlFarmlandOverlay, Table
from wpzf.domain.workspace.postgis.overlay_sql_terms import OverlaySqlError, area_sql


def test_the_sql_engine_takes_the_python_engines_method_names():
    # the algorithms pass AREA_METHODS[index] to either engine unchanged
    for method in AREA_METHODS:
        assert SqlFarmlandOverlay(None, Table("p"), Table("l"), area=method).area == method
    assert "EPSG" not in area_sql("g", PLANAR) and "6933" in area_sql("g", ELLIPSOIDAL)
    with pytest.raises(OverlaySqlError):
        SqlFarmlandOverlay(None, Table("p"), Table("l"), area="official")  # the old SQL-only name


def test_the_sql_engine_normalises_farmland_codes_as_the_python_engine():
    overlay = SqlFarmlandOverlay(None, Table("p"), Table("l"), farmland_codes=codes_from_text(" 101,0103 ,201k,,"))
    assert overlay.codes == sorted(normalize_code(c) for c in ("101", "0103", "201k")) == ["0101", "0103", "0201K"]
    # domain.md §3: 耕地 = 0101 水田, 0102 水浇地, 0103 旱地 — the default of both engines
    assert SqlFarmlandOverlay(None, Table("p"), Table("l")).codes == sorted(FARMLAND_CODES) == ["0101", "0102", "0103"]
