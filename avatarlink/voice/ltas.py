"""Long-term spectrum normalisation: a speaker's running average spectrum made a standard one.

Speaker recognisers lean on the long-term average spectrum (LTAS): the
vocal tract's average shape, voice quality and the microphone's colour. This
equaliser tracks the output's LTAS in mel-spaced bands with an exponential
average over a few seconds and applies, per band, the gain that moves it to
a fixed target: the ANSI S3.5-1997 standard speech spectrum (normal effort),
optionally tilted per session. Short-term (phonetic) detail rides on top
unchanged, and the gains change too slowly to be heard as a filter sweep.

Everything is decided per frame from absolute frame indices (a first-order
recursion run over the frames of a block), so the result does not depend on
how the input is cut into blocks.
"""

from __future__ import annotations

import numpy as np

# ANSI S3.5-1997 table 3, standard speech spectrum level, normal vocal effort (dB/Hz)
# fmt: off
_SII_HZ = np.array([160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000,
                    2500, 3150, 4000, 5000, 6300, 8000], dtype=np.float64)
_SII_DB = np.array([32.41, 34.48, 34.75, 33.98, 34.59, 34.27, 32.06, 28.30, 25.01, 23.00,
                    20.15, 17.32, 13.18, 11.55, 9.33, 5.31, 2.59, 1.13])
# fmt: on
BAND_MEL = 110.0  # band spacing: about a third of an octave above 1 kHz
LOW_HZ = 100.0  # below this nothing is equalised (no boosted rumble or hum)
MAX_GAIN_DB = 12.0
_LOG_LIMIT = MAX_GAIN_DB * np.log(10.0) / 20.0  # as a natural-log amplitude gain


def _mel(hz: np.ndarray) -> np.ndarray:
    return 2595.0 * np.log10(1.0 + np.asarray(hz, dtype=np.float64) / 700.0)


def target_db(hz: np.ndarray, tilt_db_per_octave: float = 0.0) -> np.ndarray:
    """Target level (dB/Hz) at ``hz``: the standard speech spectrum, its end slopes extended."""
    octaves = np.log2(np.maximum(np.asarray(hz, dtype=np.float64), 1.0) / _SII_HZ[0])
    grid = np.log2(_SII_HZ / _SII_HZ[0])
    level = np.interp(octaves, grid, _SII_DB)
    top_slope = (_SII_DB[-1] - _SII_DB[-3]) / (grid[-1] - grid[-3])
    level = np.where(octaves > grid[-1], _SII_DB[-1] + top_slope * (octaves - grid[-1]), level)
    return level + tilt_db_per_octave * (octaves - np.log2(1000.0 / _SII_HZ[0]))


def band_weights(sample_rate: int, n_fft: int) -> np.ndarray:
    """Triangular mel bands [band, bin] summing to one in every bin (a partition of unity)."""
    hz = np.fft.rfftfreq(n_fft, 1.0 / sample_rate)
    lo, hi = _mel(LOW_HZ), _mel(sample_rate / 2)
    centres = np.linspace(lo, hi, max(2, round((hi - lo) / BAND_MEL) + 1))
    m = _mel(hz)
    step = centres[1] - centres[0]
    w = np.clip(1.0 - np.abs(m[None, :] - centres[:, None]) / step, 0.0, 1.0)
    w[0, m < lo] = 1.0  # the lowest band covers everything below it (its gain is held at 1)
    return w


class LtasEqualiser:
    """Per-frame bin gains that move the running LTAS to the target shape (level kept).

    The band sums and the bands' spread back over the bins use the triangles'
    sparsity (every bin lies in one band and the next) instead of products
    with the dense weight matrix: with one frame per call such a product is a
    matrix-vector product, which OpenBLAS hands to a second thread that then
    spins on the CPU for a tenth of a second after every call.
    """

    def __init__(
        self,
        sample_rate: int,
        n_fft: int,
        hop: int,
        seconds: float = 2.0,
        strength: float = 1.0,
        tilt_db_per_octave: float = 0.0,
    ) -> None:
        w = band_weights(sample_rate, n_fft)
        n_bands = w.shape[0]
        # bin k carries weight 1 - upper[k] in band lower[k] and upper[k] in the next
        self._lower = np.minimum(np.argmax(w > 0, axis=0), n_bands - 2)
        self._next = self._lower + 1
        self._upper = w[self._next, np.arange(w.shape[1])]
        self._starts = np.flatnonzero(np.diff(self._lower, prepend=-1))
        if self._starts.size != n_bands - 1:
            raise ValueError(f"{n_fft}-point spectrum at {sample_rate} Hz leaves a band empty")
        self._inv_width = 1.0 / w.sum(axis=1)
        centre_hz = self._band_means(np.fft.rfftfreq(n_fft, 1.0 / sample_rate)[None, :])[0]
        self._target = target_db(centre_hz, tilt_db_per_octave) * np.log(10.0) / 10.0  # ln power
        self._free = centre_hz >= LOW_HZ
        self._free[0] = False
        speech = (centre_hz >= 200.0) & (centre_hz <= 5000.0)
        self._level_weight = speech / speech.sum()
        self._beta = float(np.exp(-hop / (seconds * sample_rate)))
        self._strength = float(strength)
        self._state = np.zeros(n_bands)

    def _band_means(self, values: np.ndarray) -> np.ndarray:
        """Weighted mean of ``values`` (frames x bins) over each band (frames x bands)."""
        upper = values * self._upper
        sums = np.zeros((values.shape[0], self._inv_width.size))
        sums[:, :-1] = np.add.reduceat(values - upper, self._starts, axis=1)
        sums[:, 1:] += np.add.reduceat(upper, self._starts, axis=1)
        return sums * self._inv_width

    def gains(self, power: np.ndarray) -> np.ndarray:
        """Bin gains (frames x bins) for frames' power spectra (frames x bins), in time order."""
        # the exponential average as lfilter's transposed form would run it, frame by
        # frame in NumPy: with one frame per call lfilter's setup costs more than the sum
        bands = self._band_means(power)
        avg = np.empty_like(bands)
        state = self._state
        for f, row in enumerate(bands):
            avg[f] = state = (1.0 - self._beta) * row + state
            state = self._beta * state
        self._state = state
        log_gain = 0.5 * (self._target[None, :] - np.log(avg + 1e-20))
        # shape only: loudness stays the speaker's
        log_gain -= (log_gain * self._level_weight).sum(axis=1, keepdims=True)
        log_gain = np.where(self._free[None, :], np.clip(log_gain, -_LOG_LIMIT, _LOG_LIMIT), 0.0)
        g = np.exp(self._strength * log_gain)
        below = g.take(self._lower, axis=1)  # take: fancy indexing costs several times more
        return below + (g.take(self._next, axis=1) - below) * self._upper
