"""A latest-only hand-off between two threads.

A stage that falls behind must not build a queue (latency would grow without
bound): the producer overwrites what the consumer has not taken yet, and the
slot counts those drops so the pipeline can report them.
"""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

T = TypeVar("T")


class LatestSlot(Generic[T]):
    """Holds at most one item; ``put`` replaces an untaken item (a drop)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._item: T | None = None
        self._closed = False
        self.puts = 0
        self.drops = 0

    def put(self, item: T) -> None:
        with self._cond:
            if self._item is not None:
                self.drops += 1
            self._item = item
            self.puts += 1
            self._cond.notify_all()

    def get(self, timeout: float | None = None) -> T | None:
        """The newest item, or None after ``timeout`` seconds or once closed and empty."""
        with self._cond:
            self._cond.wait_for(lambda: self._item is not None or self._closed, timeout)
            item, self._item = self._item, None
            return item

    def close(self) -> None:
        """Wake every waiting consumer; later gets return what is left, then None."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed
