"""Per-grain vocal-tract length (VTL) tracking for the formant-scale normaliser.

Next to the pitch level, the length of the vocal tract is the strongest cue
to who is speaking: it scales every formant together (a uniform tube of
length ``L`` resonates at ``F_n = (2n - 1) c / 4L``, so ``F_n / (n - 1/2)``
is the same formant spacing ``c / 2L`` for every ``n``). The normaliser
tracks the speaker's spacing and scales each grain's envelope by
``target spacing / speaker's spacing``: every speaker then lands near one
vocal-tract length, and since the speaker's own length is not in the output
there is nothing fixed to invert.

On every ``EVERY``-th grain (by absolute index) that is voiced
(:class:`TractTracker`), a quarter of the analysis cost of every grain:

1. the grain's power spectrum is read at source frequencies 0..``BAND_HZ``
   (the grain was resampled by its pitch ratio, which moved its envelope by
   that ratio: the read undoes it), the same grid at every sample rate;
2. a low-order LPC of that band alone (selective linear prediction) gives
   poles; those with a bandwidth under ``MAX_BANDWIDTH_HZ`` above
   ``MIN_FORMANT_HZ`` are formants F1, F2, ...;
3. the grain's spacing estimate is the geometric mean of ``F_n / (n - 1/2)``
   over the first ``formants`` of them.

The speaker's log spacing is a running mean of those estimates (a plain
mean at first, an exponential average over ``MEMORY_SECONDS`` later, like the
F0 tracker's), each estimate's pull clipped so that a grain whose formants
were mis-numbered (two merged, one missed) moves it little. All state
advances grain by grain, so the result does not depend on block sizes.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import fft

from avatarlink.voice.lpc import levinson

SPEED_OF_SOUND_CM = 35000.0  # warm, humid air in the vocal tract, cm/s
BAND_HZ = 5500.0  # analysed source band: F1..F4 of nearly every voice
MIN_FORMANT_HZ = 250.0
MAX_BANDWIDTH_HZ = 400.0
ORDER = 12  # six pole pairs for four or five formants in the band
GRID = 512  # source-frequency points read from each grain's spectrum
PRIOR_CM = 16.2  # the running mean's start: an average adult tract
EVERY = 4  # grains per estimate: one per 20 ms frame (formants move slower than a hop)
_PRIOR_ESTIMATES = 5.0  # its weight, in estimates (100 ms of voice)
MEMORY_SECONDS = 3.0
_MAX_PULL = 0.15  # of a single grain on the log spacing (a robust, median-like mean)
PRE_EMPHASIS = 0.9


def spacing_hz(vtl_cm: float) -> float:
    """The formant spacing ``c / 2L`` of a uniform tract ``vtl_cm`` long."""
    return SPEED_OF_SOUND_CM / (2.0 * vtl_cm)


class TractTracker:
    """Batched per-grain formant spacing and the speaker's running log spacing."""

    def __init__(self, sample_rate: int, n_fft: int, hop: int) -> None:
        self.band = min(BAND_HZ, 0.45 * sample_rate)
        # below 11 kHz the band holds three formants of a long tract, not four
        self.formants = 4 if self.band >= 0.9 * BAND_HZ else 3
        self._n_fft = n_fft
        self._bins = n_fft // 2 + 1
        self._bin_per_hz = n_fft / sample_rate
        self._src_hz = np.linspace(0.0, self.band, GRID)
        virtual = 2.0 * self.band  # the band alone, as if it were a whole spectrum
        omega = np.pi * self._src_hz / self.band
        self._emphasis = 1.0 + PRE_EMPHASIS**2 - 2.0 * PRE_EMPHASIS * np.cos(omega)
        self._hz_per_radian = virtual / (2.0 * np.pi)
        self._log_min_radius = -math.pi * MAX_BANDWIDTH_HZ / virtual
        self._min_angle = MIN_FORMANT_HZ / self._hz_per_radian
        self._halves = np.log(np.arange(self.formants) + 0.5)
        self._forget = EVERY * hop / (MEMORY_SECONDS * sample_rate)
        self.mean = math.log(spacing_hz(PRIOR_CM))
        self._count = _PRIOR_ESTIMATES

    @property
    def vtl_cm(self) -> float:
        """The speaker's vocal-tract length as tracked so far."""
        return SPEED_OF_SOUND_CM / (2.0 * math.exp(self.mean))

    def spacings(self, power: np.ndarray, ratios: np.ndarray) -> np.ndarray:
        """Each grain's log formant spacing (NaN where too few formants were found).

        ``power``: grains x rfft bins of the resampled grains; ``ratios``: each
        grain's resampling (pitch) ratio.
        """
        at = np.clip(ratios[:, None] * self._src_hz * self._bin_per_hz, 0.0, self._bins - 1.000001)
        lo = np.floor(at).astype(np.intp)
        w = at - lo
        lo += np.arange(lo.shape[0])[:, None] * self._bins  # into the flattened rows
        flat = power.ravel()
        band = (flat.take(lo) * (1.0 - w) + flat.take(lo + 1) * w) * self._emphasis
        autocorr = fft.irfft(band, 2 * (GRID - 1), axis=-1)[:, : ORDER + 1]
        a = levinson(autocorr, ORDER)
        companion = np.zeros((a.shape[0], ORDER, ORDER))
        companion[:, 0, :] = -a[:, 1:]
        companion[:, np.arange(1, ORDER), np.arange(ORDER - 1)] = 1.0
        poles = np.linalg.eigvals(companion)
        angle = np.angle(poles)
        narrow = np.log(np.abs(poles) + 1e-300) > self._log_min_radius
        formant = (angle > self._min_angle) & narrow
        hz = np.sort(np.where(formant, angle, np.inf), axis=1)[:, : self.formants]
        hz *= self._hz_per_radian
        log_spacing = (np.log(hz) - self._halves).mean(axis=1)
        return np.where(np.isfinite(log_spacing), log_spacing, np.nan)

    def update(self, log_spacing: np.ndarray) -> np.ndarray:
        """The running mean after each grain (NaN grains leave it where it was)."""
        means = np.empty(log_spacing.size)
        for g, value in enumerate(log_spacing.tolist()):
            if value == value:
                self._count += 1.0
                pull = min(max(value - self.mean, -_MAX_PULL), _MAX_PULL)
                self.mean += max(1.0 / self._count, self._forget) * pull
            means[g] = self.mean
        return means
