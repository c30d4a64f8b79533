"""Where a rendered character goes: a desktop window, a virtual camera, a video file.

A sink takes RGB uint8 images of the character (never camera pixels) and
may report a user action (quit, recalibrate) from ``poll``.
"""

from __future__ import annotations

from typing import Literal, Protocol

import numpy as np

Action = Literal["quit", "recalibrate"]


class Sink(Protocol):
    def write(self, image: np.ndarray) -> None: ...

    def poll(self) -> Action | None: ...

    def close(self) -> None: ...
