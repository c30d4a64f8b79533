"""The input's sound for `avatarlink render --voice`: out through ffmpeg, back in shifted.

The original voice identifies a person as surely as the face does, so it is
never copied through: without ``--voice`` the output has no audio at all,
and with it only the voice changer's output is muxed in.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import soundfile

from avatarlink.errors import UserError

SAMPLE_RATE = 48000


def extract_audio(path: Path, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """The file's sound as mono float32 at ``sample_rate`` (mixing channels down)."""
    cmd = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-nostdin", "-i", str(path), "-vn"]
    cmd += ["-ac", "1", "-ar", str(sample_rate), "-f", "f32le", "-"]
    proc = subprocess.run(cmd, capture_output=True, check=False)
    if proc.returncode != 0:
        raise UserError(f"could not read the sound of {Path(path).name}")
    audio = np.frombuffer(proc.stdout, dtype="<f4").astype(np.float32)
    if audio.size == 0:
        raise UserError(f"{Path(path).name} has no sound for --voice to change")
    return audio


def fit_length(audio: np.ndarray, n: int) -> np.ndarray:
    """Trim or pad with silence so the sound lasts exactly as long as the video."""
    if audio.shape[0] >= n:
        return audio[:n]
    pad = np.zeros((n - audio.shape[0], *audio.shape[1:]), dtype=np.float32)
    return np.concatenate([audio, pad])


def mux(video: Path, audio: np.ndarray, sample_rate: int, out: Path) -> None:
    """Copy the video stream and add ``audio`` as AAC; nothing else from any input."""
    wav = out.with_name(out.stem + ".voice.wav")
    soundfile.write(wav, audio, sample_rate, subtype="FLOAT")
    cmd = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-nostdin", "-y"]
    cmd += ["-i", str(video), "-i", str(wav), "-map", "0:v:0", "-map", "1:a:0"]
    cmd += ["-c:v", "copy", "-c:a", "aac", "-b:a", "160k", "-movflags", "+faststart", str(out)]
    try:
        proc = subprocess.run(cmd, capture_output=True, check=False)
    finally:
        wav.unlink(missing_ok=True)
    if proc.returncode != 0:
        raise UserError(f"could not add the changed voice to {out}")
