"""Stop the server's running statements as soon as the user cancels, from a thread of its own.

Why: one chunk's statements can run for seconds; polling ``is_canceled()``
between chunks only would leave the Cancel button without effect that long.
"""
from __future__ import annotations

import threading
from typing import Optional

from ...progress import CancelCheck, Canceled


class CancelWatcher:
    """Cancels the running statements (``conn.cancel()``) as soon as ``is_canceled()`` turns true.

    Polls from its own thread, so a long statement stops within a fraction of
    a second instead of at the next chunk; ``conns`` are all the connections
    a run uses.
    """

    def __init__(self, conns: list, is_canceled: Optional[CancelCheck], interval: float = 0.2) -> None:
        self.conns, self.is_canceled, self.interval = conns, is_canceled, interval
        self.fired = False
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def __enter__(self) -> CancelWatcher:
        if self.is_canceled is not None:
            self._thread = threading.Thread(target=self._watch, name="wpzf-sql-cancel", daemon=True)
            self._thread.start()
        return self

    def _watch(self) -> None:
        is_canceled = self.is_canceled
        assert is_canceled is not None  # the thread is started only with a check
        while not self._stop.wait(self.interval):
            if is_canceled():
                self.fired = True
                for conn in list(self.conns):
                    conn.cancel()
                return

    def check(self) -> None:
        """Raise :class:`Canceled` once the watcher has seen a cancel (any thread may ask)."""
        if self.fired:
            raise Canceled()

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
