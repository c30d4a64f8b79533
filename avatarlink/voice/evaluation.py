"""How well the voice changer hides the speaker and keeps words and intonation.

Needs the ``bench`` extra (resemblyzer + torch on the CPU, pocketsphinx,
praat-parselmouth, pyworld, jiwer); everything runs offline from the wheels'
bundled models. Every function returns a plain dict of figures, so the audit
and ``tools/bench_voice.py`` can print or store them. Each takes a subset
argument (``max_speakers``, ``max_utterances``, ``max_clips``) to stay fast.

Attackers (VoicePrivacy Challenge terms), with resemblyzer as the speaker
verifier and cosine similarity as the score:

- ``ignorant``: enrolment on original speech, tests anonymised;
- ``lazy``: (lazy-informed) enrolment anonymised with the same preset but
  another session's draw;
- ``inverse``: knows the preset's ranges and applies the inverse of their
  midpoint to each anonymised test before verifying against originals;
- ``register`` (presets that go away from the speaker's register only):
  knows that design too. Most voices reach the engine's ±8 semitone limit
  there, so it reads from each test's median F0 which way it was moved and
  shifts it 8 semitones back, formants by the range's midpoint. The strongest
  signal-processing attacker measured here.

Every utterance is its own session: its parameters are drawn with its own
seed, as a user's separate calls would be.
"""

from __future__ import annotations

import functools
import math
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

from avatarlink.metrics import eer, pearson
from avatarlink.voice.formant import FormantWarp
from avatarlink.voice.offline import process_array
from avatarlink.voice.pitch import PRIOR_HZ
from avatarlink.voice.presets import Preset, get_preset
from avatarlink.voice.stream import MAX_SEMITONES, VoiceParams, normaliser_goal

# (audio, sample_rate, exact settings) -> shifted audio
Anonymiser = Callable[[np.ndarray, int, VoiceParams], np.ndarray]
ATTACKERS = ("ignorant", "lazy", "inverse", "register")


@dataclass(frozen=True)
class Utterance:
    speaker: str
    name: str
    audio: np.ndarray
    sample_rate: int


def load_speech(
    folder: str | Path, max_speakers: int | None = None, max_utterances: int | None = None
) -> list[Utterance]:
    """Utterances from ``folder/<speaker>/*.flac|wav``, speakers in sorted order.

    Speakers with several utterances come first (they give genuine trials);
    ``max_utterances`` caps each speaker, ``max_speakers`` caps those
    multi-utterance speakers (single-utterance speakers are kept as impostors
    only when no cap is given).
    """
    folder = Path(folder)
    speakers = {}
    for d in sorted(p for p in folder.iterdir() if p.is_dir()):
        files = sorted([*d.glob("*.flac"), *d.glob("*.wav")])[:max_utterances]
        if files:
            speakers[d.name] = files
    multi = [s for s, f in speakers.items() if len(f) > 1]
    single = [s for s, f in speakers.items() if len(f) == 1]
    chosen = multi[:max_speakers] + (single if max_speakers is None else [])
    out = []
    for s in chosen:
        for f in speakers[s]:
            audio, rate = sf.read(str(f), dtype="float32")
            out.append(Utterance(s, f.stem, audio, int(rate)))
    return out


def ours(audio: np.ndarray, rate: int, params: VoiceParams) -> np.ndarray:
    """avatarlink's streaming engine."""
    return process_array(audio, rate, params)


def _voiced_median(f0_hz: np.ndarray, default: float) -> float:
    """Median F0 over voiced frames (0 = unvoiced), or ``default`` where none is voiced."""
    voiced = f0_hz[f0_hz > 0]
    return float(np.median(voiced)) if voiced.size else default


def peer_shift(median_hz: float, params: VoiceParams) -> tuple[float, float]:
    """(pitch ratio, formant ratio) that a fixed-shift peer applies for this session.

    A peer cannot follow F0 per grain, so a normalising session is given to it
    as one shift from the utterance's median F0: to the drawn target, moved
    away from (or towards) the speaker's register as the engine would, within
    the engine's ±8 semitones. What the peers cannot do at all is normalise
    the tract length and the long-term spectrum.
    """
    if not params.normalises_f0:
        return params.pitch_ratio, _mean_formant_ratio(params.formant)
    if median_hz <= 0:
        return 1.0, _mean_formant_ratio(params.formant)
    level, log_scale = normaliser_goal(params, np.array([math.log(median_hz)]))
    log_formant = float(log_scale[0]) + math.log(_mean_formant_ratio(params.formant))
    limit = MAX_SEMITONES * math.log(2.0) / 12.0
    return math.exp(min(max(float(level[0]), -limit), limit)), math.exp(log_formant)


def undo_register(audio: np.ndarray, rate: int, preset: Preset) -> VoiceParams:
    """The register attacker's move on one anonymised test: 8 semitones back the way it came."""
    median = _voiced_median(f0_contour(audio, rate), PRIOR_HZ)
    ratio = float(np.mean(preset.formant_ratio)) if preset.formant_ratio else 1.0
    if median > PRIOR_HZ:  # a high output came up from a low voice
        return VoiceParams(-MAX_SEMITONES, FormantWarp(ratio=1.0 / ratio))
    return VoiceParams(MAX_SEMITONES, FormantWarp(ratio=ratio))


def praat_change_gender(audio: np.ndarray, rate: int, params: VoiceParams) -> np.ndarray:
    """Peer: Praat's "Change gender" (PSOLA resynthesis with a formant shift ratio)."""
    import parselmouth
    from parselmouth.praat import call

    sound = parselmouth.Sound(audio.astype(np.float64), rate)
    pitch = sound.to_pitch(pitch_floor=75, pitch_ceiling=600)
    median = _voiced_median(pitch.selected_array["frequency"], 0.0)
    pitch_ratio, ratio = peer_shift(median, params)
    shifted = call(sound, "Change gender", 75, 600, ratio, median * pitch_ratio, 1.0, 1.0)
    return shifted.values[0].astype(np.float32)


def world_warp(audio: np.ndarray, rate: int, params: VoiceParams) -> np.ndarray:
    """Peer: WORLD vocoder (pyworld), F0 scaled and the spectral envelope warped."""
    import pyworld

    x = audio.astype(np.float64)
    f0, sp, ap = pyworld.wav2world(x, rate)
    pitch_ratio, ratio = peer_shift(_voiced_median(f0, 0.0), params)
    warp = FormantWarp(ratio=min(max(ratio, 0.5), 2.0)) if params.normalises_f0 else params.formant
    bins = sp.shape[1]
    hz = np.arange(bins) * rate / (2 * (bins - 1))
    src = np.clip(warp.source_hz(hz) * 2 * (bins - 1) / rate, 0, bins - 1)
    warped = np.stack([np.interp(src, np.arange(bins), row) for row in sp])
    y = pyworld.synthesize(f0 * pitch_ratio, warped, ap, rate)
    return y[: audio.size].astype(np.float32)


PEERS: dict[str, Anonymiser] = {
    "avatarlink": ours,
    "praat-change-gender": praat_change_gender,
    "pyworld-warp": world_warp,
}


def _mean_formant_ratio(warp: FormantWarp) -> float:
    """A single ratio for peers that take one (McAdams: its mean over 300-3500 Hz)."""
    if warp.alpha is None:
        return warp.ratio
    hz = np.linspace(300, 3500, 50)
    return float(np.exp(np.mean(np.log(warp.output_hz(hz) / hz))))


def _session_seed(base: int, index: int, role: int) -> int:
    return int(np.random.SeedSequence([base, index, role]).generate_state(1)[0])


@functools.cache
def _encoder():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from resemblyzer import VoiceEncoder, preprocess_wav
    return VoiceEncoder("cpu", verbose=False), preprocess_wav


def embed(audio: np.ndarray, rate: int) -> np.ndarray:
    """Resemblyzer utterance embedding (unit length)."""
    encoder, preprocess = _encoder()
    return encoder.embed_utterance(preprocess(np.asarray(audio, dtype=np.float32), rate))


def _eer_of(enrol: np.ndarray, test: np.ndarray, spk_e: list, spk_t: list, same: np.ndarray):
    scores = enrol @ test.T
    spk_e, spk_t = np.asarray(spk_e), np.asarray(spk_t)
    genuine = (spk_e[:, None] == spk_t[None, :]) & ~same
    impostor = spk_e[:, None] != spk_t[None, :]
    return eer(scores[genuine], scores[impostor]), int(genuine.sum()), int(impostor.sum())


def speaker_verification(
    speech_dir: str | Path,
    preset: str | Preset = "anonymous",
    attackers: Sequence[str] = ATTACKERS,
    method: str = "avatarlink",
    seed: int = 0,
    max_speakers: int | None = None,
    max_utterances: int | None = None,
    with_prosody: bool = False,
) -> dict:
    """EER (%) for original speech and for each attacker, plus trial counts and CPU cost.

    Enrolment utterances are those of speakers with several utterances;
    tests are every utterance (single-utterance speakers only as impostors).
    A trial never pairs an utterance with itself. ``with_prosody`` adds the
    F0-contour correlation of the same anonymised tests (as :func:`prosody`).
    """
    import time

    preset = get_preset(preset) if isinstance(preset, str) else preset
    anonymise = PEERS[method]
    utts = load_speech(speech_dir, max_speakers, max_utterances)
    counts = {u.speaker: 0 for u in utts}
    for u in utts:
        counts[u.speaker] += 1
    enrol_idx = [i for i, u in enumerate(utts) if counts[u.speaker] > 1]
    speakers = [u.speaker for u in utts]
    spk_e = [speakers[i] for i in enrol_idx]
    same = np.array([[i == j for j in range(len(utts))] for i in enrol_idx])
    original = np.stack([embed(u.audio, u.sample_rate) for u in utts])

    cpu = 0.0
    audio_seconds = 0.0

    def run(u: Utterance, params: VoiceParams) -> np.ndarray:
        nonlocal cpu, audio_seconds
        t = time.process_time()
        y = anonymise(u.audio, u.sample_rate, params)
        cpu += time.process_time() - t
        audio_seconds += u.audio.size / u.sample_rate
        return y

    anon_audio = [run(u, preset.draw(_session_seed(seed, i, 0))) for i, u in enumerate(utts)]
    anon = np.stack([embed(a, u.sample_rate) for a, u in zip(anon_audio, utts, strict=True)])
    out: dict = {"preset": preset.name, "method": method, "utterances": len(utts)}
    e, g, i = _eer_of(original[enrol_idx], original, spk_e, speakers, same)
    out.update(eer_original=100 * e, genuine_trials=g, impostor_trials=i)
    if "ignorant" in attackers:
        out["eer_ignorant"] = 100 * _eer_of(original[enrol_idx], anon, spk_e, speakers, same)[0]
    if "lazy" in attackers:
        enrol = np.stack(
            [
                embed(run(utts[i], preset.draw(_session_seed(seed, i, 1))), utts[i].sample_rate)
                for i in enrol_idx
            ]
        )
        out["eer_lazy"] = 100 * _eer_of(enrol, anon, spk_e, speakers, same)[0]
    if "inverse" in attackers:
        undo = preset.midpoint().inverse()
        restored = np.stack(
            [
                embed(ours(a, u.sample_rate, undo), u.sample_rate)
                for a, u in zip(anon_audio, utts, strict=True)
            ]
        )
        out["eer_inverse"] = 100 * _eer_of(original[enrol_idx], restored, spk_e, speakers, same)[0]
    if "register" in attackers and preset.away > 0:
        undone = [
            ours(a, u.sample_rate, undo_register(a, u.sample_rate, preset))
            for a, u in zip(anon_audio, utts, strict=True)
        ]
        restored = np.stack([embed(x, u.sample_rate) for x, u in zip(undone, utts, strict=True)])
        out["eer_register"] = 100 * _eer_of(original[enrol_idx], restored, spk_e, speakers, same)[0]
    if with_prosody:
        r = np.array(
            [
                f0_correlation(u.audio, a, u.sample_rate)
                for a, u in zip(anon_audio, utts, strict=True)
            ]
        )
        out.update(f0_correlation_mean=float(np.nanmean(r)), f0_correlation_min=float(np.nanmin(r)))
    out["cpu_per_audio_second"] = cpu / max(audio_seconds, 1e-9)
    return out


_SPELLING = {"mr": "mister", "mrs": "missus", "dr": "doctor", "st": "saint"}


def _normalise(text: str) -> str:
    words = re.sub(r"[^a-z' ]", " ", text.lower()).split()
    return " ".join(_SPELLING.get(w, w) for w in words)


def _decoder():
    """A fresh decoder: one reused across clips carries its cepstral mean (CMN) from
    clip to clip, so a clip's words would depend on what was decoded before it."""
    from pocketsphinx import Decoder

    return Decoder(samprate=16000, loglevel="FATAL")


def transcribe(audio: np.ndarray, rate: int) -> str:
    """pocketsphinx (its bundled US English model) on 16 kHz mono, independent of earlier calls."""
    x = np.asarray(audio, dtype=np.float64)
    if x.ndim == 2:
        x = x.mean(axis=1)
    if rate != 16000:
        g = np.gcd(rate, 16000)
        x = resample_poly(x, 16000 // g, rate // g)
    pcm = (np.clip(x, -1, 1) * 32767).astype(np.int16)
    decoder = _decoder()
    decoder.start_utt()
    decoder.process_raw(pcm.tobytes(), full_utt=True)
    decoder.end_utt()
    hyp = decoder.hyp()
    return hyp.hypstr if hyp is not None else ""


def intelligibility(
    transcribed_dir: str | Path,
    preset: str | Preset = "anonymous",
    method: str = "avatarlink",
    seed: int = 0,
    max_clips: int | None = None,
) -> dict:
    """Word error rate (%) of pocketsphinx before and after, on the same clips."""
    import jiwer

    preset = get_preset(preset) if isinstance(preset, str) else preset
    folder = Path(transcribed_dir)
    refs, before, after = [], [], []
    for i, wav in enumerate(sorted(folder.glob("*.wav"))[:max_clips]):
        audio, rate = sf.read(str(wav), dtype="float32")
        refs.append(_normalise(wav.with_suffix(".txt").read_text()))
        before.append(_normalise(transcribe(audio, rate)))
        shifted = PEERS[method](audio, rate, preset.draw(_session_seed(seed, i, 2)))
        after.append(_normalise(transcribe(shifted, rate)))
    return {
        "preset": preset.name,
        "method": method,
        "clips": len(refs),
        "wer_original": 100 * jiwer.wer(refs, before),
        "wer_anonymised": 100 * jiwer.wer(refs, after),
    }


def f0_contour(audio: np.ndarray, rate: int, floor: float = 60, ceiling: float = 700):
    """Praat F0 (Hz, 0 = unvoiced) every 10 ms."""
    import parselmouth

    sound = parselmouth.Sound(np.asarray(audio, dtype=np.float64), rate)
    pitch = sound.to_pitch(time_step=0.01, pitch_floor=floor, pitch_ceiling=ceiling)
    return pitch.selected_array["frequency"]


def tracker_against_praat(audio: np.ndarray, rate: int) -> dict[str, float]:
    """The engine's F0 tracker (5 ms grains) against Praat's over the same 60-420 Hz range.

    ``voicing``: share of grains both call voiced or both unvoiced; ``gross``:
    share of the grains voiced in both where ours is more than 20 % off;
    ``level_ours`` / ``level_praat``: the mean log-F0 of each one's voiced
    frames, in Hz (the level the F0 normaliser's running mean estimates).
    """
    import parselmouth

    from avatarlink.voice.pitch import F0_MAX, F0_MIN, track

    times, tracked = track(audio, rate, rate // 200)
    sound = parselmouth.Sound(np.asarray(audio, dtype=np.float64), rate)
    pitch = sound.to_pitch(time_step=0.01, pitch_floor=F0_MIN, pitch_ceiling=F0_MAX)
    praat = pitch.selected_array["frequency"]
    near = np.clip(np.searchsorted(pitch.xs(), times), 0, praat.size - 1)
    theirs = np.where(praat[near] > 0, praat[near], np.nan)
    voiced_ours, voiced_theirs = np.isfinite(tracked), np.isfinite(theirs)
    both = voiced_ours & voiced_theirs
    return {
        "voicing": float(np.mean(voiced_ours == voiced_theirs)),
        "gross": float(np.mean(np.abs(tracked[both] / theirs[both] - 1) > 0.2)),
        "level_ours": float(np.exp(np.mean(np.log(tracked[voiced_ours])))),
        "level_praat": float(np.exp(np.mean(np.log(praat[praat > 0])))),
    }


def f0_correlation(original: np.ndarray, shifted: np.ndarray, rate: int) -> float:
    """Pearson r of log-F0 over frames voiced in both (a constant shift gives r = 1)."""
    a, b = f0_contour(original, rate), f0_contour(shifted, rate)
    n = min(a.size, b.size)
    a, b = a[:n], b[:n]
    voiced = (a > 0) & (b > 0)
    if voiced.sum() < 10:
        return float("nan")
    return pearson(np.log(a[voiced]), np.log(b[voiced]))


def prosody(
    speech_dir: str | Path,
    preset: str | Preset = "anonymous",
    method: str = "avatarlink",
    seed: int = 0,
    max_speakers: int | None = None,
    max_utterances: int | None = None,
) -> dict:
    """F0-contour correlation between original and output (mean and minimum over utterances)."""
    preset = get_preset(preset) if isinstance(preset, str) else preset
    utts = load_speech(speech_dir, max_speakers, max_utterances)
    rs = []
    for i, u in enumerate(utts):
        shifted = PEERS[method](u.audio, u.sample_rate, preset.draw(_session_seed(seed, i, 0)))
        rs.append(f0_correlation(u.audio, shifted, u.sample_rate))
    r = np.asarray(rs)
    return {
        "preset": preset.name,
        "method": method,
        "utterances": len(rs),
        "f0_correlation_mean": float(np.nanmean(r)),
        "f0_correlation_min": float(np.nanmin(r)),
    }
