"""Frame sources: a webcam by index, a video file or a folder of images.

Every source yields ``(t, rgb)`` with ``t`` in seconds and ``rgb`` an HxWx3
uint8 RGB array. Bad input (missing file, unreadable or empty file, a camera
that does not open or goes away) becomes a one-line :class:`UserError`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# FFmpeg (inside OpenCV) prints its own diagnostics for a broken file; ours is
# the one line the user should see.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")

import cv2
import numpy as np

from avatarlink.closing import Closing
from avatarlink.errors import UserError

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff")
DEFAULT_FPS = 30.0
# A live camera may drop a frame now and then; this many failed reads in a row
# means it went away (unplugged, taken by another program).
CAMERA_MAX_FAILED_READS = 10


class FrameSource(Closing):
    """Iterable of ``(t, rgb)``; use as a context manager so the device is released."""

    fps: float = DEFAULT_FPS
    frame_count: int | None = None

    def __iter__(self) -> Iterator[tuple[float, np.ndarray]]:
        raise NotImplementedError


def _to_rgb(bgr: np.ndarray) -> np.ndarray:
    if bgr.ndim == 2:
        return cv2.cvtColor(bgr, cv2.COLOR_GRAY2RGB)
    if bgr.shape[2] == 4:
        return cv2.cvtColor(bgr, cv2.COLOR_BGRA2RGB)
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


class CaptureSource(FrameSource):
    """A video file or a camera, through OpenCV's VideoCapture."""

    def __init__(self, capture: cv2.VideoCapture, label: str, live: bool) -> None:
        self._cap = capture
        self._label = label
        self._live = live
        self._peeked: np.ndarray | None = None
        fps = float(capture.get(cv2.CAP_PROP_FPS) or 0.0)
        self.fps = fps if 1.0 <= fps <= 1000.0 else DEFAULT_FPS
        count = int(capture.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        self.frame_count = None if live or count <= 0 else count

    def _read(self) -> np.ndarray | None:
        if self._peeked is not None:
            bgr, self._peeked = self._peeked, None
            return bgr
        try:
            ok, bgr = self._cap.read()
        except cv2.error:
            return None
        return bgr if ok and bgr is not None and bgr.size else None

    def peek(self) -> np.ndarray | None:
        """Decode the first frame now, so a corrupt file fails when opened."""
        self._peeked = self._read()
        return self._peeked

    def __iter__(self) -> Iterator[tuple[float, np.ndarray]]:
        if self._live:
            yield from self._iter_live()
        else:
            yield from self._iter_file()

    def _iter_file(self) -> Iterator[tuple[float, np.ndarray]]:
        index = 0
        while (bgr := self._read()) is not None:
            yield index / self.fps, _to_rgb(bgr)
            index += 1

    def _iter_live(self) -> Iterator[tuple[float, np.ndarray]]:
        start = time.monotonic()
        failed = 0
        while True:
            bgr = self._read()
            if bgr is None:
                failed += 1
                if failed >= CAMERA_MAX_FAILED_READS:
                    raise UserError(
                        f"{self._label} stopped delivering frames (unplugged or taken by "
                        "another program?)"
                    )
                continue
            failed = 0
            yield time.monotonic() - start, _to_rgb(bgr)

    def close(self) -> None:
        self._cap.release()


class ImageSource(FrameSource):
    """Still images (a folder's, in name order, or a single one) played at ``fps``."""

    def __init__(self, paths: list[Path], fps: float = DEFAULT_FPS) -> None:
        self._paths = paths
        self.fps = fps
        self.frame_count = len(self._paths)

    def __iter__(self) -> Iterator[tuple[float, np.ndarray]]:
        for index, path in enumerate(self._paths):
            bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
            if bgr is None:
                raise UserError(f"{path}: cannot read this image (corrupt or not an image?)")
            yield index / self.fps, _to_rgb(bgr)


@contextmanager
def _quiet_opencv() -> Iterator[None]:
    """OpenCV warns on stderr about a camera or file it cannot open; we say it in one line."""
    level = cv2.getLogLevel()
    cv2.setLogLevel(0)
    try:
        yield
    finally:
        cv2.setLogLevel(level)


def _open_camera(index: int) -> CaptureSource:
    with _quiet_opencv():
        cap = cv2.VideoCapture(index)
    if not cap.isOpened():
        cap.release()
        raise UserError(f"camera {index} does not open (is it connected and free?)")
    return CaptureSource(cap, f"camera {index}", live=True)


def _open_file(path: Path) -> CaptureSource:
    if not path.exists():
        raise UserError(f"{path}: no such file")
    if not os.access(path, os.R_OK):
        raise UserError(f"{path}: not readable (check its permissions)")
    if path.stat().st_size == 0:
        raise UserError(f"{path}: the file is empty")
    with _quiet_opencv():
        cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    if not cap.isOpened():
        cap.release()
        raise UserError(f"{path}: cannot open as a video (corrupt or unsupported format?)")
    source = CaptureSource(cap, str(path), live=False)
    if source.peek() is None:
        source.close()
        raise UserError(f"{path}: no frame could be decoded (corrupt or not a video?)")
    return source


def _open_folder(folder: Path) -> ImageSource:
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
    if not paths:
        raise UserError(f"{folder}: no images ({', '.join(IMAGE_SUFFIXES)}) in this folder")
    return ImageSource(paths)


def open_source(spec: str | int | os.PathLike[str]) -> FrameSource:
    """Open ``spec``: a camera index (``0`` or ``"0"``), a video file or a folder of images."""
    if isinstance(spec, int) or (isinstance(spec, str) and spec.strip().isdigit()):
        return _open_camera(int(spec))
    path = Path(spec)
    if path.is_dir():
        return _open_folder(path)
    if path.suffix.lower() in IMAGE_SUFFIXES and path.is_file() and path.stat().st_size:
        source = ImageSource([path])
        next(iter(source))  # fail now, not mid-run, on a corrupt image
        return source
    return _open_file(path)
