"""Formant warps: where each output frequency takes its spectral envelope from.

A warp maps an *input* frequency to an *output* frequency. The engine needs
the inverse (for each output bin, which input frequency's envelope goes
there), so each warp provides ``source_hz(output_hz)``.

- ratio ``r``: every formant moves by the same factor (r > 1 brighter /
  shorter vocal tract, r < 1 deeper).
- McAdams ``alpha``: the VoicePrivacy baseline's pole-angle warp
  ``phi -> phi ** alpha`` (angles in radians at 16 kHz, kept for every rate),
  which moves low and high formants in opposite directions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_MCADAMS_REFERENCE_RATE = 16000.0


@dataclass(frozen=True)
class FormantWarp:
    """Either a ratio or a McAdams coefficient (``alpha`` wins when both are set)."""

    ratio: float = 1.0
    alpha: float | None = None

    def __post_init__(self) -> None:
        if not 0.5 <= self.ratio <= 2.0:
            raise ValueError(f"formant ratio {self.ratio} is outside 0.5..2")
        if self.alpha is not None and not 0.5 <= self.alpha <= 1.5:
            raise ValueError(f"McAdams coefficient {self.alpha} is outside 0.5..1.5")

    @property
    def is_identity(self) -> bool:
        return self.alpha in (None, 1.0) and self.ratio == 1.0

    def output_hz(self, input_hz: np.ndarray) -> np.ndarray:
        """Where an input formant lands."""
        f = np.asarray(input_hz, dtype=np.float64)
        if self.alpha is None:
            return f * self.ratio
        phi = 2 * np.pi * f / _MCADAMS_REFERENCE_RATE
        return phi**self.alpha * _MCADAMS_REFERENCE_RATE / (2 * np.pi)

    def source_hz(self, output_hz: np.ndarray) -> np.ndarray:
        """Which input frequency's envelope an output frequency receives."""
        f = np.asarray(output_hz, dtype=np.float64)
        if self.alpha is None:
            return f / self.ratio
        phi = 2 * np.pi * f / _MCADAMS_REFERENCE_RATE
        return phi ** (1.0 / self.alpha) * _MCADAMS_REFERENCE_RATE / (2 * np.pi)

    def inverse(self) -> FormantWarp:
        """The warp that undoes this one (what an informed attacker applies)."""
        if self.alpha is None:
            return FormantWarp(ratio=1.0 / self.ratio)
        return FormantWarp(alpha=1.0 / self.alpha)


def envelope_gather(
    warp: FormantWarp, pitch_ratio: float, sample_rate: int, n_fft: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fractional rfft-bin positions for the envelope correction of a pitch-shifted frame.

    The frame was resampled by ``pitch_ratio``, which also moved its envelope
    by that factor. Output bin at frequency f must carry the *original*
    envelope at ``warp.source_hz(f)``, which sits at ``pitch_ratio *
    warp.source_hz(f)`` in the resampled frame. Returns (lower bin index,
    interpolation weight, mask of bins whose source lies above Nyquist).
    """
    bins = n_fft // 2 + 1
    hz = np.arange(bins) * sample_rate / n_fft
    src_bin = pitch_ratio * warp.source_hz(hz) * n_fft / sample_rate
    beyond = src_bin > bins - 1
    src_bin = np.clip(src_bin, 0.0, bins - 1.000001)
    lo = np.floor(src_bin).astype(np.intp)
    return lo, src_bin - lo, beyond
