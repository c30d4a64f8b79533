"""Named expressions as FaceFrames: preview sheets, demos and pixel tests use them.

Each is a mix of ARKit coefficients (and gaze) that a person reads as that
emotion; "left" is the character's own left, which shows on image right.
"""

from __future__ import annotations

from avatarlink.frame import FaceFrame


def _both(name: str, value: float) -> dict[str, float]:
    return {f"{name}Left": value, f"{name}Right": value}


EXPRESSIONS: dict[str, dict[str, float]] = {
    "neutral": {},
    "smile": {
        **_both("mouthSmile", 1.0), **_both("cheekSquint", 0.7), **_both("eyeSquint", 0.35),
        "jawOpen": 0.12, **_both("mouthUpperUp", 0.25), **_both("mouthDimple", 0.3),
    },
    "sad": {
        **_both("mouthFrown", 1.0), "browInnerUp": 1.0, "mouthShrugLower": 0.7,
        **_both("eyeLookDown", 0.45),
    },
    "surprise": {
        "jawOpen": 0.75, "browInnerUp": 1.0, **_both("browOuterUp", 1.0), **_both("eyeWide", 1.0),
        "mouthFunnel": 0.25,
    },
    "anger": {
        **_both("browDown", 1.0), **_both("noseSneer", 0.6), **_both("mouthPress", 1.0),
        **_both("eyeSquint", 0.4), **_both("mouthFrown", 0.35), **_both("eyeWide", 0.15),
    },
    "fear": {
        "browInnerUp": 1.0, **_both("browOuterUp", 0.35), **_both("eyeWide", 1.0),
        **_both("mouthStretch", 1.0), "jawOpen": 0.22, **_both("mouthLowerDown", 0.5),
    },
    "disgust": {
        **_both("noseSneer", 1.0), **_both("mouthUpperUp", 0.7), **_both("browDown", 0.6),
        **_both("eyeSquint", 0.6), **_both("cheekSquint", 0.5), "mouthFrownLeft": 0.5,
        "mouthShrugLower": 0.4, "mouthUpperUpLeft": 1.0,
    },
    "wink": {"eyeBlinkLeft": 1.0, "mouthSmileLeft": 0.7, "cheekSquintLeft": 0.6},
    "look left": {"eyeLookOutLeft": 1.0, "eyeLookInRight": 1.0},
    "look right": {"eyeLookInLeft": 1.0, "eyeLookOutRight": 1.0},
    "cheek puff": {"cheekPuff": 1.0},
    "tongue out": {"tongueOut": 1.0, "jawOpen": 0.25},
}  # fmt: skip

GAZE: dict[str, tuple[float, float]] = {  # (yaw, pitch) degrees, both eyes
    "look left": (28.0, 0.0),
    "look right": (-28.0, 0.0),
    "sad": (0.0, -10.0),
}


def expression_frame(name: str, time: float = 0.0) -> FaceFrame:
    """The named expression as a tracked FaceFrame, facing the camera."""
    frame = FaceFrame(time, True).with_weights(**EXPRESSIONS[name])
    yaw, pitch = GAZE.get(name, (0.0, 0.0))
    frame.gaze_left[:] = (yaw, pitch)
    frame.gaze_right[:] = (yaw, pitch)
    return frame
