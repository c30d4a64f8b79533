"""Sound files and sound devices, with every failure turned into one clear line."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import numpy as np
import soundfile as sf

from avatarlink.errors import UserError

WRITABLE = {".wav": "WAV", ".flac": "FLAC"}


def read_audio(path: str | Path) -> tuple[np.ndarray, int]:
    """Samples as float32 (frames, channels) and the sample rate."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}: no such audio file")
    try:
        data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        raise UserError(f"{path}: not a readable wav/flac file ({exc})") from None
    if data.shape[0] == 0:
        raise UserError(f"{path}: the file holds no audio")
    if not np.isfinite(data).all():
        raise UserError(f"{path}: the file holds invalid (non-finite) samples")
    return data, int(rate)


def check_output_path(path: str | Path) -> str:
    """The soundfile format for an output path (checked before any work is done)."""
    path = Path(path)
    kind = WRITABLE.get(path.suffix.lower())
    if kind is None:
        raise UserError(f"{path}: the output must end in .wav or .flac")
    if not path.parent.is_dir():
        raise UserError(f"{path.parent}: output folder does not exist")
    return kind


def write_audio(path: str | Path, data: np.ndarray, rate: int) -> None:
    """Write wav or flac (chosen by the extension); 16-bit PCM for both."""
    kind = check_output_path(path)
    try:
        sf.write(str(path), np.clip(data, -1.0, 1.0), rate, format=kind, subtype="PCM_16")
    except (sf.LibsndfileError, RuntimeError, OSError) as exc:
        raise UserError(f"{path}: cannot write ({exc})") from None


def load_sounddevice() -> ModuleType:
    """The sounddevice module, or a UserError saying how to get PortAudio."""
    try:
        import sounddevice
    except OSError:
        raise UserError(
            "the PortAudio library is missing: install it (Debian/Ubuntu: "
            "sudo apt-get install libportaudio2) to use sound devices"
        ) from None
    return sounddevice
