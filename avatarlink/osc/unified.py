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


def _affine_map() -> tuple[np.ndarray, np.ndarray]:
    """Every parameter is linear in (52 shapes, 4 gaze angles): values = A @ x + b, clipped.

    Built once from the rules in the module docstring, so a frame is one
    small matrix product instead of dozens of NumPy calls.
    """
    n_in = len(ARKIT_INDEX) + 4
    gaze = {
        "left_yaw": n_in - 4,
        "left_pitch": n_in - 3,
        "right_yaw": n_in - 2,
        "right_pitch": n_in - 1,
    }
    a = np.zeros((len(UNIFIED_NAMES), n_in))
    b = np.zeros(len(UNIFIED_NAMES))
    row = {name: r for r, name in enumerate(UNIFIED_NAMES)}
    for name, source in zip(_DIRECT_NAMES, _DIRECT_SOURCES, strict=True):
        a[row[name], ARKIT_INDEX[source]] = 1.0
    for side in ("Left", "Right"):
        a[row[f"CheekPuff{side}"], ARKIT_INDEX["cheekPuff"]] = 1.0
        lid = row[f"EyeLid{side}"]
        b[lid] = LID_OPEN
        a[lid, ARKIT_INDEX[f"eyeBlink{side}"]] = -LID_OPEN
        a[lid, ARKIT_INDEX[f"eyeWide{side}"]] = 1.0 - LID_OPEN
    for combined, stem in (("MouthX", "mouth"), ("JawX", "jaw")):
        a[row[combined], ARKIT_INDEX[f"{stem}Right"]] = 1.0
        a[row[combined], ARKIT_INDEX[f"{stem}Left"]] = -1.0
    scale = 1.0 / GAZE_FULL_SCALE_DEG
    for eye, side in (("Left", "left"), ("Right", "right")):
        a[row[f"Eye{eye}X"], gaze[f"{side}_yaw"]] = -scale  # our yaw > 0 looks to the left
        a[row[f"Eye{eye}Y"], gaze[f"{side}_pitch"]] = scale
        a[row["EyeX"], gaze[f"{side}_yaw"]] = -scale / 2
        a[row["EyeY"], gaze[f"{side}_pitch"]] = scale / 2
    return a, b


_A, _BIAS_PLUS_ZERO = _affine_map()
_LOW = np.where(SIGNED, -1.0, 0.0)
_HIGH = np.ones(len(UNIFIED_NAMES))


def unified_values(frame: FaceFrame) -> np.ndarray:
    """One float per name in :data:`UNIFIED_NAMES` (float32), each clipped to its range."""
    # FaceFrame promises shapes in [0, 1]; clipping the outputs keeps every parameter
    # in its range even if a producer breaks that promise (np.maximum/np.minimum with
    # array bounds: what np.clip does, at a fraction of its per-call overhead)
    y = _A @ np.concatenate((frame.blendshapes, frame.gaze_left, frame.gaze_right))
    y += _BIAS_PLUS_ZERO  # adding +0.0 also turns -0.0 into 0.0: a neutral face sends zeros
    np.minimum(np.maximum(y, _LOW, out=y), _HIGH, out=y)
    return y.astype(np.float32)


def native_eye(frame: FaceFrame) -> tuple[float, float, float]:
    """VRChat native eye tracking: (EyesClosedAmount, pitch, yaw) of the center eye.

    Pitch positive looks down and yaw positive looks to the user's right, so both
    flip sign from our gaze convention.
    """
    closed = (frame.weight("eyeBlinkLeft") + frame.weight("eyeBlinkRight")) / 2
    pitch = -(float(frame.gaze_left[1]) + float(frame.gaze_right[1])) / 2
    yaw = -(float(frame.gaze_left[0]) + float(frame.gaze_right[0])) / 2
    return min(max(closed, 0.0), 1.0), pitch + 0.0, yaw + 0.0
