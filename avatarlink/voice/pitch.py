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
roughly 8 kHz copy of a 40 ms window centred on each grain, all grains of a
block in one batched FFT; per grain, the shortest period that nearly matches
the best is chosen (no octave jumps down). A grain much quieter than the
loudest of the last seconds is unvoiced whatever its correlation (see
SILENCE). All state advances per grain, so the result does not depend on
block sizes.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import fft

F0_MIN, F0_MAX = 60.0, 420.0
WINDOW_SECONDS = 0.040
VOICED_R = 0.65  # normalised autocorrelation a voiced grain reaches
_CANDIDATE_R = 0.3
PRIOR_HZ = 150.0  # the running mean's start: a voice between the sexes
_PRIOR_GRAINS = 20.0  # its weight, in voiced grains (100 ms)
_MEMORY_SECONDS = 3.0
_LOWPASS_HZ = 1200.0
_NEAR_BEST = 0.1
# A grain whose (low-passed) RMS is below this share of the loudest grain's
# (of the last seconds) is silence, breath or hiss however periodic it looks:
# normalised, a pause's mains hum or a fricative's noise reaches VOICED_R. On
# the 26 utterances of speech/, grains Praat calls voiced sit at a median
# 0.13-0.54 of their utterance's loudest; those only ours called voiced at a
# median 0.02-0.06, near 60 Hz or at 250-400 Hz, and they moved the voiced
# grains' mean log-F0 (the running mean the F0 normaliser and the register
# rule read) by up to 19.5 % (mean 6.7 % over 11 speakers; with the gate
# 6.4 %, mean 2.5 %): tools/bench_voice.py --only tracker.
SILENCE = 0.05
_LOUDEST_SECONDS = 5.0  # the loudest grain's level falls by e in this time
_FLOOR_RMS = 1e-4  # -80 dBFS: silence, however long nothing louder came
_LOUDEST_FLOOR = _FLOOR_RMS / SILENCE  # the loudest level never counts as lower


class PitchTracker:
    """Batched per-grain F0 candidates and choice, with a running mean of log-F0."""

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
        weight = hop / (_MEMORY_SECONDS * sample_rate)
        self._forget = weight
        self.mean = math.log(PRIOR_HZ)
        self._count = _PRIOR_GRAINS
        self._loudest = _LOUDEST_FLOOR
        self._fade = math.exp(-hop / (_LOUDEST_SECONDS * sample_rate))
        self._energy_to_rms = 1.0 / float(self._window @ self._window)

    def candidates(self, windows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Normalised autocorrelation over the lag range (grains x lags), a peak mask
        and each grain's low-passed RMS.

        ``windows`` are (grains x span) input samples; they are averaged in
        groups of ``decimate`` (a cheap anti-alias filter) before analysis.
        """
        x = windows.reshape(windows.shape[0], self.n, self.decimate) @ self._average
        # the mean as sum / n: the same numbers without np.mean's Python wrapper
        x = (x - x.sum(axis=1, keepdims=True) / self.n) * self._window
        spec = fft.rfft(x, self._n_fft, axis=1)
        power = (spec.real**2 + spec.imag**2) * self._lowpass
        ac = fft.irfft(power, self._n_fft, axis=1)
        r = ac[:, self._lo - 1 : self._hi + 2] / (ac[:, :1] + 1e-20) / self._w_ac
        peak = (r[:, 1:-1] >= r[:, :-2]) & (r[:, 1:-1] > r[:, 2:]) & (r[:, 1:-1] > _CANDIDATE_R)
        return r, peak, np.sqrt(ac[:, 0] * self._energy_to_rms)

    def choose(
        self, r: np.ndarray, peak: np.ndarray, rms: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each grain's log-F0 (NaN when unvoiced) and the running mean after it, in order.

        A period's multiples correlate almost as well: of the peaks that
        nearly match the best, the shortest period wins (no octave jumps
        down). Grain by grain, in few NumPy calls each: the live path passes
        one or two grains per call, where batching costs more calls than it
        saves.
        """
        log_f0 = np.empty(r.shape[0])
        means = np.empty(r.shape[0])
        for g, level in enumerate(rms.tolist()):
            self._loudest = max(level, self._loudest * self._fade, _LOUDEST_FLOOR)
            quiet = level < SILENCE * self._loudest
            log_f0[g] = value = math.nan if quiet else self._choose_one(r[g], peak[g])
            if value == value:  # voiced (not NaN)
                self._count += 1.0
                self.mean += max(1.0 / self._count, self._forget) * (value - self.mean)
            means[g] = self.mean
        return log_f0, means

    def _choose_one(self, r: np.ndarray, peak: np.ndarray) -> float:
        idx = peak.nonzero()[0]
        if idx.size == 0:
            return math.nan
        height = r.take(idx + 1)
        best = float(np.maximum.reduce(height))
        if best < VOICED_R:
            return math.nan
        i = int(idx[int(np.argmax(height >= best - _NEAR_BEST))])
        left, centre, right = r[i : i + 3].tolist()
        curve = left - 2 * centre + right
        shift = min(max(0.5 * (left - right) / curve, -0.5), 0.5) if curve < 0 else 0.0
        return math.log(self.rate / (self._lo + i + shift))


def track(audio: np.ndarray, rate: int, hop: int) -> tuple[np.ndarray, np.ndarray]:
    """A whole signal's F0 in Hz (NaN unvoiced) every ``hop`` samples, and each window's
    centre in seconds: the engine's tracker run offline, for tests and benchmarks."""
    tracker = PitchTracker(rate, hop)
    x = np.asarray(audio, dtype=np.float64)
    starts = np.arange(0, x.size - tracker.span, hop)
    log_f0, _ = tracker.choose(*tracker.candidates(x[starts[:, None] + np.arange(tracker.span)]))
    return (starts + tracker.span / 2) / rate, np.exp(log_f0)
