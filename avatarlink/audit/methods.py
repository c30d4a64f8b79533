"""The anonymisers the audit compares, each turning a camera picture into what others see.

* ``original``  the picture itself: the control that shows the attackers work.
* ``blur``      a Gaussian blur over the face box (sigma = 6% of the face width).
* ``pixelate``  a mosaic over the face box, 12 blocks across the face.
* ``dots``      AnonEmoFace: the 468 face-mesh points as dots on a blank canvas.
* ``character`` avatarlink: our tracker's FaceFrame drives the rendered character.

Blur and pixelation follow common practice (a face box from a detector, an
obfuscation sized to the face); a stronger setting hides more and keeps less
expression. All of them fail closed: when no face is found the blur and the
mosaic cover the whole picture, the dots canvas stays blank and the character
idles.

Every method sees the same landmarks (one detector pass per picture) and is
``reset()`` between subjects, so that video filters do not carry over.
"""

from __future__ import annotations

from typing import Protocol

import cv2
import numpy as np

BLUR_SIGMA = 0.06  # of the face width
PIXEL_BLOCKS = 12  # mosaic blocks across the face
BOX_MARGIN = 0.2  # face box grown by this share of its size on each side
N_MESH_POINTS = 468  # AnonEmoFace draws the face mesh without the iris points
CANVAS = (0, 0, 0)
DOT = (255, 255, 255)


class Method(Protocol):
    """One anonymiser. ``apply`` returns an RGB picture the size of its input."""

    name: str

    def reset(self) -> None: ...

    def apply(self, rgb: np.ndarray, t: float, landmarks: np.ndarray | None) -> np.ndarray: ...

    def close(self) -> None: ...


def face_box(landmarks: np.ndarray, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """Pixel box (x0, y0, x1, y1) around normalised landmarks, grown by BOX_MARGIN."""
    h, w = shape[:2]
    xs, ys = landmarks[:, 0] * w, landmarks[:, 1] * h
    x0, x1, y0, y1 = xs.min(), xs.max(), ys.min(), ys.max()
    mx, my = (x1 - x0) * BOX_MARGIN, (y1 - y0) * BOX_MARGIN
    return (
        int(np.clip(x0 - mx, 0, w - 1)),
        int(np.clip(y0 - my, 0, h - 1)),
        int(np.clip(x1 + mx, 1, w)),
        int(np.clip(y1 + my, 1, h)),
    )


class _Stateless:
    name = ""

    def reset(self) -> None:
        """Nothing carries over between pictures."""

    def close(self) -> None:
        """Nothing to release."""


class Original(_Stateless):
    name = "original"

    def apply(self, rgb: np.ndarray, t: float, landmarks: np.ndarray | None) -> np.ndarray:
        return rgb.copy()


class _BoxFilter(_Stateless):
    def _filter(self, region: np.ndarray, face_width: int) -> np.ndarray:
        raise NotImplementedError

    def apply(self, rgb: np.ndarray, t: float, landmarks: np.ndarray | None) -> np.ndarray:
        out = rgb.copy()
        if landmarks is None:  # fail closed: no face found, cover everything
            h, w = rgb.shape[:2]
            return self._filter(out, int(0.5 * min(h, w)))
        x0, y0, x1, y1 = face_box(landmarks, rgb.shape)
        width = int((landmarks[:, 0].max() - landmarks[:, 0].min()) * rgb.shape[1])
        out[y0:y1, x0:x1] = self._filter(out[y0:y1, x0:x1], max(width, 1))
        return out


class Blur(_BoxFilter):
    name = "blur"

    def _filter(self, region: np.ndarray, face_width: int) -> np.ndarray:
        sigma = max(BLUR_SIGMA * face_width, 1.0)
        return cv2.GaussianBlur(region, (0, 0), sigmaX=sigma, borderType=cv2.BORDER_REPLICATE)


class Pixelate(_BoxFilter):
    name = "pixelate"

    def _filter(self, region: np.ndarray, face_width: int) -> np.ndarray:
        h, w = region.shape[:2]
        block = max(face_width / PIXEL_BLOCKS, 1.0)
        small = (max(1, round(w / block)), max(1, round(h / block)))
        coarse = cv2.resize(region, small, interpolation=cv2.INTER_AREA)
        return cv2.resize(coarse, (w, h), interpolation=cv2.INTER_NEAREST)


class Dots(_Stateless):
    name = "dots"

    def apply(self, rgb: np.ndarray, t: float, landmarks: np.ndarray | None) -> np.ndarray:
        h, w = rgb.shape[:2]
        canvas = np.empty_like(rgb)
        canvas[:] = CANVAS
        if landmarks is None:
            return canvas
        radius = max(1, round(min(h, w) / 300))
        points = np.round(landmarks[:N_MESH_POINTS, :2] * (w, h)).astype(np.int32)
        for x, y in points:
            cv2.circle(canvas, (int(x), int(y)), radius, DOT, thickness=-1, lineType=cv2.LINE_AA)
        return canvas


class Character:
    """Our product: camera -> FaceTracker -> FaceFrame -> rendered character.

    Only the FaceFrame reaches the renderer, exactly as in the live pipeline.
    A fresh tracker per subject (``reset``) keeps the filters from blending
    two people; the renderer is rebuilt only when the picture size changes.
    """

    name = "character"

    def __init__(self, avatar: str | None = None) -> None:
        from avatarlink.avatars import DEFAULT_AVATAR

        self._avatar = avatar or DEFAULT_AVATAR
        self._tracker = None
        self._renderer = None
        self._size: tuple[int, int] | None = None
        self.last_frame = None

    def reset(self) -> None:
        if self._tracker is not None:
            self._tracker.close()
            self._tracker = None

    def _ensure(self, size: tuple[int, int]) -> None:
        from avatarlink.render import Renderer
        from avatarlink.tracking import FaceTracker

        if self._tracker is None:
            self._tracker = FaceTracker()
        if self._size != size:
            if self._renderer is not None:
                self._renderer.close()
            self._renderer = Renderer(self._avatar, size=size)
            self._size = size

    def apply(self, rgb: np.ndarray, t: float, landmarks: np.ndarray | None) -> np.ndarray:
        h, w = rgb.shape[:2]
        self._ensure((w, h))
        self.last_frame = self._tracker.process(rgb, t)
        return np.asarray(self._renderer.render(self.last_frame))[..., :3]

    def close(self) -> None:
        self.reset()
        if self._renderer is not None:
            self._renderer.close()
            self._renderer = None
            self._size = None


METHOD_NAMES: tuple[str, ...] = ("original", "character", "blur", "pixelate", "dots")
_CLASSES = {"original": Original, "blur": Blur, "pixelate": Pixelate, "dots": Dots}


def make_methods(names: tuple[str, ...] = METHOD_NAMES, avatar: str | None = None) -> list[Method]:
    """The named methods, in the order given."""
    return [Character(avatar) if n == "character" else _CLASSES[n]() for n in names]
