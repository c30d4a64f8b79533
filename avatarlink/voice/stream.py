"""The streaming engine: pitch and formants shifted independently, block by block.

Per output hop (a quarter of a 20 ms frame) the engine

1. takes a grain of ``frame * p`` input samples and resamples it to ``frame``
   samples (``p`` the pitch ratio). Resampling moves pitch *and* envelope by
   ``p``. The grain start is chosen within one pitch period behind its nominal
   place so that its waveform continues the previous grain (WSOLA), which
   keeps the output periodic instead of rough;
2. fits an LPC envelope to the windowed grain and replaces it with the
   original envelope moved by the formant warp (the envelope ratio
   ``|A(f)| / |A(p * warp^-1(f))|`` applied to the grain's spectrum), then
   restores the grain's energy so the warp never changes loudness;
3. overlap-adds with square-root Hann windows at 75 % overlap.

Output sample ``n`` depends only on input up to ``n`` and carries the content
of input ``n - latency`` (give or take the ±6.5 ms alignment search);
``latency = frame * (1 + p) / 2 + 6.5 ms``: about 30 ms at +5 semitones, and
the worst case (``max_latency``, 6.5 ms more) stays under 40 ms up to +8. Because every decision
is made per frame on absolute sample positions, the output does not depend on
how the input is cut into blocks: no clicks or level jumps at block edges.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.special import i0

from avatarlink.voice.formant import FormantWarp, envelope_gather
from avatarlink.voice.lpc import levinson
from avatarlink.voice.ltas import LtasEqualiser

FRAME_SECONDS = 0.020
SEARCH_SECONDS = 0.013  # one period of a 77 Hz voice: any alignment is reachable
MAX_SEMITONES = 8.0
MIN_RATE, MAX_RATE = 8000, 192000
_MAX_GAIN_DB = 30.0
_MAX_GAIN = 10.0 ** (_MAX_GAIN_DB / 20.0)
_CORR_FRACTION = 0.5  # of the grain's input span compared when aligning
_CENTRE_BIAS = 0.02
PRE_EMPHASIS = 0.9


_TAPS = 8  # windowed-sinc interpolation: linear interpolation's images land in 3-5 kHz
_PHASES = 128
_TAP_OFFSETS = np.arange(-_TAPS // 2 + 1, _TAPS // 2 + 1)


def _sinc_table(cutoff: float) -> np.ndarray:
    """Kaiser-windowed sinc weights [phase, tap]; cutoff < 1 low-passes when reading faster.

    At cutoff 1 and phase 0 the weights are exactly one tap, so unchanged
    settings pass the input through bit for bit.
    """
    frac = np.arange(_PHASES + 1)[:, None] / _PHASES
    t = _TAP_OFFSETS[None, :] - frac
    half = _TAPS / 2
    kaiser = i0(6.0 * np.sqrt(np.clip(1.0 - (t / half) ** 2, 0.0, 1.0))) / i0(6.0)
    w = cutoff * np.sinc(cutoff * t) * kaiser
    return w / w.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class VoiceParams:
    """Exact settings of one session: a pitch shift and a formant warp, independent."""

    semitones: float = 0.0
    formant: FormantWarp = field(default_factory=FormantWarp)
    equalise: float = 0.0  # strength 0..1 of the long-term spectrum normalisation
    tilt: float = 0.0  # its target's extra tilt, dB per octave

    def __post_init__(self) -> None:
        if abs(self.semitones) > MAX_SEMITONES:
            raise ValueError(f"pitch shift {self.semitones} is outside ±{MAX_SEMITONES} semitones")
        if not 0.0 <= self.equalise <= 1.0:
            raise ValueError(f"equalisation strength {self.equalise} is outside 0..1")

    @property
    def pitch_ratio(self) -> float:
        return float(2.0 ** (self.semitones / 12.0))

    def inverse(self) -> VoiceParams:
        """The settings that undo the shifts (an informed attacker's move; equalising has none)."""
        return VoiceParams(-self.semitones, self.formant.inverse())


class VoiceProcessor:
    """Mono streaming voice changer; ``process(block)`` returns a block of the same length."""

    def __init__(self, params: VoiceParams, sample_rate: int) -> None:
        if not MIN_RATE <= sample_rate <= MAX_RATE:
            raise ValueError(f"sample rate {sample_rate} Hz is outside {MIN_RATE}..{MAX_RATE}")
        self.params = params
        self.sample_rate = int(sample_rate)
        p = params.pitch_ratio
        self._p = p
        self.frame = 4 * max(8, round(FRAME_SECONDS * sample_rate / 4))
        self.hop = self.frame // 4
        self._search = max(2, int(SEARCH_SECONDS * sample_rate) // 2)
        # nominal content delay; grains move up to ±_search around it
        self.latency = math.ceil(self.frame * (1 + p) / 2) + self._search + _TAPS // 2 + 1
        self.max_latency = self.latency + self._search
        self._stride = max(1, sample_rate // 8000)
        self._span = self.frame * p
        self._corr_len = max(8, round(self._span * _CORR_FRACTION))
        self._window = np.sqrt(np.hanning(self.frame + 1)[:-1])
        self._ola_scale = 1.0 / float((self._window**2).reshape(4, self.hop).sum(axis=0).mean())
        self._n_fft = 1 << math.ceil(math.log2(2 * self.frame))
        self._order = min(self.sample_rate // 1000 + 4, 40)
        warp = params.formant
        self._reshape = not (warp.alpha is None and abs(p / warp.ratio - 1.0) < 1e-9)
        self._equaliser = (
            LtasEqualiser(
                sample_rate,
                self._n_fft,
                self.hop,
                strength=params.equalise,
                tilt_db_per_octave=params.tilt,
            )
            if params.equalise > 0
            else None
        )
        self._gather = envelope_gather(warp, p, self.sample_rate, self._n_fft)
        # LPC sees a pre-emphasised spectrum (so upper formants are fitted as
        # well as the first); the emphasis is divided out of the envelope again
        self._emphasis = np.abs(np.fft.rfft([1.0, -PRE_EMPHASIS], self._n_fft))
        self._emphasis_power = self._emphasis**2
        self._grain_offsets = np.arange(self.frame) * p
        self._sinc = _sinc_table(1.0 if p <= 1.0 else 0.94 / p)
        # input history: absolute sample index of _buf[0] (negative = silence before start)
        pad = self.latency + self._search + math.ceil(self._span) + _TAPS
        self._buf = np.zeros(pad)
        self._buf_start = -pad
        self._received = 0
        self._next_frame = 0
        self._prev_start: float | None = None
        self._out = np.zeros(0)
        self._out_start = 0

    @property
    def latency_seconds(self) -> float:
        return self.latency / self.sample_rate

    def process(self, block: np.ndarray) -> np.ndarray:
        """Feed mono samples; get as many output samples back (delayed by ``latency``)."""
        block = np.asarray(block, dtype=np.float64).ravel()
        if block.size == 0:
            return np.zeros(0, dtype=np.float32)
        self._buf = np.concatenate([self._buf, block])
        self._received += block.size
        last = (self._received - 1) // self.hop
        if last >= self._next_frame:
            self._run_frames(self._next_frame, last)
            self._next_frame = last + 1
        n_out = self._received - self._out_start
        out = self._out[:n_out] * self._ola_scale
        self._out = self._out[n_out:]
        self._out_start = self._received
        self._trim_history()
        return out.astype(np.float32)

    def _nominal_start(self, k: int) -> float:
        centre = k * self.hop + self.frame / 2 - self.latency
        return centre - self._span / 2

    def _read(self, start: float, n: int) -> np.ndarray:
        """``n`` input samples from a fractional position (linear interpolation)."""
        i0 = math.floor(start)
        frac = start - i0
        seg = self._buf[i0 - self._buf_start : i0 - self._buf_start + n + 1]
        return seg[:-1] * (1.0 - frac) + seg[1:] * frac

    def _align(self, nominal: float) -> float:
        """Grain start within ±search of nominal that best continues the last grain.

        The perfect continuation of the previous grain starts ``hop * p``
        input samples after it; the search looks for the start, near nominal,
        whose waveform best matches that continuation (normalised
        correlation, coarse on a decimated grid at high rates, then refined
        to a fraction of a sample by a parabola: at 3 kHz a one-sample slip
        is already a large phase error). Silence resets to nominal; a slight
        preference for nominal breaks ties between whole periods.
        """
        if self._prev_start is None:
            return nominal
        m, t, q = self._corr_len, self._search, self._stride
        cont = self._prev_start + self.hop * self._p
        template = self._read(cont, m)
        t_energy = float(template @ template)
        if t_energy < 1e-10 * m:
            return nominal
        lo = math.ceil(nominal - t - cont)
        hi = math.floor(nominal + t - cont)
        seg = self._read(cont + lo, hi - lo + m)
        energy = np.cumsum(np.concatenate([[0.0], seg * seg]))
        offsets = np.arange(lo, hi + 1)
        norm = np.sqrt((energy[m:] - energy[:-m]) * t_energy + 1e-20)
        bias = _CENTRE_BIAS * np.abs(cont + offsets - nominal) / t
        n = norm[::q].size
        coarse = np.correlate(seg[::q], template[::q], mode="valid")[:n]
        i = int(np.argmax(coarse / norm[::q][: coarse.size] - bias[::q][: coarse.size])) * q
        near = np.arange(max(0, i - q), min(offsets.size, i + q + 1))
        fine = np.correlate(seg[near[0] : near[-1] + m], template, mode="valid")
        match = fine / norm[near]
        score = match - bias[near]
        j = int(np.argmax(score))
        shift = 0.0
        if 0 < j < near.size - 1 and match[j] < 1.0 - 1e-9:  # an exact match needs no refining
            left, mid, right = score[j - 1], score[j], score[j + 1]
            curve = left - 2 * mid + right
            if curve < 0:
                shift = float(np.clip(0.5 * (left - right) / curve, -0.5, 0.5))
        return cont + offsets[near[j]] + shift

    def _run_frames(self, first: int, last: int) -> None:
        starts = np.empty(last - first + 1)
        for i, k in enumerate(range(first, last + 1)):
            starts[i] = self._align(self._nominal_start(k))
            self._prev_start = float(starts[i])
        pos = starts[:, None] - self._buf_start + self._grain_offsets[None, :]
        idx = np.floor(pos).astype(np.intp)
        phase = np.rint((pos - idx) * _PHASES).astype(np.intp)
        taps = self._buf[idx[..., None] + _TAP_OFFSETS]
        grains = np.einsum("flt,flt->fl", taps, self._sinc[phase])
        frames = grains * self._window
        if self._reshape or self._equaliser is not None:
            frames = self._shape_spectra(frames)
        frames *= self._window
        end = last * self.hop + self.frame - self._out_start
        if end > self._out.size:
            self._out = np.concatenate([self._out, np.zeros(end - self._out.size)])
        for i, k in enumerate(range(first, last + 1)):
            at = k * self.hop - self._out_start
            self._out[at : at + self.frame] += frames[i]

    def _shape_spectra(self, frames: np.ndarray) -> np.ndarray:
        """Formant warp (envelope swap) and long-term equalisation in one spectral pass."""
        spec = np.fft.rfft(frames, self._n_fft, axis=-1)
        power = spec.real**2 + spec.imag**2
        if self._reshape:
            ratio = self._warp_ratio(power)
            spec = spec * ratio
            power = power * ratio**2
        if self._equaliser is not None:
            spec = spec * self._equaliser.gains(power)
        shaped = np.fft.irfft(spec, self._n_fft, axis=-1)[:, : self.frame]
        gain = np.sqrt((frames**2).sum(axis=1) / ((shaped**2).sum(axis=1) + 1e-20))
        return shaped * np.minimum(gain, 4.0)[:, None]

    def _warp_ratio(self, power: np.ndarray) -> np.ndarray:
        """Per-bin gains that swap each frame's LPC envelope for the warped original one."""
        n_fft, order = self._n_fft, self._order
        autocorr = np.fft.irfft(power * self._emphasis_power, n_fft, axis=-1)[:, : order + 1]
        a = levinson(autocorr, order)
        inv_env = np.abs(np.fft.rfft(a, n_fft, axis=-1)) / self._emphasis
        lo, w, _ = self._gather
        src = inv_env[:, lo] * (1.0 - w) + inv_env[:, lo + 1] * w
        return np.clip(inv_env / src, 1.0 / _MAX_GAIN, _MAX_GAIN)

    def _trim_history(self) -> None:
        keep_from = self._nominal_start(self._next_frame) - self._search - _TAPS
        if self._prev_start is not None:
            keep_from = min(keep_from, self._prev_start - _TAPS)
        drop = math.floor(keep_from) - self._buf_start
        if drop > 4096:
            self._buf = self._buf[drop:]
            self._buf_start += drop
