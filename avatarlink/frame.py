"""`FaceFrame`: the only thing that flows from the tracker to the outputs.

It holds expression numbers and pose, never pixels or landmarks, so that a
renderer, an OSC sender or a file writer cannot leak what identifies a person.

Conventions (shared by every stage, stated once here):

* Camera space is OpenGL's: +x to the image's right, +y up, +z out of the
  screen towards the camera. A person facing the camera looks along +z.
* "Left" always means the subject's own left (ARKit's convention). In an
  unmirrored camera image the subject's left is on the image's right.
* Head angles in degrees, all "towards the subject's left / up" positive:
  yaw > 0 turns the face to the subject's left, pitch > 0 lifts the chin,
  roll > 0 tilts the head towards the subject's left shoulder.
  The quaternion is ``R = Ry(yaw) @ Rx(-pitch) @ Rz(-roll)`` in (x, y, z, w).
* Gaze per eye as (yaw, pitch) in degrees with the same signs, relative to the
  head: yaw > 0 looks to the subject's left, pitch > 0 looks up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.spatial.transform import Rotation

ARKIT_NAMES: tuple[str, ...] = (
    "eyeBlinkLeft", "eyeLookDownLeft", "eyeLookInLeft", "eyeLookOutLeft",
    "eyeLookUpLeft", "eyeSquintLeft", "eyeWideLeft", "eyeBlinkRight",
    "eyeLookDownRight", "eyeLookInRight", "eyeLookOutRight", "eyeLookUpRight",
    "eyeSquintRight", "eyeWideRight", "jawForward", "jawLeft", "jawRight",
    "jawOpen", "mouthClose", "mouthFunnel", "mouthPucker", "mouthLeft",
    "mouthRight", "mouthSmileLeft", "mouthSmileRight", "mouthFrownLeft",
    "mouthFrownRight", "mouthDimpleLeft", "mouthDimpleRight",
    "mouthStretchLeft", "mouthStretchRight", "mouthRollLower",
    "mouthRollUpper", "mouthShrugLower", "mouthShrugUpper", "mouthPressLeft",
    "mouthPressRight", "mouthLowerDownLeft", "mouthLowerDownRight",
    "mouthUpperUpLeft", "mouthUpperUpRight", "browDownLeft", "browDownRight",
    "browInnerUp", "browOuterUpLeft", "browOuterUpRight", "cheekPuff",
    "cheekSquintLeft", "cheekSquintRight", "noseSneerLeft", "noseSneerRight",
    "tongueOut",
)  # fmt: skip
"""The 52 ARKit blendshapes in canonical (ARKit / Live Link wire) order."""

ARKIT_INDEX: dict[str, int] = {name: i for i, name in enumerate(ARKIT_NAMES)}
N_SHAPES = len(ARKIT_NAMES)

_IDENTITY_QUAT = np.array([0.0, 0.0, 0.0, 1.0], dtype=np.float32)


def quat_from_euler(yaw: float, pitch: float, roll: float) -> np.ndarray:
    """Head angles in degrees (module conventions) to an (x, y, z, w) quaternion."""
    rot = Rotation.from_euler("YXZ", [yaw, -pitch, -roll], degrees=True)
    return rot.as_quat().astype(np.float32)


def euler_from_quat(quat: np.ndarray) -> tuple[float, float, float]:
    """Inverse of :func:`quat_from_euler`: (yaw, pitch, roll) in degrees."""
    yaw, neg_pitch, neg_roll = Rotation.from_quat(quat).as_euler("YXZ", degrees=True)
    return float(yaw), float(-neg_pitch), float(-neg_roll)


def _zeros(n: int) -> np.ndarray:
    return np.zeros(n, dtype=np.float32)


@dataclass(slots=True)
class FaceFrame:
    """One instant of a face, as expression numbers only.

    ``blendshapes`` is a float32 vector of the 52 ARKit coefficients in
    :data:`ARKIT_NAMES` order, each in [0, 1]. ``tracked`` is False when no
    face was found; consumers then show or send a calm idle, never stale
    or camera-derived data.
    """

    time: float
    tracked: bool = False
    blendshapes: np.ndarray = field(default_factory=lambda: _zeros(N_SHAPES))
    head_rotation: np.ndarray = field(default_factory=_IDENTITY_QUAT.copy)
    head_translation: np.ndarray = field(default_factory=lambda: _zeros(3))
    gaze_left: np.ndarray = field(default_factory=lambda: _zeros(2))
    gaze_right: np.ndarray = field(default_factory=lambda: _zeros(2))

    def __post_init__(self) -> None:
        self.blendshapes = np.asarray(self.blendshapes, dtype=np.float32).reshape(N_SHAPES)
        self.head_rotation = np.asarray(self.head_rotation, dtype=np.float32).reshape(4)
        self.head_translation = np.asarray(self.head_translation, dtype=np.float32).reshape(3)
        self.gaze_left = np.asarray(self.gaze_left, dtype=np.float32).reshape(2)
        self.gaze_right = np.asarray(self.gaze_right, dtype=np.float32).reshape(2)

    @classmethod
    def untracked(cls, time: float) -> FaceFrame:
        """A frame that says "no face": neutral expression, facing forward."""
        return cls(time=time, tracked=False)

    def weight(self, name: str) -> float:
        """One coefficient by its ARKit name."""
        return float(self.blendshapes[ARKIT_INDEX[name]])

    def with_weights(self, **weights: float) -> FaceFrame:
        """A copy with some coefficients replaced by name (handy for tests and demos)."""
        shapes = self.blendshapes.copy()
        for name, value in weights.items():
            shapes[ARKIT_INDEX[name]] = value
        return FaceFrame(
            self.time, self.tracked, shapes, self.head_rotation.copy(),
            self.head_translation.copy(), self.gaze_left.copy(), self.gaze_right.copy(),
        )  # fmt: skip

    def head_euler(self) -> tuple[float, float, float]:
        """(yaw, pitch, roll) in degrees, see the module conventions."""
        return euler_from_quat(self.head_rotation)
