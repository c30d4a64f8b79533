"""Synthetic voices with known formants and pitch, and the processor run end to end."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import lfilter

from avatarlink.voice.stream import VoiceParams, VoiceProcessor

RATE = 16000
VOWELS = {  # (F1, F2, F3) Hz: /a/, /i/, /u/-ish, /e/-ish
    "a": (700.0, 1220.0, 2600.0),
    "i": (300.0, 2300.0, 3000.0),
    "o": (500.0, 1000.0, 2500.0),
    "e": (600.0, 1700.0, 2700.0),
}


def synth_vowel(
    f0: float | np.ndarray,
    formants: tuple[float, ...],
    seconds: float = 1.0,
    rate: int = RATE,
    bandwidths: tuple[float, ...] = (80.0, 90.0, 120.0),
) -> np.ndarray:
    """A pulse train (constant or gliding F0) through second-order formant resonators."""
    n = int(seconds * rate)
    f0 = np.broadcast_to(np.asarray(f0, dtype=np.float64), (n,))
    phase = np.cumsum(f0 / rate)
    pulses = np.diff(np.floor(phase), prepend=0.0)
    y = lfilter([1.0], [1.0, -0.9], pulses)  # glottal spectral tilt
    for f, b in zip(formants, bandwidths, strict=False):
        r = np.exp(-np.pi * b / rate)
        y = lfilter([1 - r], [1, -2 * r * np.cos(2 * np.pi * f / rate), r * r], y)
    return (0.3 * y / np.abs(y).max()).astype(np.float32)


def run_stream(x: np.ndarray, params: VoiceParams, rate: int = RATE, block: int | None = None):
    """Whole signal through one processor in blocks, delay removed (same length as x)."""
    proc = VoiceProcessor(params, rate)
    padded = np.concatenate([x, np.zeros(proc.latency, dtype=np.float32)])
    block = block or padded.size
    out = np.concatenate(
        [proc.process(padded[i : i + block]) for i in range(0, padded.size, block)]
    )
    return out[proc.latency : proc.latency + x.size]


def praat_f0(x: np.ndarray, rate: int = RATE) -> float:
    """Median F0 by Praat (an independent measurer)."""
    import parselmouth

    pitch = parselmouth.Sound(x.astype(np.float64), rate).to_pitch(
        time_step=0.01, pitch_floor=50, pitch_ceiling=700
    )
    f = pitch.selected_array["frequency"]
    return float(np.median(f[f > 0]))


@pytest.fixture(scope="session")
def speech_dir(shared_data):
    return shared_data / "speech"


@pytest.fixture(scope="session")
def male_utterance(speech_dir):
    import soundfile as sf

    audio, rate = sf.read(str(speech_dir / "2609" / "2609-156975-0000.flac"), dtype="float32")
    return audio, rate


@pytest.fixture(scope="session")
def vowels() -> dict[str, tuple[float, float, float]]:
    return VOWELS


@pytest.fixture(scope="session")
def synth():
    return synth_vowel


@pytest.fixture(scope="session")
def stream():
    return run_stream


@pytest.fixture(scope="session")
def f0_of():
    return praat_f0
