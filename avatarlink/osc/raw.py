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
from avatarlink.osc.encode import BundleTemplate, clip_shapes, float_head, osc_string
from avatarlink.osc.sender import Sender
from avatarlink.osc.spec import SenderSpec


class RawSender(Sender):
    kind = "raw"

    def __init__(self, spec: SenderSpec, rate: float | None = None) -> None:
        super().__init__(spec, rate)
        self._templates = [BundleTemplate(), BundleTemplate()]
        for tracked, template in enumerate(self._templates):
            tags = osc_string(",dT" if tracked else ",dF")
            self._time_at = template.add(osc_string("/avatarlink/frame") + tags, n_raw=8)
            template.add(float_head("/avatarlink/arkit", N_SHAPES), N_SHAPES)
            template.add(float_head("/avatarlink/head", 7), 7)
            template.add(float_head("/avatarlink/gaze", 4), 4)
        self._floats = np.zeros(self._templates[0].n_floats, dtype=np.float32)

    def frame_bundle(self, frame: FaceFrame) -> bytes:
        template = self._templates[bool(frame.tracked)]
        template.set_raw(self._time_at, struct.pack(">d", frame.time))
        floats = self._floats
        clip_shapes(frame.blendshapes, floats[:N_SHAPES])
        pose = (frame.head_rotation, frame.head_translation, frame.gaze_left, frame.gaze_right)
        np.concatenate(pose, out=floats[N_SHAPES:])
        return template.render(floats)

    def encode_and_send(self, frame: FaceFrame) -> None:
        self.target.send(self.frame_bundle(frame))
