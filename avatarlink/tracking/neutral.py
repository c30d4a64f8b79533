"""Auto-neutral: learn the part of a person's relaxed face that is anatomy, not expression.

Coefficients are absolute, as ARKit's and Google's are: the defaults' typical
relaxed face is the neutral, so a person who rests with raised brows, narrow
eyes or a slight smile shows it, and a person reading a screen below the
camera looks down. Learning those rests from the recent past (a relaxed face is
what a face shows most of the time) removed exactly such lasting looks, and
with them most of the agreement with Google's blendshapes across people (the
pooled r of eyeBlink, brows, smile and eyeLook; see tools/bench_tracker.py).

Learned (when there is no calibration profile) are only the rests that are
anatomy through and through: how far the lips part and the jaw hangs at rest
and how far the lips' sides sit from the skull (lip thickness and bite), where
the nostril wings and cheeks sit (nose and cheek shape), and how high the
upper lids rest (lid crease). They differ between people by more than the few millimetres a sneer,
cheek raise, puff or wide-open eye moves them, and a relaxed face identifies
them: for the mouth, nose and cheeks a low quantile over the last 20 s, since
talking and expressions keep them above rest for long stretches; for the lids
the median (left absolute, a wide-eyed person's eyeWide would sit at a constant
level and carry all of the lid landmarks' jitter). The estimate is kept within a
plausible distance of the built-in defaults so that a long yawn cannot become
the "neutral". A calibration profile replaces every rest.

Not learned: how full the lips are (mouthFunnel's rest). Google's model reads
full lips as a little funnel, and learning that away lost most of the
funnel's agreement with it (pooled r 0.45 against 0.76 on the clips).
"""

from __future__ import annotations

import numpy as np

from avatarlink.tracking.solver import DRIVER_NAMES
from avatarlink.tracking.solver.defaults import DEFAULT_REST, DEFAULT_SPAN

# Drivers whose rest is learned per person.
LEARNED = (
    "jawOpen", "mouthClose", "lipGap", "tongueOut",
    "noseSneerLeft", "noseSneerRight", "cheekSquintLeft", "cheekSquintRight", "cheekPuff",
    "eyeWideLeft", "eyeWideRight",
    "mouthUpperUpLeft", "mouthUpperUpRight", "mouthLowerDownLeft", "mouthLowerDownRight",
)  # fmt: skip
# ... of which these move both ways from rest (the median is their rest)
TWO_SIDED = ("eyeWideLeft", "eyeWideRight")
ONE_SIDED_QUANTILE = 20.0
WINDOW_FRAMES = 600  # about 20 s at 30 fps
UPDATE_EVERY = 30  # frames between re-estimates (percentiles over the window cost ~1 ms)
MIN_FRAMES = 15  # before this many, the defaults stand
# How far (in spans) a learned rest may sit from the default rest.
MAX_SHIFT_SPANS = 4.0

_LEARNED = np.array([DRIVER_NAMES.index(n) for n in LEARNED])
_TWO_SIDED = np.array([n in TWO_SIDED for n in LEARNED])
_LO = DEFAULT_REST[_LEARNED] - MAX_SHIFT_SPANS * DEFAULT_SPAN[_LEARNED]
_HI = DEFAULT_REST[_LEARNED] + MAX_SHIFT_SPANS * DEFAULT_SPAN[_LEARNED]


class AutoNeutral:
    def __init__(self) -> None:
        self._buf = np.empty((WINDOW_FRAMES, len(LEARNED)))
        self._n = 0
        self.rest = DEFAULT_REST.copy()

    def reset(self) -> None:
        self._n = 0
        self.rest = DEFAULT_REST.copy()

    def update(self, drivers: np.ndarray) -> np.ndarray:
        """Add one frame's drivers; returns the current rest estimate."""
        self._buf[self._n % WINDOW_FRAMES] = drivers[_LEARNED]
        self._n += 1
        if self._n >= MIN_FRAMES and self._n % UPDATE_EVERY in (0, MIN_FRAMES % UPDATE_EVERY):
            window = self._buf[: min(self._n, WINDOW_FRAMES)]
            low, mid = np.percentile(window, [ONE_SIDED_QUANTILE, 50.0], axis=0)
            rest = DEFAULT_REST.copy()
            rest[_LEARNED] = np.clip(np.where(_TWO_SIDED, mid, low), _LO, _HI)
            self.rest = rest
        return self.rest
