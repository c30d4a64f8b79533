"""MP4 files through the ffmpeg binary that imageio-ffmpeg ships (no system ffmpeg).

The writer never receives audio: the input's sound is dropped unless the
voice changer has replaced it (see :mod:`avatarlink.pipeline.audio`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Generator
from fractions import Fraction
from pathlib import Path

import imageio_ffmpeg
import numpy as np

from avatarlink.errors import UserError

# crf 20 is visually clean for flat-shaded characters. Offline, veryfast
# keeps files small; live, superfast leaves the CPU to tracking and rendering
# (5.6 against 7.2 ms a 640x480 frame here, for a file about twice as large).
OFFLINE_PRESET, LIVE_PRESET = "veryfast", "superfast"
_X264 = ["-crf", "20", "-movflags", "+faststart"]


def check_writable(path: Path) -> Path:
    """Fail before any work when ``path`` cannot be written."""
    path = Path(path).expanduser().absolute()
    if path.is_dir():
        raise UserError(f"cannot write {path}: it is a folder; give a file name such as out.mp4")
    parent = path.parent
    if not parent.is_dir():
        raise UserError(f"cannot write {path}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UserError(f"cannot write {path}: permission denied")
    return path


class VideoWriter:
    """Writes RGB frames of one size to an H.264 MP4 at a fixed frame rate."""

    def __init__(
        self, path: Path, size: tuple[int, int], fps: float, preset: str = OFFLINE_PRESET
    ) -> None:
        self.path = check_writable(path)
        self.size = size
        self.fps = fps
        self.preset = preset
        self.frames = 0
        if size[0] % 2 or size[1] % 2:
            raise UserError(f"video size {size[0]}x{size[1]} must be even in both directions")
        self._gen: Generator[None, np.ndarray, None] | None = None

    def _start(self) -> Generator[None, np.ndarray, None]:
        """ffmpeg starts with the first frame: a run that fails earlier leaves no file."""
        gen = imageio_ffmpeg.write_frames(
            str(self.path),
            self.size,
            fps=Fraction(self.fps).limit_denominator(100000),
            codec="libx264",
            pix_fmt_out="yuv420p",
            quality=None,
            macro_block_size=1,
            output_params=["-preset", self.preset, *_X264],
            ffmpeg_log_level="error",
        )
        gen.send(None)
        return gen

    def write(self, image: np.ndarray) -> None:
        if image.shape[:2] != (self.size[1], self.size[0]):
            raise ValueError(f"frame is {image.shape[1]}x{image.shape[0]}, not {self.size}")
        try:
            if self._gen is None:
                self._gen = self._start()
            self._gen.send(np.ascontiguousarray(image[..., :3]))
        except (OSError, RuntimeError) as exc:
            raise UserError(f"could not write {self.path}: the encoder stopped ({exc})") from exc
        self.frames += 1

    def poll(self) -> None:
        return None

    def close(self) -> None:
        if self._gen is None:
            return
        try:
            self._gen.close()
        except (OSError, RuntimeError) as exc:
            raise UserError(f"could not finish {self.path}: {exc}") from exc


class RealTimeRecorder:
    """A live recording that keeps real time although live frames come unevenly.

    Dropped or slow frames would otherwise make the file play fast; here
    each image is repeated until the file's clock catches up with the wall clock.
    """

    def __init__(self, path: Path, size: tuple[int, int], fps: float) -> None:
        self._writer = VideoWriter(path, size, fps, preset=LIVE_PRESET)
        self._start: float | None = None

    @property
    def path(self) -> Path:
        return self._writer.path

    def write(self, image: np.ndarray) -> None:
        now = time.perf_counter()
        if self._start is None:
            self._start = now
        due = int((now - self._start) * self._writer.fps) + 1
        for _ in range(max(0, due - self._writer.frames)):
            self._writer.write(image)

    def poll(self) -> None:
        return None

    def close(self) -> None:
        self._writer.close()
