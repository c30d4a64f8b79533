"""Fixtures for the pipeline tests: a virtual X screen, the CLI, clips built from shared data."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
AVATARLINK = REPO / ".venv" / "bin" / "avatarlink"


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {tool} is missing (bash .ci/install test installs it)")
        pytest.skip(f"needs {tool} (apt-get install xvfb xauth xdotool x11-utils)")
    return path


@pytest.fixture
def xdisplay() -> Iterator[str]:
    """A private Xvfb screen (black root window, 1280x960), e.g. ':42'.

    One per test: a window another test left mapped (or still closing) would
    otherwise answer this test's search by title.
    """
    _need("xdotool")
    _need("xwininfo")
    xvfb = _need("Xvfb")
    read, write = os.pipe()
    proc = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", "1280x960x24", "-br", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        proc.kill()
        pytest.fail("Xvfb did not start")
    try:
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def cli_env(**changes: str | None) -> dict[str, str]:
    env = dict(os.environ)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 240, cwd=None):
    """Run the installed `avatarlink` command like a user would."""
    exe = str(AVATARLINK) if AVATARLINK.exists() else None
    cmd = [exe, *args] if exe else [sys.executable, "-m", "avatarlink", *args]
    return subprocess.run(
        cmd, capture_output=True, text=True, timeout=timeout, env=env or cli_env(), cwd=cwd
    )


def gray_small(image: np.ndarray, size: tuple[int, int] = (64, 64)) -> np.ndarray:
    """Grayscale at a common size, for comparing an output frame with its input."""
    import cv2

    rgb = np.ascontiguousarray(image[..., :3], dtype=np.float32)
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    return cv2.resize(gray, size, interpolation=cv2.INTER_AREA).astype(np.float64)


def ncc(a: np.ndarray, b: np.ndarray) -> float:
    """Normalised cross-correlation of two equally sized images (1 = same picture)."""
    a = a - a.mean()
    b = b - b.mean()
    denom = float(np.sqrt((a * a).sum() * (b * b).sum()))
    return float((a * b).sum() / denom) if denom > 0 else 0.0


def read_video(path: Path) -> tuple[list[np.ndarray], float]:
    """All frames (RGB) and the frame rate, decoded with imageio-ffmpeg."""
    import imageio_ffmpeg

    gen = imageio_ffmpeg.read_frames(str(path))
    meta = gen.__next__()
    w, h = meta["size"]
    frames = [np.frombuffer(buf, np.uint8).reshape(h, w, 3) for buf in gen]
    return frames, float(meta["fps"])


def write_video(path: Path, frames: list[np.ndarray], fps: float) -> Path:
    import imageio_ffmpeg

    h, w = frames[0].shape[:2]
    gen = imageio_ffmpeg.write_frames(
        str(path), (w, h), fps=fps, macro_block_size=1, ffmpeg_log_level="error"
    )
    gen.send(None)
    for frame in frames:
        gen.send(np.ascontiguousarray(frame))
    gen.close()
    return path


def count_frames(path: Path) -> int:
    import imageio_ffmpeg

    return imageio_ffmpeg.count_frames_and_secs(str(path))[0]


def has_audio(path: Path) -> bool:
    import imageio_ffmpeg

    proc = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)],
        capture_output=True,
        text=True,
    )
    return "Audio:" in proc.stderr


FPS = 30.0
CLIP_SIZE = (640, 360)


def _letterbox(rgb: np.ndarray, size: tuple[int, int] = CLIP_SIZE) -> np.ndarray:
    """Fit a frame into ``size`` (keeping its shape) on a black canvas."""
    import cv2

    w, h = size
    scale = min(w / rgb.shape[1], h / rgb.shape[0])
    small = cv2.resize(rgb, (round(rgb.shape[1] * scale), round(rgb.shape[0] * scale)))
    canvas = np.zeros((h, w, 3), np.uint8)
    y, x = (h - small.shape[0]) // 2, (w - small.shape[1]) // 2
    canvas[y : y + small.shape[0], x : x + small.shape[1]] = small
    return canvas


def two_faces(shared_data: Path) -> np.ndarray:
    """Two different people side by side in one frame."""
    import cv2

    faces = []
    for name in ("lfw_meryl_streep/01.jpg", "lfw_robert_duvall/01.jpg"):
        gray = cv2.imread(str(shared_data / "faces" / "identity" / name), cv2.IMREAD_GRAYSCALE)
        half = np.full((360, 320, 3), 90, np.uint8)  # room around each face for the detector
        half[70:290, 50:270] = cv2.resize(cv2.cvtColor(gray, cv2.COLOR_GRAY2RGB), (220, 220))
        faces.append(half)
    return np.concatenate(faces, axis=1)


@pytest.fixture(scope="session")
def fail_closed_clip(shared_data: Path, tmp_path_factory) -> tuple[Path, list[np.ndarray], dict]:
    """6 s at 30 fps: face, gone (black), face again, two faces, face.

    Built from a shared-data talking-head clip and two shared-data photos;
    returns the clip, its frames, and the frame ranges of each part.
    """
    frames, _ = read_video(shared_data / "video" / "liveportrait_d18.mp4")
    face = [_letterbox(f) for f in frames[:150]]
    black = np.zeros((CLIP_SIZE[1], CLIP_SIZE[0], 3), np.uint8)
    parts = {
        "face": (0, 45),
        "gone": (45, 90),
        "back": (90, 120),
        "two": (120, 150),
        "again": (150, 180),
    }
    clip = face[:45] + [black] * 45 + face[45:75] + [two_faces(shared_data)] * 30 + face[75:105]
    path = tmp_path_factory.mktemp("clips") / "fail_closed.mp4"
    write_video(path, clip, FPS)
    decoded, _ = read_video(path)
    return path, decoded, parts


def window_geometry(display: str, title: str = "avatarlink") -> tuple[int, int, int, int]:
    """(x, y, width, height) of the window with this title."""
    info = subprocess.run(
        ["xwininfo", "-display", display, "-name", title],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    keys = ("Absolute upper-left X", "Absolute upper-left Y", "Width", "Height")
    x, y, w, h = (int(re.search(rf"{k}:\s+(-?\d+)", info).group(1)) for k in keys)
    return x, y, w, h


def screenshot(display: str) -> np.ndarray:
    from PIL import ImageGrab

    return np.asarray(ImageGrab.grab(xdisplay=display).convert("RGB"))
