"""Per-grain F0 tracking and F0 normalisation for the streaming engine.

A speaker's pitch *level* and *range* are strong identity cues, while the
contour's shape (rise and fall: the feeling) is what a listener needs. The
normaliser tracks the input's F0 per grain and sets each grain's pitch ratio
so that the output's log-F0 is an affine map of the input's:

    log F0_out = log target + spread * (log F0_in - running mean of log F0_in)

The target level and the spread are drawn per session. Pearson r of the
contour is unchanged by such a map (up to the slow drift of the running mean),
whereas the speaker's own level is gone from the output.

The tracker (:class:`PitchTracker`) is a normalised autocorrelation on a
roughly 8 kHz copy of a 32 ms window centred on each grain, all grains of a
block in one batched FFT; the choice between candidate periods is made grain
by grain, preferring periods near the running mean (no octave jumps). All
state advances per grain, so the result does not depend on block sizes.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import fft

F0_MIN, F0_MAX = 60.0, 420.0
WINDOW_SECONDS = 0.040
VOICED_R = 0.65  # normalised autocorrelation a voiced grain reaches
_CANDIDATE_R = 0.3
_OCTAVE_COST = 0.35  # per octave away from the running mean
_PRIOR_HZ = 150.0  # the running mean's start: a voice between the sexes
_PRIOR_GRAINS = 20.0  # its weight, in voiced grains (100 ms)
_MEMORY_SECONDS = 3.0
_LOWPASS_HZ = 1200.0
_NEAR_BEST = 0.1
_SHORTEST = True


class PitchTracker:
    """Batched per-grain F0 candidates and a sequential, continuity-keeping choice."""

    def __init__(self, sample_rate: int, hop: int) -> None:
        self.decimate = max(1, sample_rate // 8000)
        self.rate = sample_rate / self.decimate
        self.n = 2 * round(WINDOW_SECONDS * self.rate / 2)
        self.span = self.n * self.decimate  # input samples a window reads
        self._average = np.full(self.decimate, 1.0 / self.decimate)
        self._n_fft = 1 << math.ceil(math.log2(2 * self.n))
        self._window = np.hanning(self.n + 2)[1:-1]
        w_ac = np.fft.irfft(np.abs(np.fft.rfft(self._window, self._n_fft)) ** 2, self._n_fft)
        self._lo = max(2, math.floor(self.rate / F0_MAX))
        self._hi = min(self.n - 2, math.ceil(self.rate / F0_MIN))
        self._w_ac = w_ac[self._lo - 1 : self._hi + 2] / w_ac[0]
        hz = np.fft.rfftfreq(self._n_fft, 1.0 / self.rate)
        self._lowpass = np.clip(2.0 - hz / _LOWPASS_HZ, 0.0, 1.0) ** 2
        self._log_f0 = np.log(self.rate / np.arange(self._lo, self._hi + 1))
        weight = hop / (_MEMORY_SECONDS * sample_rate)
        self._forget = weight
        self.mean = math.log(_PRIOR_HZ)
        self._count = _PRIOR_GRAINS

    def candidates(self, windows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Normalised autocorrelation over the lag range (grains x lags) and a peak mask.

        ``windows`` are (grains x span) input samples; they are averaged in
        groups of ``decimate`` (a cheap anti-alias filter) before analysis.
        """
        x = windows.reshape(windows.shape[0], self.n, self.decimate) @ self._average
        x = (x - x.mean(axis=1, keepdims=True)) * self._window
        spec = fft.rfft(x, self._n_fft, axis=1)
        power = (spec.real**2 + spec.imag**2) * self._lowpass
        ac = fft.irfft(power, self._n_fft, axis=1)
        r = ac[:, self._lo - 1 : self._hi + 2] / (ac[:, :1] + 1e-20) / self._w_ac
        peak = (r[:, 1:-1] >= r[:, :-2]) & (r[:, 1:-1] > r[:, 2:]) & (r[:, 1:-1] > _CANDIDATE_R)
        return r, peak

    def choose(self, r: np.ndarray, peak: np.ndarray) -> float | None:
        """This grain's log-F0 (None when unvoiced); updates the running mean."""
        idx = np.flatnonzero(peak)
        if idx.size == 0:
            return None
        mid = r[idx + 1]
        if mid.max() < VOICED_R:
            return None
        # a period's multiples correlate almost as well: the shortest period
        # that nearly matches the best wins, and one near the running mean
        # is preferred when two do
        score = mid - _OCTAVE_COST * np.abs(self._log_f0[idx] - self.mean) / math.log(2.0)
        good = mid >= mid.max() - _NEAR_BEST
        j = int(np.flatnonzero(good)[0]) if _SHORTEST else int(np.argmax(np.where(good, score, -9)))
        i = idx[j]
        left, centre, right = r[i], r[i + 1], r[i + 2]
        curve = left - 2 * centre + right
        shift = 0.5 * (left - right) / curve if curve < 0 else 0.0
        log_f0 = math.log(self.rate / (self._lo + i + float(np.clip(shift, -0.5, 0.5))))
        self._count += 1.0
        self.mean += max(1.0 / self._count, self._forget) * (log_f0 - self.mean)
        return log_f0
