"""VMC protocol: perfect-sync blendshapes and head / eye bones, one bundle per frame.

Axes. Our camera space (avatarlink.frame) is OpenGL's, right-handed, and a
subject facing the camera looks along +z with their own left at +x. A Unity
humanoid faces +z in Unity's left-handed space, with its own left at -x.
Mapping the subject's body axes onto the avatar's is therefore the reflection
``(x, y, z) -> (-x, y, z)``. A rotation matrix ``R`` becomes ``M R M`` with
``M = diag(-1, 1, 1)``; for a quaternion that is

    (qx, qy, qz, qw) -> (qx, -qy, -qz, qw)

(a reflection keeps the rotation component along the mirror's normal and
flips the two in its plane). So a turn to the subject's left (our yaw > 0)
turns the avatar to *its* left, a lifted chin lifts the avatar's chin, and a
tilt to the left shoulder tilts to the avatar's left shoulder: the avatar
moves like the person, not like a mirror image. Eye bones use the same map on
the per-eye gaze, relative to the head.

Bone positions in VMC are local offsets in the receiver's own skeleton, which
a face-only sender cannot know, so ``Head``, ``LeftEye`` and ``RightEye`` go
with a zero position and ``root`` stays at the origin: use a receiver setting
that applies rotations only (e.g. EVMC4U's BonePositionSynchronize off).
"""

from __future__ import annotations

import math

import numpy as np

from avatarlink.frame import ARKIT_NAMES, FaceFrame
from avatarlink.osc.encode import BundleTemplate, clip_shapes, float_head, message
from avatarlink.osc.sender import Sender
from avatarlink.osc.spec import SenderSpec

PERFECT_SYNC_NAMES: tuple[str, ...] = tuple(n[0].upper() + n[1:] for n in ARKIT_NAMES)
"""ARKit names in PascalCase, as perfect-sync avatars name their clips."""

BONES = ("Head", "LeftEye", "RightEye")  # Unity HumanBodyBones names
CALIBRATED = 3  # VMC calibration state "calibrated"
NORMAL_MODE = 0  # VMC calibration mode "normal"


def unity_quaternion(x: float, y: float, z: float, w: float) -> tuple[float, float, float, float]:
    """Our camera-space quaternion as the same motion in a Unity avatar's axes.

    Plain floats: a frame needs three of these, and NumPy's per-call overhead
    would cost more than the arithmetic (``0.0 - 0.0`` is +0.0, so no -0.0 goes out).
    """
    return x, 0.0 - y, 0.0 - z, w


def eye_quaternion(yaw: float, pitch: float) -> tuple[float, float, float, float]:
    """Gaze (yaw, pitch) in degrees to an eye-bone quaternion (x, y, z, w) in Unity axes.

    The rotation of ``quat_from_euler(yaw, pitch, 0)``, Ry(yaw) Rx(-pitch),
    written out in plain floats (a SciPy call per eye per frame would cost more
    than the rest of the frame), then mapped with the reflection above.
    """
    a, b = math.cos(math.radians(yaw) / 2), math.sin(math.radians(yaw) / 2)
    d, c = math.cos(math.radians(pitch) / 2), -math.sin(math.radians(pitch) / 2)
    return unity_quaternion(a * c + 0.0, b * d, -b * c, a * d)


def _bone_head(bone: str) -> bytes:
    """A Bone/Pos message up to its rotation: the name and a zero position."""
    return float_head("/VMC/Ext/Bone/Pos", 7, bone) + bytes(12)


class VMCSender(Sender):
    kind = "vmc"

    def __init__(self, spec: SenderSpec, rate: float | None = None) -> None:
        super().__init__(spec, rate)
        self._templates = [self._template(status) for status in (0, 1)]
        self._floats = np.zeros(self._templates[0].n_floats, dtype=np.float32)

    @staticmethod
    def _template(tracking_status: int) -> BundleTemplate:
        template = BundleTemplate()
        template.add(message("/VMC/Ext/OK", 1, CALIBRATED, NORMAL_MODE, tracking_status))
        template.add(float_head("/VMC/Ext/T", 1), 1)
        template.add(message("/VMC/Ext/Root/Pos", "root", 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0))
        for bone in BONES:
            template.add(_bone_head(bone), 4)
        for name in PERFECT_SYNC_NAMES:
            template.add(float_head("/VMC/Ext/Blend/Val", 1, name), 1)
        template.add(message("/VMC/Ext/Blend/Apply"))
        return template

    def frame_bundle(self, frame: FaceFrame) -> bytes:
        floats = self._floats
        floats[:13] = (
            frame.time,
            *unity_quaternion(*frame.head_rotation.tolist()),
            *eye_quaternion(*frame.gaze_left.tolist()),
            *eye_quaternion(*frame.gaze_right.tolist()),
        )
        clip_shapes(frame.blendshapes, floats[13:])
        return self._templates[bool(frame.tracked)].render(floats)

    def encode_and_send(self, frame: FaceFrame) -> None:
        self.target.send(self.frame_bundle(frame))
