"""Linear prediction: the spectral envelope the formant warp reshapes.

Every function takes a stack of frames so that the streaming engine analyses
all frames of a block in one call.
"""

from __future__ import annotations

import functools

import numpy as np
from scipy.linalg import solve_toeplitz

try:  # the compiled solver itself; solve_toeplitz's checks cost twice the solve here
    from scipy.linalg._solve_toeplitz import levinson as _toeplitz_levinson
except ImportError:  # a SciPy that moved its private module: the public route, same result
    _toeplitz_levinson = None


def autocorrelation(frames: np.ndarray, order: int, n_fft: int | None = None) -> np.ndarray:
    """Autocorrelation lags 0..order of each (already windowed) frame, via the FFT."""
    frames = np.atleast_2d(frames)
    n = frames.shape[-1]
    n_fft = n_fft or 1 << int(np.ceil(np.log2(2 * n)))
    power = np.abs(np.fft.rfft(frames, n_fft, axis=-1)) ** 2
    return np.fft.irfft(power, n_fft, axis=-1)[..., : order + 1]


def levinson(r: np.ndarray, order: int) -> np.ndarray:
    """Prediction polynomials ``a`` (a[0] = 1) from autocorrelations, one per row.

    Levinson-Durbin by scipy's compiled Toeplitz solver, frame by frame: the
    streaming engine passes a couple of frames per call, where a loop over the
    order in NumPy costs its per-call overhead forty times over. The solver is
    called directly (``solve_toeplitz``'s argument checks cost twice the
    solve at this size, on the live path once per 5 ms hop). A tiny
    white-noise floor and a lag window (about 40 Hz of bandwidth expansion at
    16 kHz) keep every filter stable, silent frames included.
    """
    r = np.atleast_2d(np.asarray(r, dtype=np.float64))[:, : order + 1] * _lag_window(order)
    r[:, 0] = r[:, 0] * (1.0 + 1e-6) + 1e-12
    a = np.ones((r.shape[0], order + 1))
    for f, row in enumerate(r):
        if _toeplitz_levinson is None:
            a[f, 1:] = solve_toeplitz(row[:order], -row[1:], check_finite=False)
            continue
        # the symmetric matrix's first row and column as one vector, as the solver takes them
        vals = np.concatenate((row[order - 1 : 0 : -1], row[:order]))
        a[f, 1:] = _toeplitz_levinson(vals, -row[1:])[0]
    return a


@functools.cache
def _lag_window(order: int) -> np.ndarray:
    """The Gaussian lag window over lags 0..order (made once per order)."""
    return np.exp(-0.5 * (2 * np.pi * 0.0025 * np.arange(order + 1)) ** 2)


def lpc(frames: np.ndarray, order: int) -> np.ndarray:
    """LPC polynomials of windowed frames (rows)."""
    return levinson(autocorrelation(frames, order), order)


def inverse_magnitude(a: np.ndarray, n_fft: int) -> np.ndarray:
    """|A(e^jw)| on the rfft grid: the reciprocal of the LPC envelope (gain aside)."""
    return np.abs(np.fft.rfft(a, n_fft, axis=-1))


def formants(
    signal: np.ndarray,
    sample_rate: int,
    order: int | None = None,
    max_bandwidth: float = 400.0,
) -> np.ndarray:
    """Formant frequencies (Hz, ascending) of a steady signal from LPC pole angles.

    A measurement helper for tests and benchmarks: one LPC over the whole
    (pre-emphasised, Hamming-windowed) signal; poles with a bandwidth above
    ``max_bandwidth`` are not formants.
    """
    x = np.asarray(signal, dtype=np.float64)
    x = np.append(x[0], x[1:] - 0.97 * x[:-1]) * np.hamming(x.size)
    order = order or int(sample_rate / 1000) + 2
    a = levinson(autocorrelation(x, order), order)[0]
    poles = np.roots(a)
    poles = poles[np.imag(poles) > 0]
    freqs = np.angle(poles) * sample_rate / (2 * np.pi)
    bandwidths = -np.log(np.abs(poles)) * sample_rate / np.pi
    keep = (bandwidths < max_bandwidth) & (freqs > 90.0)
    return np.sort(freqs[keep])
