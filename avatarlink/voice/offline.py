"""Files and arrays through the same streaming engine the live path uses."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from tqdm import tqdm

from avatarlink.errors import UserError
from avatarlink.voice.audio_io import check_output_path, read_audio, write_audio
from avatarlink.voice.presets import Preset, session_params
from avatarlink.voice.stream import VoiceParams, VoiceProcessor

CHUNK = 1 << 16  # bounded memory for long files


def _run_channel(signal: np.ndarray, proc: VoiceProcessor, bar: tqdm | None) -> np.ndarray:
    """One channel, delay removed: output[n] lines up with input[n]."""
    n = signal.size
    padded = np.concatenate([signal, np.zeros(proc.latency, dtype=np.float32)])
    pieces = []
    for at in range(0, padded.size, CHUNK):
        pieces.append(proc.process(padded[at : at + CHUNK]))
        if bar is not None:
            bar.update(min(CHUNK, n - min(at, n)))
    return np.concatenate(pieces)[proc.latency : proc.latency + n]


def process_array(
    audio: np.ndarray,
    sample_rate: int,
    preset: str | Preset | VoiceParams,
    seed: int | None = None,
    progress: bool = False,
) -> np.ndarray:
    """Shift a whole recording; same shape (n,) or (n, channels) and rate, float32.

    ``preset`` is a preset name, a :class:`Preset` (its parameters drawn once
    with ``seed``, shared by all channels) or fixed :class:`VoiceParams`.
    Raises ValueError for an unknown preset or an unsupported sample rate.
    """
    audio = np.asarray(audio, dtype=np.float32)
    if audio.ndim not in (1, 2):
        raise ValueError("audio must be (samples,) or (samples, channels)")
    params = session_params(preset, seed)
    channels = audio[:, None] if audio.ndim == 1 else audio
    out = np.empty_like(channels)
    total = channels.shape[0] * channels.shape[1]
    procs = [VoiceProcessor(params, sample_rate) for _ in range(channels.shape[1])]
    with tqdm(total=total, unit="sample", unit_scale=True, disable=not progress) as bar:
        for c, proc in enumerate(procs):
            out[:, c] = _run_channel(channels[:, c], proc, bar)
    return out[:, 0] if audio.ndim == 1 else out


def process_file(
    source: str | Path,
    target: str | Path,
    preset: str | Preset | VoiceParams,
    seed: int | None = None,
    progress: bool = True,
) -> VoiceParams:
    """Read wav/flac at any rate, shift, write wav/flac at the same rate; returns the settings.

    Raises UserError for unreadable input, a bad output path or an
    unsupported sample rate.
    """
    check_output_path(target)
    data, rate = read_audio(source)
    params = session_params(preset, seed)
    try:
        out = process_array(data, rate, params, progress=progress)
    except ValueError as exc:
        raise UserError(f"{Path(source).name}: {exc}") from None
    write_audio(target, out, rate)
    return params
