"""``with`` support for the objects that hold a device, a socket, a GL context or a model.

One mixin instead of the same two methods in every such class: leaving the
block always calls ``close()``, however it is left.
"""

from __future__ import annotations

from typing import Self


class Closing:
    """Gives a class with ``close()`` the context-manager protocol (``with`` returns it)."""

    def close(self) -> None:
        """Release what the object holds; called on leaving a ``with`` block."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
