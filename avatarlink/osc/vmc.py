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

import numpy as np

from avatarlink.frame import ARKIT_NAMES, FaceFrame, quat_from_euler
from avatarlink.osc.encode import FloatMessage, FloatTable, bundle, message
from avatarlink.osc.sender import Sender
from avatarlink.osc.spec import SenderSpec

PERFECT_SYNC_NAMES: tuple[str, ...] = tuple(n[0].upper() + n[1:] for n in ARKIT_NAMES)
"""ARKit names in PascalCase, as perfect-sync avatars name their clips."""

_UNITY_FLIP = np.array([1.0, -1.0, -1.0, 1.0], dtype=np.float32)
_ZERO_POS = (0.0, 0.0, 0.0)
BONES = ("Head", "LeftEye", "RightEye")  # Unity HumanBodyBones names
CALIBRATED = 3  # VMC calibration state "calibrated"
NORMAL_MODE = 0  # VMC calibration mode "normal"


def unity_quaternion(quat_xyzw: np.ndarray) -> np.ndarray:
    """Our camera-space quaternion as the same motion in a Unity avatar's axes."""
    return (np.asarray(quat_xyzw, dtype=np.float32) * _UNITY_FLIP) + np.float32(0.0)


def unity_position(position: np.ndarray) -> np.ndarray:
    """Camera-space point in the avatar's Unity axes: x flips, y and z stay."""
    return np.asarray(position, dtype=np.float32) * np.array([-1.0, 1.0, 1.0], dtype=np.float32)


def eye_quaternion(gaze_yaw_pitch: np.ndarray) -> np.ndarray:
    """Gaze (yaw, pitch) in degrees to an eye-bone rotation in Unity axes."""
    return unity_quaternion(quat_from_euler(float(gaze_yaw_pitch[0]), float(gaze_yaw_pitch[1]), 0))


class VMCSender(Sender):
    kind = "vmc"

    def __init__(self, spec: SenderSpec, rate: float | None = None) -> None:
        super().__init__(spec, rate)
        self._ok = [message("/VMC/Ext/OK", 1, CALIBRATED, NORMAL_MODE, s) for s in (0, 1)]
        self._time = FloatMessage("/VMC/Ext/T", 1)
        self._root = FloatMessage("/VMC/Ext/Root/Pos", 7, "root").encode(
            *_ZERO_POS, 0.0, 0.0, 0.0, 1.0
        )
        self._bones = [FloatMessage("/VMC/Ext/Bone/Pos", 7, bone) for bone in BONES]
        self._blends = FloatTable.by_label("/VMC/Ext/Blend/Val", PERFECT_SYNC_NAMES)
        self._apply = message("/VMC/Ext/Blend/Apply")

    def frame_bundle(self, frame: FaceFrame) -> bytes:
        head = unity_quaternion(frame.head_rotation)
        left = eye_quaternion(frame.gaze_left)
        right = eye_quaternion(frame.gaze_right)
        shapes = np.clip(frame.blendshapes, 0.0, 1.0)
        return bundle(
            [
                self._ok[bool(frame.tracked)],
                self._time.encode(frame.time),
                self._root,
                *(
                    bone.encode(*_ZERO_POS, *q.tolist())
                    for bone, q in zip(self._bones, (head, left, right), strict=True)
                ),
                *self._blends.encode(shapes),
                self._apply,
            ]
        )

    def encode_and_send(self, frame: FaceFrame) -> None:
        self.target.send(self.frame_bundle(frame))
