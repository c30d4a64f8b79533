"""ARKit 52 -> VRCFaceTracking Unified Expressions v2 parameters, plus eye lids and look.

Pure functions of a FaceFrame, vectorised: :func:`unified_values` returns one
float per name in :data:`UNIFIED_NAMES`.

* 1:1 shapes keep the ARKit name with a capital first letter; the renamed ones
  follow VRCFT (eyeBlink -> EyeClosed, mouthRoll -> LipSuck, ...). VRCFT's
  combined parameters that ARKit covers directly are sent too (MouthSmile,
  BrowDown, BrowInnerUp, CheekPuff, and the signed MouthX / JawX).
* ``EyeLid``: 0..0.75 is how open the lid is, 0.75..1 is widening, so a calm
  open eye is 0.75.
* Eye look: VRCFT normalises 45 degrees to 1, with +X = looking to the user's
  right and +Y = up. Our gaze yaw is positive to the subject's *left*, hence
  X = -yaw / 45. Clipped to -1..1, VRChat's float range.
* VRChat's native eye tracking wants pitch positive *down* and yaw positive to
  the user's right (degrees), for one "center" eye: see :func:`native_eye`.
"""

from __future__ import annotations

import numpy as np

from avatarlink.frame import ARKIT_INDEX, FaceFrame

GAZE_FULL_SCALE_DEG = 45.0
"""VRCFT maps 0..45 degrees of eye rotation to 0..1."""
LID_OPEN = 0.75
"""EyeLid value of a relaxed, fully open eye."""

_RENAMED = {
    "eyeBlinkLeft": "EyeClosedLeft",
    "eyeBlinkRight": "EyeClosedRight",
    "mouthClose": "MouthClosed",
    "mouthRollUpper": "LipSuckUpper",
    "mouthRollLower": "LipSuckLower",
    "mouthFunnel": "LipFunnel",
    "mouthPucker": "LipPucker",
    "mouthShrugUpper": "MouthRaiserUpper",
    "mouthShrugLower": "MouthRaiserLower",
}
_ONE_TO_ONE = (
    *(
    f"{stem}{side}"
    for stem in (
        "eyeLookUp", "eyeLookDown", "eyeLookIn", "eyeLookOut", "eyeSquint", "eyeWide",
        "browOuterUp", "noseSneer", "cheekSquint", "mouthUpperUp", "mouthLowerDown",
        "mouthFrown", "mouthStretch", "mouthDimple", "mouthPress",
        # VRCFT's combined parameters with a direct ARKit counterpart
        "mouthSmile", "browDown",
    )
    for side in ("Left", "Right")
    ),
    "jawOpen", "jawLeft", "jawRight", "jawForward", "tongueOut", "browInnerUp",
)  # fmt: skip

_DIRECT_SOURCES: tuple[str, ...] = (*_ONE_TO_ONE, *_RENAMED)
_DIRECT_NAMES: tuple[str, ...] = (
    *(n[0].upper() + n[1:] for n in _ONE_TO_ONE),
    *_RENAMED.values(),
)
_DIRECT_INDEX = np.array([ARKIT_INDEX[n] for n in _DIRECT_SOURCES])
_CHEEK_PUFF = ARKIT_INDEX["cheekPuff"]

_COMPUTED_NAMES = (
    "CheekPuffLeft", "CheekPuffRight", "MouthX", "JawX",
    "EyeLidLeft", "EyeLidRight",
    "EyeLeftX", "EyeLeftY", "EyeRightX", "EyeRightY", "EyeX", "EyeY",
)  # fmt: skip
UNIFIED_NAMES: tuple[str, ...] = (*_DIRECT_NAMES, *_COMPUTED_NAMES)
"""Parameter names (without prefix), in the order :func:`unified_values` returns."""
SIGNED: np.ndarray = np.array(
    [n in ("MouthX", "JawX") or (n.startswith("Eye") and n[-1] in "XY") for n in UNIFIED_NAMES]
)
"""Which parameters range over -1..1 (the others over 0..1)."""

_B = ARKIT_INDEX
_MOUTH_L, _MOUTH_R, _JAW_L, _JAW_R = (
    _B[n] for n in ("mouthLeft", "mouthRight", "jawLeft", "jawRight")
)


def eye_lids(shapes: np.ndarray) -> np.ndarray:
    """(left, right) EyeLid: openness scaled to 0..0.75, widening on top up to 1."""
    blink = shapes[[_B["eyeBlinkLeft"], _B["eyeBlinkRight"]]]
    wide = shapes[[_B["eyeWideLeft"], _B["eyeWideRight"]]]
    return np.clip(LID_OPEN * (1.0 - blink) + (1.0 - LID_OPEN) * wide, 0.0, 1.0)


def eye_look(frame: FaceFrame) -> np.ndarray:
    """EyeLeftX, EyeLeftY, EyeRightX, EyeRightY, EyeX, EyeY in -1..1."""
    left = np.array([-frame.gaze_left[0], frame.gaze_left[1]], dtype=np.float32)
    right = np.array([-frame.gaze_right[0], frame.gaze_right[1]], dtype=np.float32)
    look = np.concatenate([left, right, (left + right) / 2]) / GAZE_FULL_SCALE_DEG
    return np.clip(look, -1.0, 1.0)


def unified_values(frame: FaceFrame) -> np.ndarray:
    """One float per name in :data:`UNIFIED_NAMES` (float32)."""
    s = np.clip(frame.blendshapes, 0.0, 1.0)
    puff = s[_CHEEK_PUFF]
    computed = np.concatenate(
        [
            [puff, puff, s[_MOUTH_R] - s[_MOUTH_L], s[_JAW_R] - s[_JAW_L]],
            eye_lids(s),
            eye_look(frame),
        ]
    )
    # + 0.0 turns -0.0 into 0.0, so a neutral face sends plain zeros
    return np.concatenate([s[_DIRECT_INDEX], computed]).astype(np.float32) + np.float32(0.0)


def native_eye(frame: FaceFrame) -> tuple[float, float, float]:
    """VRChat native eye tracking: (EyesClosedAmount, pitch, yaw) of the center eye.

    Pitch positive looks down and yaw positive looks to the user's right, so both
    flip sign from our gaze convention.
    """
    closed = (frame.weight("eyeBlinkLeft") + frame.weight("eyeBlinkRight")) / 2
    pitch = -(float(frame.gaze_left[1]) + float(frame.gaze_right[1])) / 2
    yaw = -(float(frame.gaze_left[0]) + float(frame.gaze_right[0])) / 2
    return min(max(closed, 0.0), 1.0), pitch + 0.0, yaw + 0.0
