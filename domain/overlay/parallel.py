"""Chunk work on forked worker processes, threads where fork is not available.

Shapely 2.0 holds the GIL while GEOS computes overlays, so worker threads do
not overlap the intersections and unions that dominate the overlay engine;
separate processes do (measured ~1.8× on two cores). Workers are forked once
the inputs are in memory, so they inherit the geometries instead of receiving
copies, and only small per-chunk result arrays travel back through pickling.

Forked workers run pure numpy/shapely/pyproj code: the chunk function must not
touch Qt or QGIS objects (the caller's progress and cancel callbacks run in the
calling process only). Where fork is missing or unsafe (Windows, macOS) this
falls back to :func:`~..progress.run_chunks` with threads.
"""
from __future__ import annotations

import ctypes
import gc
import multiprocessing
import sys
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Callable, Optional, TypeVar

from ..progress import CancelCheck, Canceled, ProgressCallback, run_chunks

T = TypeVar("T")

#: The chunk function of the run in progress; forked workers inherit it.
_work: Optional[Callable[[slice], object]] = None


def _run_part(start: int, stop: int) -> object:
    assert _work is not None, "worker started without a job"
    return _work(slice(start, stop))


def fork_available() -> bool:
    """True where worker processes can be forked safely (Linux)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def run_chunks_parallel(total: int, size: int, work: Callable[[slice], T],
                        progress: Optional[ProgressCallback] = None,
                        is_canceled: Optional[CancelCheck] = None, workers: int = 1, *,
                        on_result: Optional[Callable[[int, T], None]] = None) -> list[T]:
    """``[work(s) for s in slices of range(total)]`` on ``workers`` forked processes.

    Same contract as :func:`~..progress.run_chunks`: results in chunk order,
    ``progress`` and ``is_canceled`` called in this process only,
    :class:`Canceled` raised as soon as a check is true. ``work`` must not rely
    on side effects in this process: it runs in a copy of it.

    ``on_result(k, result)`` is called here for every chunk in chunk order, as
    soon as it and all chunks before it are done, so the caller can write
    results while the workers go on. (The inputs stay alive here until the run
    ends: freeing them while forked workers share their pages would only copy
    those pages.)
    """
    global _work
    if size < 1 or workers < 1:
        raise ValueError("chunk size and workers must be at least 1")
    parts = [slice(start, min(start + size, total)) for start in range(0, total, size)]
    if workers == 1 or len(parts) < 2 or not fork_available() or _work is not None:
        return _run_here(total, size, work, progress, is_canceled, workers, on_result)
    _work = work
    _before_fork()
    pool = ProcessPoolExecutor(max_workers=min(workers, len(parts)),
                               mp_context=multiprocessing.get_context("fork"))
    try:
        return _run_forked(pool, parts, total, workers, progress, is_canceled, on_result)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _work = None
        gc.unfreeze()


def _run_here(total: int, size: int, work: Callable[[slice], T], progress: Optional[ProgressCallback],
              is_canceled: Optional[CancelCheck], workers: int,
              on_result: Optional[Callable[[int, T], None]]) -> list[T]:
    """The run on threads of this process (one chunk, one worker, or no fork): results then ``on_result``."""
    results = run_chunks(total, size, work, progress, is_canceled, workers)
    if on_result is not None:
        for k, result in enumerate(results):
            on_result(k, result)
    return results


class _InOrder:
    """Chunk results as the workers finish them, handed on in chunk order."""

    def __init__(self, parts: list[slice], on_result: Optional[Callable[[int, Any], None]]) -> None:
        self.parts, self.on_result = parts, on_result
        self.results: list[Any] = [None] * len(parts)
        self.done = [False] * len(parts)
        self.done_rows = 0
        self.delivered = 0

    def finished(self, k: int, result: Any) -> None:
        self.results[k] = result
        self.done[k] = True
        self.done_rows += self.parts[k].stop - self.parts[k].start

    def deliver(self) -> None:
        """``on_result`` for every chunk done whose predecessors are all done."""
        while self.delivered < len(self.parts) and self.done[self.delivered]:
            if self.on_result is not None:
                self.on_result(self.delivered, self.results[self.delivered])
            self.delivered += 1


def _run_forked(pool: ProcessPoolExecutor, parts: list[slice], total: int, workers: int,
                progress: Optional[ProgressCallback], is_canceled: Optional[CancelCheck],
                on_result: Optional[Callable[[int, Any], None]]) -> list[Any]:
    """Submit the chunks to ``pool``, two in flight per worker; collect them in chunk order."""
    order = _InOrder(parts, on_result)
    pending: dict[Future, int] = {}
    queue = iter(range(len(parts)))
    while True:
        if is_canceled is not None and is_canceled():
            raise Canceled()
        for k in queue:  # two chunks in flight per worker: none idles while results travel back
            pending[pool.submit(_run_part, parts[k].start, parts[k].stop)] = k
            if len(pending) >= 2 * workers:
                break
        if not pending:
            return order.results
        finished, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in finished:
            order.finished(pending.pop(future), future.result())
        if progress is not None:
            progress(order.done_rows / total)
        order.deliver()


def _before_fork() -> None:
    """Keep the pages this process and its workers share from being copied needlessly.

    Every page either side writes after the fork is copied. Freed heap memory
    is handed back first (so new allocations here land on fresh pages), and
    the objects alive now are frozen out of the garbage collector (so no
    collection in a worker walks, and thereby copies, them all).
    """
    gc.freeze()  # (no collection first: it costs more than the little garbage it would spare)
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass
