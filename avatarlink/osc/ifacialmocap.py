"""iFacialMocap's UDP text format, which VSeeFace, Warudo and VNyan take as a face source.

One datagram per frame::

    eyeBlink_L-12|...|jawOpen-40|=head#pitch,yaw,roll,x,y,z|rightEye#p,y,r|leftEye#p,y,r|

Shapes are ARKit names with ``Left``/``Right`` shortened to ``_L``/``_R``
(except the directions ``jawLeft``, ``mouthLeft`` ...), as whole percent.
Angles are degrees, written as Euler angles in ARKit's right-handed face frame,
which coincides with our camera frame (+x the subject's left, +y up, +z
towards the camera): pitch about +x (positive tilts the face down), yaw about
+y (positive turns it to the subject's left), roll about +z. The position is
the head translation in metres, camera space.
"""

from __future__ import annotations

import math

import numpy as np

from avatarlink.frame import ARKIT_NAMES, N_SHAPES, FaceFrame
from avatarlink.osc.encode import clip_shapes
from avatarlink.osc.sender import Sender

_DIRECTIONS = ("jawLeft", "jawRight", "mouthLeft", "mouthRight")
_HUNDRED = np.full(N_SHAPES, 100.0, dtype=np.float32)


def ifm_name(arkit: str) -> str:
    if arkit in _DIRECTIONS:
        return arkit
    for side, short in (("Left", "_L"), ("Right", "_R")):
        if arkit.endswith(side):
            return arkit[: -len(side)] + short
    return arkit


IFM_NAMES: tuple[str, ...] = tuple(ifm_name(n) for n in ARKIT_NAMES)
_TEMPLATE = "".join(f"{n}-{{}}|" for n in IFM_NAMES)


def head_angles(quat_xyzw: np.ndarray) -> tuple[float, float, float]:
    """(yaw, pitch, roll) of our head quaternion, as FaceFrame.head_euler but without SciPy.

    The head is R = Ry(yaw) Rx(-pitch) Rz(-roll); its middle row is
    (cos p' sin r', cos p' cos r', -sin p') with p' = -pitch, r' = -roll, and
    its third column's x and z give the yaw.
    """
    x, y, z, w = (float(v) for v in quat_xyzw)
    r12 = 2 * (y * z - w * x)
    r02, r22 = 2 * (x * z + w * y), 1 - 2 * (x * x + y * y)
    r10, r11 = 2 * (x * y + w * z), 1 - 2 * (x * x + z * z)
    yaw = math.degrees(math.atan2(r02, r22))
    pitch = math.degrees(math.asin(min(max(r12, -1.0), 1.0)))
    roll = -math.degrees(math.atan2(r10, r11))
    return yaw, pitch, roll


def _angles(yaw: float, pitch: float, roll: float) -> str:
    # our pitch lifts the chin and our roll tilts to the left shoulder, i.e. the
    # negatives of right-handed rotations about +x and +z
    return f"{-pitch + 0.0:.3f},{yaw + 0.0:.3f},{-roll + 0.0:.3f}"


def encode_frame(frame: FaceFrame) -> bytes:
    scaled = clip_shapes(frame.blendshapes, np.empty(N_SHAPES, dtype=np.float32))
    percent = np.rint(np.multiply(scaled, _HUNDRED, out=scaled), out=scaled)
    percent = percent.astype(np.int32).tolist()
    x, y, z = (float(v) + 0.0 for v in frame.head_translation)
    head = _angles(*head_angles(frame.head_rotation))
    right = _angles(float(frame.gaze_right[0]), float(frame.gaze_right[1]), 0.0)
    left = _angles(float(frame.gaze_left[0]), float(frame.gaze_left[1]), 0.0)
    text = _TEMPLATE.format(*percent) + f"=head#{head},{x:.4f},{y:.4f},{z:.4f}|"
    return (text + f"rightEye#{right}|leftEye#{left}|").encode("ascii")


class IFacialMocapSender(Sender):
    kind = "ifacialmocap"

    def encode_and_send(self, frame: FaceFrame) -> None:
        self.target.send(encode_frame(frame))
