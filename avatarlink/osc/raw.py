"""Our own plain OSC stream for custom receivers, in avatarlink's own conventions.

One bundle per frame:

* ``/avatarlink/frame`` (d)time in seconds (T|F)tracked
* ``/avatarlink/arkit`` 52 floats in canonical ARKit order (avatarlink.frame.ARKIT_NAMES)
* ``/avatarlink/head`` (f)qx qy qz qw tx ty tz: rotation quaternion and
  translation in metres, OpenGL camera space (see avatarlink.frame)
* ``/avatarlink/gaze`` (f)left_yaw left_pitch right_yaw right_pitch in degrees
"""

from __future__ import annotations

import struct

import numpy as np

from avatarlink.frame import N_SHAPES, FaceFrame
from avatarlink.osc.encode import FloatMessage, bundle, osc_string
from avatarlink.osc.sender import Sender
from avatarlink.osc.spec import SenderSpec

_FRAME_PREFIX = osc_string("/avatarlink/frame")
_TRACKED, _UNTRACKED = osc_string(",dT"), osc_string(",dF")


class RawSender(Sender):
    kind = "raw"

    def __init__(self, spec: SenderSpec, rate: float | None = None) -> None:
        super().__init__(spec, rate)
        self._arkit = FloatMessage("/avatarlink/arkit", N_SHAPES)
        self._head = FloatMessage("/avatarlink/head", 7)
        self._gaze = FloatMessage("/avatarlink/gaze", 4)

    def frame_bundle(self, frame: FaceFrame) -> bytes:
        tags = _TRACKED if frame.tracked else _UNTRACKED
        header = _FRAME_PREFIX + tags + struct.pack(">d", frame.time)
        pose = np.concatenate([frame.head_rotation, frame.head_translation]).tolist()
        gaze = np.concatenate([frame.gaze_left, frame.gaze_right]).tolist()
        return bundle(
            [
                header,
                self._arkit.encode(*np.clip(frame.blendshapes, 0.0, 1.0).tolist()),
                self._head.encode(*pose),
                self._gaze.encode(*gaze),
            ]
        )

    def encode_and_send(self, frame: FaceFrame) -> None:
        self.target.send(self.frame_bundle(frame))
