"""Auto-neutral: learn a person's relaxed face while tracking, when there is no profile.

Faces differ more at rest than many expressions move them (brow height,
lip thickness, eye opening), so fixed defaults cannot fit everybody. Without
a calibration profile the tracker therefore estimates each driver's ``rest``
from the recent past: a relaxed face is what a face shows most of the time.
Drivers that move both ways from rest (gaze, lids, brows down, mouth
sideways, lip width) use the median; those that only move one way from rest
(jaw open, smile, puff, brows raised...) use a low quantile, because talking,
smiling or raising the brows keeps them above rest for long stretches. The
estimate is kept within a plausible distance of the built-in defaults so that
a long grimace cannot become the "neutral".
"""

from __future__ import annotations

import numpy as np

from avatarlink.tracking.solver import DRIVER_NAMES
from avatarlink.tracking.solver.defaults import DEFAULT_REST, DEFAULT_SPAN

# Drivers that only grow from rest (the expression is one-sided).
ONE_SIDED = (
    "jawOpen", "jawForward", "mouthClose", "mouthFunnel", "lipGap", "tongueOut",
    "mouthSmileLeft", "mouthSmileRight", "mouthStretchLeft", "mouthStretchRight",
    "mouthDimpleLeft", "mouthDimpleRight", "mouthLowerDownLeft", "mouthLowerDownRight",
    "mouthUpperUpLeft", "mouthUpperUpRight", "cheekPuff", "cheekSquintLeft", "cheekSquintRight",
    "noseSneerLeft", "noseSneerRight", "mouthRollLower", "mouthRollUpper",
    "mouthPressLeft", "mouthPressRight", "mouthShrugLower", "mouthShrugUpper",
    "browInnerUp", "browOuterUpLeft", "browOuterUpRight",
)  # fmt: skip
ONE_SIDED_QUANTILE = 20.0
WINDOW_FRAMES = 600  # about 20 s at 30 fps
UPDATE_EVERY = 30  # frames between re-estimates (percentiles over the window cost ~1 ms)
MIN_FRAMES = 15  # before this many, the defaults stand
# How far (in spans) a learned rest may sit from the default rest.
MAX_SHIFT_SPANS = 4.0

_ONE_SIDED = np.array([n in ONE_SIDED for n in DRIVER_NAMES])


class AutoNeutral:
    def __init__(self) -> None:
        self._buf = np.empty((WINDOW_FRAMES, len(DRIVER_NAMES)))
        self._n = 0
        self.rest = DEFAULT_REST.copy()

    def reset(self) -> None:
        self._n = 0
        self.rest = DEFAULT_REST.copy()

    def update(self, drivers: np.ndarray) -> np.ndarray:
        """Add one frame's drivers; returns the current rest estimate."""
        self._buf[self._n % WINDOW_FRAMES] = drivers
        self._n += 1
        if self._n >= MIN_FRAMES and self._n % UPDATE_EVERY in (0, MIN_FRAMES % UPDATE_EVERY):
            window = self._buf[: min(self._n, WINDOW_FRAMES)]
            low, mid = np.percentile(window, [ONE_SIDED_QUANTILE, 50.0], axis=0)
            learned = np.where(_ONE_SIDED, low, mid)
            lo = DEFAULT_REST - MAX_SHIFT_SPANS * DEFAULT_SPAN
            hi = DEFAULT_REST + MAX_SHIFT_SPANS * DEFAULT_SPAN
            self.rest = np.clip(learned, lo, hi)
        return self.rest
