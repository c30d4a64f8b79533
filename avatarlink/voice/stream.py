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
from scipy import fft
from scipy.special import i0

from avatarlink.voice.formant import FormantWarp, envelope_gather
from avatarlink.voice.lpc import levinson
from avatarlink.voice.ltas import LtasEqualiser
from avatarlink.voice.pitch import PRIOR_HZ, PitchTracker
from avatarlink.voice.tract import EVERY, TractTracker, spacing_hz

FRAME_SECONDS = 0.020
SEARCH_SECONDS = 0.013  # one period of a 77 Hz voice: any alignment is reachable
MAX_SEMITONES = 8.0
MIN_RATE, MAX_RATE = 8000, 192000
_MAX_GAIN_DB = 30.0
_MAX_GAIN = 10.0 ** (_MAX_GAIN_DB / 20.0)
_CORR_FRACTION = 0.5  # of the grain's input span compared when aligning
_CENTRE_BIAS = 0.02
PRE_EMPHASIS = 0.9
_RATIO_SMOOTHING = 0.5  # per grain, of the normaliser's log pitch ratio (about 10 ms)
_MAX_VTL_SCALE = 1.3  # the VTL normaliser moves formants by at most this factor either way
# register_direction: voices below the pitch tracker's prior (150 Hz mean F0) count
# as low, above as high, fully so from 10 % away (LibriSpeech's men read at
# 105-120 Hz, its women at 190-250)
_REGISTER_SPLIT = math.log(PRIOR_HZ)
_REGISTER_GLIDE = math.log(1.1)


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


def _rows(x: np.ndarray, width: int) -> np.ndarray:
    """Every run of ``width`` consecutive samples of ``x``, row ``i`` starting at ``i`` (a view).

    Gathering rows by their first sample needs one index per row instead of
    one per sample. Built by the ndarray constructor on ``x``'s buffer (``x``
    is contiguous): ``sliding_window_view``'s checks and ``as_strided``'s
    interface object cost more than the gather on a hop's worth of samples.
    """
    step = x.itemsize
    return np.ndarray((x.size - width + 1, width), x.dtype, x, 0, (step, step))


def register_direction(log_f0_mean: np.ndarray) -> np.ndarray:
    """+1 for a low voice, -1 for a high one, a glide in between (per grain).

    The way *up* from the speaker's register for a low voice and *down* for a
    high one: a shift towards the speaker's own register lands near the voice
    it should hide. Before any voicing the running mean sits at the split, so
    the shift glides in as the tracker learns the voice instead of jumping.
    """
    return np.clip((_REGISTER_SPLIT - log_f0_mean) / _REGISTER_GLIDE, -1.0, 1.0)


def normaliser_goal(params: VoiceParams, log_f0_mean: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The F0 normaliser's log pitch ratio and log formant scale for the running mean log-F0.

    Before the contour's spread and the engine's limit. The register shift's
    pitch and formant logs are a low voice's; a high one's are their
    negatives (see register_direction). The evaluation's fixed-shift peers
    use it too, so they follow the same session the engine does.
    """
    level = math.log(params.f0_target) - log_f0_mean
    log_scale = params.formant_follow * level
    if params.register_semitones:
        direction = register_direction(log_f0_mean)
        level = level + params.register_semitones * math.log(2.0) / 12.0 * direction
        away = math.copysign(math.log(params.register_formant), params.register_semitones)
        log_scale = log_scale + away * direction
    return level, log_scale


@dataclass(frozen=True)
class VoiceParams:
    """Exact settings of one session: a pitch shift and a formant warp, independent."""

    semitones: float = 0.0
    formant: FormantWarp = field(default_factory=FormantWarp)
    equalise: float = 0.0  # strength 0..1 of the long-term spectrum normalisation
    tilt: float = 0.0  # its target's extra tilt, dB per octave
    # F0 normalisation (avatarlink.voice.pitch): when f0_target (Hz) is set, each
    # grain's pitch ratio maps the input's log-F0 to target + spread * (its
    # deviation from the speaker's running mean); ``semitones`` is then unused.
    f0_target: float | None = None
    f0_spread: float = 1.0
    # formants follow the normaliser's level change by this power of its ratio
    formant_follow: float = 0.0
    # VTL normalisation (avatarlink.voice.tract): when vtl_target (cm) is set, each
    # grain's formants are scaled by the speaker's running tract length / target
    vtl_target: float | None = None
    # a slow sinusoidal drift of the formant scale: relative depth, period, phase
    formant_wobble: float = 0.0
    wobble_seconds: float = 3.0
    wobble_phase: float = 0.0
    # with F0 normalisation: a shift from the target *away from* the speaker's own
    # register (positive; negative: towards it), pitch in semitones and formants by
    # ``register_formant`` the same way. The way is read per grain from the running
    # mean F0 against a voice between the sexes (see ``register_direction``).
    register_semitones: float = 0.0
    register_formant: float = 1.0

    def __post_init__(self) -> None:
        if abs(self.semitones) > MAX_SEMITONES:
            raise ValueError(f"pitch shift {self.semitones} is outside ±{MAX_SEMITONES} semitones")
        if not 0.0 <= self.equalise <= 1.0:
            raise ValueError(f"equalisation strength {self.equalise} is outside 0..1")
        if self.f0_target is not None and not 60.0 <= self.f0_target <= 400.0:
            raise ValueError(f"F0 target {self.f0_target} Hz is outside 60..400")
        if not 0.0 <= self.f0_spread <= 2.0:
            raise ValueError(f"F0 spread {self.f0_spread} is outside 0..2")
        if not 0.0 <= self.formant_follow <= 1.0:
            raise ValueError(f"formant follow {self.formant_follow} is outside 0..1")
        if self.vtl_target is not None and not 10.0 <= self.vtl_target <= 24.0:
            raise ValueError(f"vocal-tract length target {self.vtl_target} cm is outside 10..24")
        if not 0.0 <= self.formant_wobble <= 0.2 or self.wobble_seconds <= 0.1:
            raise ValueError("formant wobble must be 0..0.2 deep with a period over 0.1 s")
        if self.register_semitones and self.f0_target is None:
            raise ValueError("a shift away from the speaker's register needs an F0 target")
        if abs(self.register_semitones) > MAX_SEMITONES:
            raise ValueError(
                f"register shift {self.register_semitones} is outside ±{MAX_SEMITONES:g}"
            )
        if not 1.0 <= self.register_formant <= 1.3:
            raise ValueError(f"register formant ratio {self.register_formant} is outside 1..1.3")

    @property
    def normalises_f0(self) -> bool:
        return self.f0_target is not None

    @property
    def normalises_vtl(self) -> bool:
        return self.vtl_target is not None

    @property
    def pitch_ratio(self) -> float:
        """The constant pitch ratio; with F0 normalisation, the largest a grain may get."""
        if self.normalises_f0:
            return float(2.0 ** (MAX_SEMITONES / 12.0))
        return float(2.0 ** (self.semitones / 12.0))

    def inverse(self) -> VoiceParams:
        """The settings that undo the shifts (an informed attacker's move; equalising has none).

        F0 and VTL normalisation have no inverse: the speaker's own level and
        tract length are not in the output, so the best an attacker can apply
        is nothing.
        """
        if self.normalises_f0:
            return VoiceParams(0.0, self.formant.inverse())
        return VoiceParams(-self.semitones, self.formant.inverse())


class VoiceProcessor:
    """Mono streaming voice changer; ``process(block)`` returns a block of the same length."""

    def __init__(self, params: VoiceParams, sample_rate: int) -> None:
        if not MIN_RATE <= sample_rate <= MAX_RATE:
            raise ValueError(f"sample rate {sample_rate} Hz is outside {MIN_RATE}..{MAX_RATE}")
        self.params = params
        self.sample_rate = int(sample_rate)
        p = params.pitch_ratio  # with F0 normalisation: the largest ratio a grain gets
        self._p = p
        self.frame = 4 * max(8, round(FRAME_SECONDS * sample_rate / 4))
        self.hop = self.frame // 4
        self._search = max(2, int(SEARCH_SECONDS * sample_rate) // 2)
        # the pitch tracker also tells the VTL normaliser which grains are voiced
        tracked = params.normalises_f0 or params.normalises_vtl
        self._tracker = PitchTracker(sample_rate, self.hop) if tracked else None
        # nominal content delay; grains move up to ±_search around it
        self.latency = math.ceil(self.frame * (1 + p) / 2) + self._search + _TAPS // 2 + 1
        if self._tracker is not None:  # the pitch window centred on a grain must have arrived
            self.latency = max(self.latency, (self.frame + self._tracker.span) // 2 + 1)
        self.max_latency = self.latency + self._search
        self._stride = max(1, sample_rate // 8000)
        self._span = self.frame * p
        self._window = np.sqrt(np.hanning(self.frame + 1)[:-1])
        self._ola_scale = 1.0 / float((self._window**2).reshape(4, self.hop).sum(axis=0).mean())
        self._n_fft = 1 << math.ceil(math.log2(2 * self.frame))
        self._order = min(self.sample_rate // 1000 + 4, 40)
        warp = params.formant
        self._per_grain = self._tracker is not None or params.formant_wobble > 0
        self._tract = None
        self._reshape = self._per_grain or not (
            warp.alpha is None and abs(p / warp.ratio - 1.0) < 1e-9
        )
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
        lo, w, _ = envelope_gather(warp, p, self.sample_rate, self._n_fft)
        self._gather = (lo, lo + 1, 1.0 - w, w)
        self._bin_hz = np.fft.rfftfreq(self._n_fft, 1.0 / self.sample_rate)
        if params.normalises_vtl:
            self._tract = TractTracker(sample_rate, self._n_fft, self.hop)
            self._log_spacing_target = math.log(spacing_hz(params.vtl_target))
        # LPC sees a pre-emphasised spectrum (so upper formants are fitted as
        # well as the first); the emphasis is divided out of the envelope again
        self._emphasis = np.abs(np.fft.rfft([1.0, -PRE_EMPHASIS], self._n_fft))
        self._emphasis_power = self._emphasis**2
        self._offsets = np.arange(self.frame, dtype=np.float64)
        self._sinc = _sinc_table(1.0 if p <= 1.0 else 0.94 / p)
        if params.normalises_f0:
            # per-grain ratios: one table per quarter semitone up to the largest ratio
            steps = math.ceil(48 * math.log2(p))
            # flattened to [step * (_PHASES + 1) + phase, tap]: one row gather per sample
            self._sinc_steps = np.concatenate(
                [_sinc_table(1.0 if j == 0 else 0.94 / 2 ** (j / 48)) for j in range(steps + 1)]
            )
            self._n_steps = steps + 1
            self._log_ratio = math.log(params.f0_target) - self._tracker.mean
        # input history: absolute sample index of _buf[0] (negative = silence before start)
        pad = self.latency + self._search + math.ceil(self._span) + _TAPS
        self._buf = np.zeros(pad)
        self._buf_start = -pad
        self._received = 0
        self._next_frame = 0
        self._prev_start: float | None = None
        self._prev_ratio = p
        self._out = np.zeros(0)
        self._out_start = 0

    @property
    def speaker_vtl_cm(self) -> float | None:
        """The VTL normaliser's running estimate of the speaker's tract length (None: off)."""
        return None if self._tract is None else self._tract.vtl_cm

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

    def _centre(self, k: int | np.ndarray) -> float | np.ndarray:
        """Where grain ``k`` (or an array of grains) is centred, in input samples."""
        return k * self.hop + self.frame / 2 - self.latency

    def _nominal_start(self, k: int) -> float:
        return self._centre(k) - self._span / 2

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
        t, q = self._search, self._stride
        p = self._prev_ratio
        m = max(8, round(self.frame * p * _CORR_FRACTION))
        cont = self._prev_start + self.hop * p
        template = self._read(cont, m)
        t_energy = float(template @ template)
        if t_energy < 1e-10 * m:
            return nominal
        lo = math.ceil(nominal - t - cont)
        hi = math.floor(nominal + t - cont)
        seg = self._read(cont + lo, hi - lo + m)
        energy = np.empty(seg.size + 1)
        energy[0] = 0.0
        np.cumsum(seg * seg, out=energy[1:])
        offsets = np.arange(lo, hi + 1)
        norm = np.sqrt((energy[m:] - energy[:-m]) * t_energy + 1e-20)
        bias = _CENTRE_BIAS * np.abs(cont + offsets - nominal) / t
        coarse = np.correlate(seg[::q], template[::q], mode="valid")[: norm[::q].size]
        i = int(np.argmax(coarse / norm[::q][: coarse.size] - bias[::q][: coarse.size])) * q
        a, b = max(0, i - q), min(offsets.size, i + q + 1)  # the fine search: offsets[a:b]
        fine = np.correlate(seg[a : b - 1 + m], template, mode="valid")
        match = fine / norm[a:b]
        score = match - bias[a:b]
        j = int(np.argmax(score))
        shift = 0.0
        if 0 < j < b - a - 1 and match[j] < 1.0 - 1e-9:  # an exact match needs no refining
            left, mid, right = score[j - 1 : j + 2].tolist()
            curve = left - 2 * mid + right
            if curve < 0:
                shift = min(max(0.5 * (left - right) / curve, -0.5), 0.5)
        return cont + (lo + a + j) + shift

    def _track(self, first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
        """Per-grain log-F0 (NaN: unvoiced) and the running mean of log-F0 after each grain."""
        tracker = self._tracker
        ks = np.arange(first, last + 1)
        lo = np.floor(self._centre(ks) - tracker.span / 2).astype(np.intp) - self._buf_start
        return tracker.choose(*tracker.candidates(_rows(self._buf, tracker.span)[lo]))

    def _normalise(self, log_f0: np.ndarray, mean: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per-grain pitch ratios and formant scales of the F0 normaliser."""
        level, log_scale = normaliser_goal(self.params, mean)
        deviation = np.where(np.isnan(log_f0), 0.0, log_f0 - mean)  # unvoiced: the level alone
        goal = level + (self.params.f0_spread - 1.0) * deviation
        limit = MAX_SEMITONES * math.log(2.0) / 12.0
        log_ratio = np.empty(log_f0.size)
        smoothed = self._log_ratio
        for i, g in enumerate(np.clip(goal, -limit, limit).tolist()):
            smoothed += _RATIO_SMOOTHING * (g - smoothed)
            log_ratio[i] = smoothed
        self._log_ratio = smoothed
        return np.exp(log_ratio), np.exp(log_scale)

    def _run_frames(self, first: int, last: int) -> None:
        count = last - first + 1
        ratios, scales, measured = np.full(count, self._p), None, None
        if self._tracker is not None:
            log_f0, mean = self._track(first, last)
            # the grains the VTL normaliser reads formants from: voiced ones, every EVERY-th
            measured = ~np.isnan(log_f0) & (np.arange(first, last + 1) % EVERY == 0)
            if self.params.normalises_f0:
                ratios, scales = self._normalise(log_f0, mean)
        if self.params.formant_wobble > 0:
            centres = self._centre(np.arange(first, last + 1))
            angle = 2 * np.pi * centres / (self.params.wobble_seconds * self.sample_rate)
            wobble = np.exp(self.params.formant_wobble * np.sin(angle + self.params.wobble_phase))
            scales = wobble if scales is None else scales * wobble
        starts = np.empty(count)
        for i, k in enumerate(range(first, last + 1)):
            starts[i] = self._align(self._centre(k) - self.frame * ratios[i] / 2)
            self._prev_start = float(starts[i])
            self._prev_ratio = float(ratios[i])
        pos = starts[:, None] - self._buf_start + self._offsets[None, :] * ratios[:, None]
        idx = np.floor(pos).astype(np.intp)
        phase = np.rint((pos - idx) * _PHASES).astype(np.intp)
        # rows of _TAPS consecutive samples, gathered by their first sample
        taps = _rows(self._buf, _TAPS)[idx + _TAP_OFFSETS[0]]
        if not self.params.normalises_f0:
            weights = self._sinc.take(phase, axis=0)
        else:
            step = np.clip(np.ceil(48 * np.log2(ratios) - 1e-9), 0, self._n_steps - 1)
            rows = step.astype(np.intp)[:, None] * (_PHASES + 1) + phase
            weights = self._sinc_steps.take(rows, axis=0)
        grains = np.einsum("flt,flt->fl", taps, weights)
        frames = grains * self._window
        if self._reshape or self._equaliser is not None:
            frames = self._shape_spectra(frames, ratios, scales, measured)
        frames *= self._window
        end = last * self.hop + self.frame - self._out_start
        if end > self._out.size:
            self._out = np.concatenate([self._out, np.zeros(end - self._out.size)])
        for i, k in enumerate(range(first, last + 1)):
            at = k * self.hop - self._out_start
            self._out[at : at + self.frame] += frames[i]

    def _shape_spectra(
        self,
        frames: np.ndarray,
        ratios: np.ndarray,
        scales: np.ndarray | None,
        measured: np.ndarray | None,
    ) -> np.ndarray:
        """Formant warp (envelope swap) and long-term equalisation in one spectral pass."""
        spec = fft.rfft(frames, self._n_fft, axis=-1)
        power = spec.real**2 + spec.imag**2
        if self._tract is not None:
            vtl = self._vtl_scales(power, ratios, measured)
            scales = vtl if scales is None else scales * vtl
        if self._reshape:
            ratio = self._warp_ratio(power, ratios, scales)
            spec = spec * ratio
            power = power * ratio**2
        if self._equaliser is not None:
            spec = spec * self._equaliser.gains(power)
        shaped = fft.irfft(spec, self._n_fft, axis=-1)[:, : self.frame]
        gain = np.sqrt((frames**2).sum(axis=1) / ((shaped**2).sum(axis=1) + 1e-20))
        return shaped * np.minimum(gain, 4.0)[:, None]

    def _vtl_scales(
        self, power: np.ndarray, ratios: np.ndarray, measured: np.ndarray
    ) -> np.ndarray:
        """Per-grain formant scales of the VTL normaliser: target spacing / speaker's."""
        log_spacing = np.full(power.shape[0], np.nan)
        at = measured.nonzero()[0]
        if at.size:  # formants are read from voiced grains only
            log_spacing[at] = self._tract.spacings(power[at], ratios[at])
        means = self._tract.update(log_spacing)
        limit = math.log(_MAX_VTL_SCALE)
        return np.exp(np.clip(self._log_spacing_target - means, -limit, limit))

    def _warp_ratio(
        self, power: np.ndarray, ratios: np.ndarray, scales: np.ndarray | None
    ) -> np.ndarray:
        """Per-bin gains that swap each frame's LPC envelope for the warped original one."""
        n_fft, order = self._n_fft, self._order
        autocorr = fft.irfft(power * self._emphasis_power, n_fft, axis=-1)[:, : order + 1]
        a = levinson(autocorr, order)
        inv_env = np.abs(fft.rfft(a, n_fft, axis=-1)) / self._emphasis
        # gathers with ``take``: fancy indexing costs several times more per bin
        if scales is None:
            lo, hi, w_lo, w_hi = self._gather
            src = inv_env.take(lo, axis=1) * w_lo + inv_env.take(hi, axis=1) * w_hi
        else:
            # each grain was resampled by its own ratio; its formants scale by its own factor
            hz = self.params.formant.source_hz(self._bin_hz[None, :] / scales[:, None])
            at = np.clip(
                ratios[:, None] * hz * n_fft / self.sample_rate, 0.0, inv_env.shape[1] - 1.000001
            )
            lo = np.floor(at).astype(np.intp)
            w = at - lo
            lo += np.arange(lo.shape[0])[:, None] * inv_env.shape[1]  # into the flattened rows
            flat = inv_env.ravel()
            src = flat.take(lo) * (1.0 - w) + flat.take(lo + 1) * w
        return np.clip(inv_env / src, 1.0 / _MAX_GAIN, _MAX_GAIN)

    def _trim_history(self) -> None:
        keep_from = self._nominal_start(self._next_frame) - self._search - _TAPS
        if self._tracker is not None:
            keep_from -= self._tracker.span
        if self._prev_start is not None:
            keep_from = min(keep_from, self._prev_start - _TAPS)
        drop = math.floor(keep_from) - self._buf_start
        if drop > 4096:
            self._buf = self._buf[drop:]
            self._buf_start += drop
