"""WKB read in bulk and kept unparsed for the overlay workers (issue 16: parse only land use near patches).

The main process keeps a district's land-use WKB as one bytes object; each
worker cuts out the blobs its patches need. A feature without geometry must
stay "no geometry" (it is reported as dropped, issue 14), an empty blob must
stay a blob, and positions must not shift across the batches GDAL reads in.
"""
from __future__ import annotations

import numpy as np
import shapely

from wpzf.domain.overlay.gpkg_features import PackedWkb


def test_blobs_come_back_by_position_across_batches_with_none_and_empty_kept():
    squares = [shapely.box(i, 0, i + 1, 1) for i in range(5)]
    first = PackedWkb.of(np.array([shapely.to_wkb(squares[0]), None, b""], dtype=object))
    second = PackedWkb.of([shapely.to_wkb(g) for g in squares[1:]])
    packed = PackedWkb.join([first, second])
    assert packed.size == 7
    assert packed.lengths.tolist()[:3] == [len(shapely.to_wkb(squares[0])), -1, 0]
    taken = packed.take(np.array([6, 1, 0, 2, 3]))
    assert taken[1] is None and taken[3] == b""
    geoms = shapely.from_wkb(taken[[0, 2, 4]])
    # positions 6, 0, 3 are squares 4, 0, 1 (position k ≥ 3 holds square k − 2)
    assert [g.bounds[0] for g in geoms] == [4.0, 0.0, 1.0]
    assert PackedWkb.join([]).size == 0 and PackedWkb.of([]).take(np.zeros(0, dtype=np.intp)).size == 0
