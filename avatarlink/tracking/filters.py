"""One Euro filter (Casiez, Roussel and Vogel, CHI 2012), vectorised over channels.

Each channel's cutoff rises with its speed: a still face is smoothed hard
(no jitter), a fast movement such as a blink passes almost unfiltered (no lag).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class OneEuroParams:
    min_cutoff: float  # Hz: smoothing when still (lower = smoother)
    beta: float  # how fast the cutoff grows with speed (higher = less lag)
    d_cutoff: float = 1.0  # Hz: smoothing of the speed estimate


# Eye shapes: blinks last ~100-150 ms, so the cutoff must open up within a frame.
EYES = OneEuroParams(min_cutoff=2.5, beta=20.0, d_cutoff=6.0)
# eyeLook coefficients: the iris points jitter more than the lids.
EYE_LOOK = OneEuroParams(min_cutoff=1.0, beta=3.0, d_cutoff=1.0)
# eyeWide (the upper lid over the iris): as smooth as eyeLook when still, since
# it carries the iris points' jitter, but as quick as the lids when the eyes widen.
EYE_WIDE = OneEuroParams(min_cutoff=0.7, beta=10.0, d_cutoff=1.0)
# Gaze angles (degrees): saccades pass, the iris's jitter of a degree or so does not.
GAZE = OneEuroParams(min_cutoff=1.5, beta=0.3, d_cutoff=1.0)
# Mouth and brows: speech moves them quickly, but they jitter more than lids.
MOUTH_BROWS = OneEuroParams(min_cutoff=1.5, beta=4.0, d_cutoff=2.0)
# Head pose (degrees and metres): slow, steady.
HEAD = OneEuroParams(min_cutoff=1.0, beta=0.05, d_cutoff=1.0)


def _alpha(cutoff: np.ndarray, dt: float) -> np.ndarray:
    """Smoothing factor 1 / (1 + tau / dt), tau = 1 / (2 pi cutoff), as r / (1 + r):
    three NumPy operations instead of six, every frame."""
    r = cutoff * (2.0 * np.pi * dt)
    return r / (1.0 + r)


class OneEuroFilter:
    """Filters a vector of channels; each channel may have its own parameters."""

    def __init__(self, min_cutoff: np.ndarray, beta: np.ndarray, d_cutoff: np.ndarray) -> None:
        self.min_cutoff = np.asarray(min_cutoff, dtype=np.float64)
        self.beta = np.asarray(beta, dtype=np.float64)
        self.d_cutoff = np.asarray(d_cutoff, dtype=np.float64)
        self._x: np.ndarray | None = None
        self._dx: np.ndarray | None = None
        self._t = 0.0

    @classmethod
    def from_params(cls, params: list[OneEuroParams]) -> OneEuroFilter:
        """One channel per entry of ``params``."""
        table = np.array([[p.min_cutoff, p.beta, p.d_cutoff] for p in params])
        return cls(table[:, 0], table[:, 1], table[:, 2])

    def reset(self) -> None:
        self._x = None

    def __call__(self, x: np.ndarray, t: float) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        if self._x is None:
            self._x, self._dx, self._t = x.copy(), np.zeros_like(x), t
            return x.copy()
        dt = t - self._t
        if dt <= 0.0:
            dt = 1.0 / 30.0  # repeated or missing timestamps: assume a webcam's rate
        self._t = t
        dx = (x - self._x) / dt
        self._dx = self._dx + _alpha(self.d_cutoff, dt) * (dx - self._dx)
        cutoff = self.min_cutoff + self.beta * np.abs(self._dx)
        self._x = self._x + _alpha(cutoff, dt) * (x - self._x)
        return self._x.copy()
