"""Chunked, optionally threaded, execution with progress and cancellation.

Processing algorithms must stay responsive: patches are handled in chunks so
the adapter's feedback can show progress and stop a long run between chunks.
GEOS (shapely 2) and PROJ release the GIL, so a second worker thread nearly
halves the wall time on two cores; results always come back in chunk order.
"""
from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Callable, Optional, TypeVar

from .messages import QT_TRANSLATE_NOOP, WpzfError

ProgressCallback = Callable[[float], None]
CancelCheck = Callable[[], bool]
T = TypeVar("T")


class Canceled(WpzfError):
    """The caller asked to stop (``is_canceled()`` returned True); no result exists."""

    def __init__(self, template: str = QT_TRANSLATE_NOOP("domain", "Canceled; nothing was changed."),
                 **values: object) -> None:
        super().__init__(template, **values)


def run_chunks(total: int, size: int, work: Callable[[slice], T],
               progress: Optional[ProgressCallback] = None,
               is_canceled: Optional[CancelCheck] = None, workers: int = 1) -> list[T]:
    """``[work(s) for s in slices of range(total)]``, ``workers`` at a time.

    ``progress(fraction)`` and ``is_canceled()`` are called from the calling
    thread only (QGIS feedback objects may be used there). Raises
    :class:`Canceled` as soon as a check is true; running chunks finish first.
    """
    if size < 1 or workers < 1:
        raise ValueError("chunk size and workers must be at least 1")
    parts = [slice(start, min(start + size, total)) for start in range(0, total, size)]
    results: list = [None] * len(parts)
    done_rows = 0
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: dict[Future, int] = {}
        queue = iter(range(len(parts)))
        while True:
            if is_canceled is not None and is_canceled():
                for future in pending:
                    future.cancel()
                raise Canceled()
            for k in queue:
                pending[pool.submit(work, parts[k])] = k
                if len(pending) >= workers:
                    break
            if not pending:
                return results
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                k = pending.pop(future)
                results[k] = future.result()
                done_rows += parts[k].stop - parts[k].start
            if progress is not None:
                progress(done_rows / total)
