"""What `run`, `render`, `demo` and tools/bench.py share: flags and the stage factories.

The tracker, the characters and the renderer belong to other modules that
are imported only when needed, so a missing one is a clear line, not an
ImportError, and `avatarlink --help` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from types import ModuleType
from typing import Any

from avatarlink.errors import UserError
from avatarlink.pipeline.upscale import ScaledRenderer

DEFAULT_SIZE = (640, 480)
_SIZE = re.compile(r"^\s*(\d+)\s*[xX×]\s*(\d+)\s*$")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def require(module: str, feature: str) -> ModuleType:
    """Import ``module`` or say in one line which part of avatarlink is missing."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and (module == exc.name or module.startswith(exc.name + ".")):
            raise UserError(f"this install lacks {feature} ({module})") from exc
        raise


def parse_size(text: str) -> tuple[int, int]:
    """``WxH`` with even sides from 16 to 4096 (H.264 needs even sizes)."""
    match = _SIZE.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"size must look like 640x480, not {text!r}")
    w, h = int(match.group(1)), int(match.group(2))
    if not (16 <= w <= 4096 and 16 <= h <= 4096) or w % 2 or h % 2:
        raise argparse.ArgumentTypeError(f"size {w}x{h}: both sides must be even, 16 to 4096")
    return w, h


def parse_background(text: str) -> str:
    """``#RRGGBB`` or ``green`` (chroma key); video and windows have no transparency."""
    if text.lower() == "green" or _HEX.match(text):
        return text.lower()
    raise argparse.ArgumentTypeError(f"background must be #RRGGBB or green, not {text!r}")


def add_character_args(parser: argparse.ArgumentParser, size_default: str | None) -> None:
    """--avatar, --size, --background: the look of the output.

    ``size_default`` is what the help says happens without --size.
    """
    parser.add_argument(
        "--avatar",
        metavar="NAME",
        help="the character to show (default: the default character; a wrong name lists them)",
    )
    parser.add_argument(
        "--size",
        type=parse_size,
        metavar="WxH",
        help=f"output size in pixels, even numbers (default: {size_default})",
    )
    parser.add_argument(
        "--background",
        type=parse_background,
        metavar="COLOUR",
        help="#RRGGBB, or green for chroma keying (default: the renderer's soft backdrop)",
    )


def add_tracker_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--profile",
        metavar="NAME",
        help="calibration profile (your neutral face and range) made with `avatarlink calibrate`",
    )
    parser.add_argument(
        "--tracker-model",
        metavar="FILE",
        help="optional MediaPipe face_landmarker.task to use instead of the bundled face mesh",
    )


def load_character(name: str | None) -> Any:
    """The Avatar for ``name`` (the default when None); unknown names are a UserError."""
    avatars = require("avatarlink.avatars", "the characters")
    return avatars.load_avatar(name or avatars.DEFAULT_AVATAR)


def open_source(spec: str | int) -> Any:
    """Opens the camera or file (a context manager); bad input is a UserError.

    OpenCV's and FFmpeg's own logging is kept off the terminal (set before the
    first capture opens), so that a bad file or camera is one line.
    """
    os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")  # AV_LOG_QUIET
    import cv2

    cv2.setLogLevel(0)  # LOG_LEVEL_SILENT: failures come back as UserErrors instead
    tracking = require("avatarlink.tracking", "face tracking")
    return tracking.open_source(spec)


def tracker_factory(
    profile: str | None = None, model: str | None = None
) -> Callable[[], AbstractContextManager[Any]]:
    tracking = require("avatarlink.tracking", "face tracking")
    return lambda: tracking.FaceTracker(profile=profile, model=model)


def renderer_factory(
    avatar: Any,
    background: str | None = None,
    antialias: int | None = None,
    scale: float = 1.0,
) -> Callable[[tuple[int, int]], AbstractContextManager[Any]]:
    """Makes a Renderer of a given output size; call it in the thread that will render.

    ``antialias`` (MSAA samples; None: the renderer's default) and ``scale``
    (render at this fraction of the size, then upsample) trade looks for speed.
    """
    render = require("avatarlink.render", "the renderer")
    extra: dict[str, Any] = {}
    if background is not None:
        extra["background"] = background
    if antialias is not None:
        extra["antialias"] = antialias

    def make(size: tuple[int, int]) -> AbstractContextManager[Any]:
        return render.Renderer(avatar, size=size, **extra)

    if scale == 1.0:
        return make
    return lambda size: ScaledRenderer(make, size, scale)
