"""Imagery pre-screening (影像变化预筛): the change inside each patch from the before/after images. No Qt.

:mod:`.measures` turns two co-registered image windows and a patch mask into
the per-patch measures (pure numpy); :mod:`.store` keeps them in the
workspace table ``wpzf_imagery_change``; :mod:`.screening` lets
pre-judgement use them. Reading the rasters is the adapter's job
(``processing/imagery_io.py``).
"""
from __future__ import annotations

from .measures import FLAGS, NO_DATA, NOT_COVERED, PARTLY_COVERED, PARTLY_NO_DATA, ChangeMeasures, Window, measure

__all__ = ["FLAGS", "NO_DATA", "NOT_COVERED", "PARTLY_COVERED", "PARTLY_NO_DATA", "ChangeMeasures", "Window",
           "measure"]
