"""Render smaller, show bigger: the live pipeline's lever on software OpenGL.

With Mesa's llvmpipe the renderer's cost grows with the number of pixels
shaded (and MSAA multiplies it), while a bilinear upscale costs well under a
millisecond. A flat-shaded character upscales cleanly, so `avatarlink run`
can trade a little sharpness for frame rate; see tools/bench.py.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import cv2
import numpy as np

from avatarlink.frame import FaceFrame


def internal_size(size: tuple[int, int], scale: float) -> tuple[int, int]:
    """``size`` times ``scale``, rounded to even sides of at least 16 pixels."""
    w, h = (max(16, round(v * scale / 2) * 2) for v in size)
    return w, h


class ScaledRenderer:
    """Wraps a renderer made at ``internal_size(size, scale)`` and upsamples its images."""

    def __init__(
        self,
        make: Callable[[tuple[int, int]], AbstractContextManager[Any]],
        size: tuple[int, int],
        scale: float,
    ) -> None:
        self._make = make
        self.size = size
        self.internal = internal_size(size, scale)
        self._cm: AbstractContextManager[Any] | None = None
        self._renderer: Any = None

    def __enter__(self) -> ScaledRenderer:
        self._cm = self._make(self.internal)
        self._renderer = self._cm.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._cm is not None
        self._cm.__exit__(None, None, None)

    def render(self, frame: FaceFrame) -> np.ndarray:
        image = self._renderer.render(frame)
        if self.internal == self.size:
            return image
        return cv2.resize(image, self.size, interpolation=cv2.INTER_LINEAR)
