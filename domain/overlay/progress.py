"""Chunked iteration with progress reporting and cancellation.

Processing algorithms must stay responsive: patches are handled in chunks so
the adapter's feedback can show progress and stop a long run between chunks.
"""
from __future__ import annotations

from typing import Callable, Iterator, Optional

ProgressCallback = Callable[[float], None]
CancelCheck = Callable[[], bool]


class Canceled(Exception):
    """The caller asked to stop (``is_canceled()`` returned True); no result exists."""


def chunks(total: int, size: int, progress: Optional[ProgressCallback] = None,
           is_canceled: Optional[CancelCheck] = None) -> Iterator[slice]:
    """Yield slices covering range(total); report fraction done after each one.

    Raises :class:`Canceled` before a chunk starts when ``is_canceled()`` is true.
    """
    if size < 1:
        raise ValueError("chunk size must be at least 1")
    for start in range(0, total, size):
        if is_canceled is not None and is_canceled():
            raise Canceled("overlay statistics canceled")
        stop = min(start + size, total)
        yield slice(start, stop)
        if progress is not None:
            progress(stop / total)
