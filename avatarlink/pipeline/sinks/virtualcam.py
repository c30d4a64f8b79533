"""A virtual webcam (pyvirtualcam) so video-call apps can pick the character.

pyvirtualcam is an optional extra and needs a system backend: v4l2loopback
on Linux, OBS Studio's Virtual Camera on Windows and macOS.
"""

from __future__ import annotations

import sys

import numpy as np

from avatarlink.errors import UserError

if sys.platform.startswith("linux"):
    NO_BACKEND = (
        "no virtual camera device: install v4l2loopback "
        "(sudo apt install v4l2loopback-dkms && sudo modprobe v4l2loopback exclusive_caps=1)"
    )
else:
    NO_BACKEND = "no virtual camera backend: install OBS Studio and start its Virtual Camera once"


class VirtualCameraSink:
    """Sends each image to the virtual camera; apps see it as a webcam."""

    def __init__(self, size: tuple[int, int], fps: float, device: str | None = None) -> None:
        try:
            import pyvirtualcam
        except ImportError as exc:
            raise UserError(
                "--virtual-camera needs the virtualcam extra: "
                ".venv/bin/pip install -e '.[virtualcam]'"
            ) from exc
        try:
            self._cam = pyvirtualcam.Camera(
                size[0], size[1], fps, fmt=pyvirtualcam.PixelFormat.RGB, device=device
            )
        except RuntimeError as exc:
            raise UserError(NO_BACKEND) from exc
        self.device: str = self._cam.device

    def write(self, image: np.ndarray) -> None:
        self._cam.send(np.ascontiguousarray(image[..., :3]))

    def poll(self) -> None:
        return None

    def close(self) -> None:
        self._cam.close()
